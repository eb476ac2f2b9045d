"""Errors the domain raises. Every message is meant to be read by the person who fixes the data."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error orbit's domain raises for data that breaks the rules."""


class InvalidValueError(DomainError):
    """A field of an event has a value the spec does not allow."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class RuleViolationError(DomainError):
    """An event is not allowed in its stream's current state (a journey rule of the spec)."""

    def __init__(self, event_type: str, subject: str, rule: str) -> None:
        super().__init__(f"{event_type} for {subject}: {rule}")
        self.event_type = event_type
        self.subject = subject
        self.rule = rule


SHOWN_LENGTH = 40
"""The most characters of one value a message repeats: input may hold megabytes."""


def shown(value: object) -> str:
    """A value as a message repeats it: its ``repr``, cut to ``SHOWN_LENGTH`` characters."""
    if isinstance(value, str):
        value = value[:SHOWN_LENGTH]  # no need to write out more than can be shown
    text = repr(value)
    if len(text) <= SHOWN_LENGTH:
        return text
    quote = text[0] if isinstance(value, str) else ""
    return text[: SHOWN_LENGTH - 3 - len(quote)] + "..." + quote
