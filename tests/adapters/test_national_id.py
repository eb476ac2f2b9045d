"""Recognising Norwegian national identity numbers (fødselsnummer and D-number).

Valid examples are computed here from the mod-11 rule in its checking form: with the
check digit appended, the weighted sum of the digits is divisible by 11. The code under
test computes check digits the other way round, so a slip in either shows.
"""

from __future__ import annotations

import pytest

from orbit_adapters.national_id import is_national_id

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _check_digit(prefix: str, weights: tuple[int, ...]) -> int | None:
    """The digit that makes ``prefix + digit`` weigh to a multiple of 11, if one exists."""
    for digit in range(10):
        candidate = prefix + str(digit)
        if sum(int(c) * w for c, w in zip(candidate, weights, strict=True)) % 11 == 0:
            return digit
    return None


def with_check_digits(nine_digits: str) -> str | None:
    first = _check_digit(nine_digits, K1_WEIGHTS)
    if first is None:
        return None
    second = _check_digit(nine_digits + str(first), K2_WEIGHTS)
    if second is None:
        return None
    return f"{nine_digits}{first}{second}"


def valid_number(birth_date: str) -> str:
    """A number with valid check digits for a ``DDMMYY`` birth date (first individual number)."""
    for individual in range(500, 1000):
        number = with_check_digits(f"{birth_date}{individual:03d}")
        if number is not None:
            return number
    raise AssertionError("no individual number gives valid check digits")  # pragma: no cover


def as_d_number(birth_date: str) -> str:
    """The D-number form of a birth date: 4 added to the first digit of the day."""
    return valid_number(str(int(birth_date[0]) + 4) + birth_date[1:])


def with_wrong_digit(number: str, position: int) -> str:
    wrong = (int(number[position]) + 1) % 10
    return number[:position] + str(wrong) + number[position + 1 :]


FODSELSNUMMER = valid_number("150385")
D_NUMBER = as_d_number("150385")


def test_the_examples_are_built_as_the_spec_describes() -> None:
    assert FODSELSNUMMER.startswith("150385")
    assert D_NUMBER.startswith("550385")
    assert len(FODSELSNUMMER) == len(D_NUMBER) == 11


@pytest.mark.parametrize("birth_date", ["150385", "010100", "311299", "290200"])
def test_a_fodselsnummer_with_valid_check_digits_is_recognised(birth_date: str) -> None:
    assert is_national_id(valid_number(birth_date))


@pytest.mark.parametrize("birth_date", ["150385", "010100", "311299"])
def test_a_d_number_with_valid_check_digits_is_recognised(birth_date: str) -> None:
    assert is_national_id(as_d_number(birth_date))


@pytest.mark.parametrize("number", [FODSELSNUMMER, D_NUMBER])
def test_the_same_digits_with_a_wrong_first_check_digit_are_not_a_national_id(
    number: str,
) -> None:
    assert not is_national_id(with_wrong_digit(number, 9))


@pytest.mark.parametrize("number", [FODSELSNUMMER, D_NUMBER])
def test_the_same_digits_with_a_wrong_second_check_digit_are_not_a_national_id(
    number: str,
) -> None:
    assert not is_national_id(with_wrong_digit(number, 10))


def test_a_changed_birth_date_digit_breaks_the_check_digits() -> None:
    assert not is_national_id(with_wrong_digit(FODSELSNUMMER, 3))


def test_nine_digits_whose_first_check_digit_would_be_10_never_make_a_national_id() -> None:
    prefix = next(
        f"150385{individual:03d}"
        for individual in range(1000)
        if _check_digit(f"150385{individual:03d}", K1_WEIGHTS) is None
    )

    assert not any(is_national_id(f"{prefix}{tail:02d}") for tail in range(100))


@pytest.mark.parametrize(
    "key",
    [FODSELSNUMMER[:10], FODSELSNUMMER + "0", "0" + FODSELSNUMMER, FODSELSNUMMER[:-2], ""],
)
def test_a_key_of_another_length_than_11_is_not_a_national_id(key: str) -> None:
    assert not is_national_id(key)


@pytest.mark.parametrize(
    "key",
    [
        FODSELSNUMMER[:6] + " " + FODSELSNUMMER[7:],
        FODSELSNUMMER[:6] + "-" + FODSELSNUMMER[7:],
        "P" + FODSELSNUMMER[1:],
        "abcdefghijk",
        "+1234567890",
    ],
)
def test_an_11_character_key_that_is_not_all_digits_is_not_a_national_id(key: str) -> None:
    assert not is_national_id(key)


def in_other_digits(number: str, zero: str) -> str:
    """``number`` written with the Unicode digits that start at ``zero``."""
    return "".join(chr(ord(zero) + int(c)) for c in number)


@pytest.mark.parametrize(
    "zero", ["\N{ARABIC-INDIC DIGIT ZERO}", "\N{FULLWIDTH DIGIT ZERO}"], ids=["arabic", "wide"]
)
def test_non_ascii_digits_with_valid_check_digits_are_not_a_national_id(zero: str) -> None:
    key = in_other_digits(FODSELSNUMMER, zero)

    assert key.isdigit()
    assert not is_national_id(key)


def test_a_pseudonymous_key_is_not_a_national_id() -> None:
    assert not is_national_id("P-100119")
