"""Text fit to print: what the command line echoes of its input can hide nothing.

Every message orbit prints passes through ``printable``: passwords in URLs are masked,
control characters and bidirectional overrides (which can make a terminal show text
other than what is there) are dropped, and a line is cut to a bounded length, so that
no input can flood or forge what the user reads.
"""

from __future__ import annotations

import re
import unicodedata

MESSAGE_LIMIT = 1000
"""The most characters of one printed line: a last line of defence (the codec already
cuts the values it echoes)."""

# C0 and C1 controls, DEL, and every format character (Cf: bidirectional embeddings,
# overrides and isolates U+202A-202E and U+2066-2069, marks, zero-width characters),
# plus surrogates left by undecodable input and the Unicode line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# The same rule as orbit_adapters.store.engine.masked, repeated so that printing a
# message never loads the store's modules (and SQLAlchemy).
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:)\S*@")


def printable(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` safe to show: passwords masked, hidden characters dropped, at most
    ``limit`` characters (a tab or newline becomes a space)."""
    # Cut before looking at each character (an input may be megabytes), but after
    # masking, so that a cut never leaves the start of a password showing.
    shown = "".join(_visible(character) for character in masked(text)[: 2 * limit])
    if len(shown) > limit:
        return f"{shown[: limit - 1]}…"
    return shown


def without_hidden(text: str) -> str:
    """``text`` with its lines kept but every hidden character dropped: for a whole
    table whose values (course codes, survey names) came from an import."""
    return "\n".join(
        "".join(_visible(character) for character in line) for line in text.split("\n")
    )


def masked(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def _visible(character: str) -> str:
    if character in "\t\n\r":
        return " "
    if unicodedata.category(character) in _HIDDEN_CATEGORIES:
        return ""
    return character
