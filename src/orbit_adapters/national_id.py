"""Recognise Norwegian national identity numbers, which orbit must never store as keys."""

from __future__ import annotations

import re

_PREFIXED_NUMBER = re.compile(r"[^0-9]*([0-9]{11})")
"""Eleven digits after a prefix without digits (``fnr:``, ``P``, or none)."""
_FIRST_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_SECOND_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def is_national_id(key: str) -> bool:
    """True for an 11-digit fødselsnummer or D-number whose two mod-11 check digits are valid.

    A D-number is a fødselsnummer with 4 added to its first digit; the check digits are
    computed the same way, so one test covers both.
    """
    if len(key) != 11 or not key.isascii() or not key.isdigit():
        return False
    digits = [int(c) for c in key]
    return digits[9] == _check_digit(digits[:9], _FIRST_WEIGHTS) and digits[10] == _check_digit(
        digits[:10], _SECOND_WEIGHTS
    )


def contains_national_id(key: str) -> bool:
    """True for a key that is a national id once written plainly: ``010100-12356``,
    ``fnr:01010012356`` and ``fnr 010.100.123.56`` all hide one.

    Spaces, dots and dashes are removed, then a prefix without digits; what is left
    must be 11 digits that :func:`is_national_id` accepts.
    """
    if len(key) < 11:  # most keys: no need to look further
        return False
    # Three replaces cost less than one str.translate, on the hot path of an import.
    plain = key.replace("-", "").replace(".", "").replace(" ", "")
    match = _PREFIXED_NUMBER.fullmatch(plain)
    return match is not None and is_national_id(match[1])


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return check if check != 10 else -1  # 10 has no valid digit: never equals one
