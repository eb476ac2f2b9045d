"""The value rules of the event classes, their defaults, and the exit outcome table."""

from __future__ import annotations

import datetime as dt

import pytest

from orbit_domain.errors import InvalidValueError
from orbit_domain.events import (
    EVENT_TYPES,
    CourseCompleted,
    CourseStarted,
    Gender,
    HospiteringKind,
    HospiteringStarted,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    SeatsAllocated,
    SurveyAnswered,
)
from orbit_domain.outcomes import Outcome, OutcomeGroup

DAY = dt.date(2024, 3, 1)


# ------------------------------------------------------------------ percentage 1-100


@pytest.mark.parametrize("percentage", [1, 50, 100])
def test_a_placement_accepts_a_percentage_from_1_to_100(percentage: int) -> None:
    assert PlacementStarted(DAY, percentage=percentage).effective_percentage == percentage


@pytest.mark.parametrize("percentage", [0, 101, -20])
def test_a_placement_refuses_a_percentage_outside_1_to_100(percentage: int) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        PlacementStarted(DAY, percentage=percentage)

    assert refusal.value.field == "percentage"
    assert str(refusal.value) == f"percentage: must be 1-100, not {percentage}"


@pytest.mark.parametrize("percentage", [1, 100])
def test_a_percentage_change_accepts_a_percentage_from_1_to_100(percentage: int) -> None:
    assert PercentageChanged(DAY, percentage=percentage).percentage == percentage


@pytest.mark.parametrize("percentage", [0, 101])
def test_a_percentage_change_refuses_a_percentage_outside_1_to_100(percentage: int) -> None:
    with pytest.raises(InvalidValueError, match=r"^percentage: must be 1-100, not -?\d+$"):
        PercentageChanged(DAY, percentage=percentage)


# ------------------------------------------------------------------ seats, scores


@pytest.mark.parametrize("seats", [0.5, 1, 55])
def test_an_allocation_accepts_any_positive_number_of_seats(seats: float) -> None:
    assert SeatsAllocated(DAY, programme="AFT", seats=seats).seats == seats


@pytest.mark.parametrize("seats", [0, -1, -0.5])
def test_an_allocation_refuses_seats_that_are_not_greater_than_0(seats: float) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        SeatsAllocated(DAY, programme="AFT", seats=seats)

    assert refusal.value.field == "seats"
    assert str(refusal.value) == f"seats: must be greater than 0, not {seats}"


@pytest.mark.parametrize("scale_max", [0, -6])
def test_a_survey_answer_refuses_a_scale_max_that_is_not_greater_than_0(scale_max: float) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        SurveyAnswered(DAY, survey="user", score=0, scale_max=scale_max)

    assert refusal.value.field == "scale_max"


@pytest.mark.parametrize("score", [0, 3.5, 6])
def test_a_survey_answer_accepts_a_score_from_0_to_scale_max_inclusive(score: float) -> None:
    assert SurveyAnswered(DAY, survey="user", score=score, scale_max=6).score == score


@pytest.mark.parametrize("score", [-0.1, 6.1, 7])
def test_a_survey_answer_refuses_a_score_outside_0_to_scale_max(score: float) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        SurveyAnswered(DAY, survey="user", score=score, scale_max=6)

    assert refusal.value.field == "score"
    assert str(refusal.value) == "score: must be between 0 and scale_max (6)"


# ------------------------------------------------------------------ programme codes

VALID_PROGRAMMES = ["AFT", "VTA", "LAERLING", "A1", "A_", "X" + "9" * 15]
INVALID_PROGRAMMES = ["", "A", "aft", "Aft", "1AB", "_AB", "AF-T", "AF T", "ÆFT", "A" * 17, "AFT\n"]


@pytest.mark.parametrize("programme", VALID_PROGRAMMES)
def test_a_programme_code_of_a_capital_and_1_to_15_capitals_digits_or_underscores_is_accepted(
    programme: str,
) -> None:
    assert ParticipantReferred(DAY, programme=programme).programme == programme
    assert SeatsAllocated(DAY, programme=programme, seats=1).programme == programme


@pytest.mark.parametrize("programme", INVALID_PROGRAMMES)
def test_a_referral_refuses_a_programme_code_outside_the_pattern(programme: str) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        ParticipantReferred(DAY, programme=programme)

    assert refusal.value.field == "programme"
    assert "[A-Z][A-Z0-9_]{1,15}" in refusal.value.reason


@pytest.mark.parametrize("programme", INVALID_PROGRAMMES)
def test_an_allocation_refuses_a_programme_code_outside_the_pattern(programme: str) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        SeatsAllocated(DAY, programme=programme, seats=10)

    assert refusal.value.field == "programme"


# ------------------------------------------------------------------ required names


