"""Numbers in messages: one thousands separator everywhere, and the right plural."""

from __future__ import annotations


def number(value: int) -> str:
    """``value`` with a space between thousands (``7 459``), as the table printer writes it."""
    return f"{value:,}".replace(",", " ")


def counted(value: int, singular: str, plural: str | None = None) -> str:
    """``1 event``, ``2 events``, ``7 459 events``."""
    noun = singular if value == 1 else plural or f"{singular}s"
    return f"{number(value)} {noun}"