def test_a_course_start_refuses_an_empty_course() -> None:
    with pytest.raises(InvalidValueError) as refusal:
        CourseStarted(DAY, course="")

    assert str(refusal.value) == "course: must not be empty"


def test_a_course_completion_refuses_an_empty_course() -> None:
    with pytest.raises(InvalidValueError) as refusal:
        CourseCompleted(DAY, course="")

    assert str(refusal.value) == "course: must not be empty"


def test_a_survey_answer_refuses_an_empty_survey_name() -> None:
    with pytest.raises(InvalidValueError) as refusal:
        SurveyAnswered(DAY, survey="", score=1, scale_max=6)

    assert str(refusal.value) == "survey: must not be empty"


# ------------------------------------------------------------------ defaults


def test_a_placement_without_a_percentage_is_a_full_seat_and_remembers_none_was_given() -> None:
    placement = PlacementStarted(DAY)

    assert placement.percentage is None
    assert placement.effective_percentage == 100


def test_a_referral_without_a_gender_counts_as_unknown_and_remembers_none_was_given() -> None:
    referral = ParticipantReferred(DAY, programme="AFT")

    assert referral.gender is None
    assert referral.effective_gender is Gender.UNKNOWN


def test_a_referral_with_a_gender_keeps_it() -> None:
    assert ParticipantReferred(DAY, "VTA", gender=Gender.FEMALE).effective_gender is Gender.FEMALE


def test_a_hospitering_without_a_kind_is_a_hospitering_and_remembers_none_was_given() -> None:
    hospitering = HospiteringStarted(DAY)

    assert hospitering.kind is None
    assert hospitering.effective_kind is HospiteringKind.HOSPITERING


def test_a_hospitering_of_kind_practice_is_practice() -> None:
    practice = HospiteringStarted(DAY, kind=HospiteringKind.PRACTICE)

    assert practice.effective_kind is HospiteringKind.PRACTICE


@pytest.mark.parametrize(("licence", "uses_licence"), [(None, False), (False, False), (True, True)])
def test_a_course_uses_a_licence_only_when_it_says_so(
    licence: bool | None, uses_licence: bool
) -> None:
    assert CourseStarted(DAY, course="vr-safety", licence=licence).uses_licence is uses_licence


def test_the_spec_enumerations_have_exactly_the_spec_values() -> None:
    assert {gender.value for gender in Gender} == {"female", "male", "other", "unknown"}
    assert {kind.value for kind in HospiteringKind} == {"hospitering", "practice"}


def test_every_event_type_of_the_spec_is_known_by_its_wire_name() -> None:
    assert set(EVENT_TYPES) == {
        "ParticipantReferred",
        "Waitlisted",
        "ReferralWithdrawn",
        "PlacementStarted",
        "PercentageChanged",
        "HospiteringStarted",
        "HospiteringEnded",
        "CourseStarted",
        "CourseCompleted",
        "SurveyAnswered",
        "ParticipantExited",
        "ExitCorrected",
        "SeatsAllocated",
        "ComplaintReceived",
        "StaffTrainingRecorded",
        "ProviderClosed",
        "FactRetracted",
    }
    assert all(name == cls.TYPE for name, cls in EVENT_TYPES.items())


# ------------------------------------------------------------------ exit outcomes

# The spec's table: code, group; placement = work or education; activity = placement or
# other_active.
OUTCOME_TABLE = [
    ("work_unsubsidised", OutcomeGroup.WORK, True, True),
    ("work_subsidised", OutcomeGroup.WORK, True, True),
    ("vto", OutcomeGroup.WORK, True, True),
    ("education_self_funded", OutcomeGroup.EDUCATION, True, True),
    ("education_nav_funded", OutcomeGroup.EDUCATION, True, True),
    ("other_active", OutcomeGroup.OTHER_ACTIVE, False, True),
    ("treatment", OutcomeGroup.INACTIVE, False, False),
    ("pension", OutcomeGroup.INACTIVE, False, False),
    ("no_active", OutcomeGroup.INACTIVE, False, False),
    ("unknown", OutcomeGroup.UNKNOWN, False, False),
]


def test_the_outcome_codes_are_exactly_those_of_the_spec_in_its_order() -> None:
    assert [outcome.value for outcome in Outcome] == [row[0] for row in OUTCOME_TABLE]


@pytest.mark.parametrize(("code", "group", "placement", "activity"), OUTCOME_TABLE)
def test_each_outcome_belongs_to_its_group_and_counts_as_the_spec_says(
    code: str, group: OutcomeGroup, placement: bool, activity: bool
) -> None:
    outcome = Outcome(code)

    assert outcome.group is group
    assert outcome.counts_as_placement is placement
    assert outcome.counts_as_activity is activity


def test_the_outcome_groups_are_exactly_those_of_the_spec() -> None:
    assert {group.value for group in OutcomeGroup} == {
        "work",
        "education",
        "other_active",
        "inactive",
        "unknown",
    }
