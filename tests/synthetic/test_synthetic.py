"""The synthetic history: valid events-v1 in a valid file order, deterministic, realistic."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator

import pytest

from orbit_adapters import NewEvent
from orbit_adapters.events_v1 import decode_line
from orbit_domain.events import (
    EVENT_TYPES,
    ORGANISATION_EVENT_TYPES,
    ComplaintReceived,
    ExitCorrected,
    FactRetracted,
    HospiteringEnded,
    HospiteringKind,
    HospiteringStarted,
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ReferralWithdrawn,
    SeatsAllocated,
    StaffTrainingRecorded,
)
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from orbit_synthetic import generate_events, generate_history, organisation_seed

PARTICIPANTS = 400
FIRST_YEAR, LAST_YEAR = 2021, 2024


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return list(
        generate_history(
            seed=7, participants=PARTICIPANTS, first_year=FIRST_YEAR, last_year=LAST_YEAR
        )
    )


@pytest.fixture(scope="module")
def wire(lines: list[str]) -> list[NewEvent]:
    return [decode_line(line) for line in lines]


@pytest.fixture(scope="module")
def streams(wire: list[NewEvent]) -> dict[str, list[NewEvent]]:
    by_participant: dict[str, list[NewEvent]] = defaultdict(list)
    for decoded in wire:
        if decoded.participant is not None:
            by_participant[decoded.participant].append(decoded)
    return by_participant


def small(
    seed: int, participants: int = 60, first_year: int = 2022, last_year: int = 2023
) -> list[str]:
    return list(
        generate_history(
            seed=seed, participants=participants, first_year=first_year, last_year=last_year
        )
    )


def recorded_at(decoded: NewEvent) -> dt.datetime:
    assert decoded.recorded_at is not None
    return decoded.recorded_at


def events_of(wire: list[NewEvent], event_type: type[ParticipantEvent]) -> list[NewEvent]:
    return [decoded for decoded in wire if isinstance(decoded.event, event_type)]


# ---------------------------------------------------------------- determinism and format


def test_the_same_arguments_give_byte_identical_output() -> None:
    assert small(seed=3) == small(seed=3)


def test_different_seeds_give_different_histories() -> None:
    assert small(seed=3) != small(seed=4)


def test_organisations_of_one_data_set_get_different_seeds() -> None:
    seeds = {organisation_seed(1, number) for number in range(1, 31)}
    assert len(seeds) == 30
    assert organisation_seed(1, 1) != organisation_seed(2, 1)


def test_every_line_decodes_with_an_id_and_a_recorded_at(wire: list[NewEvent]) -> None:
    assert all(d.event_id is not None and d.recorded_at is not None for d in wire)


def test_event_ids_are_unique_uuids(wire: list[NewEvent]) -> None:
    ids = [str(d.event_id) for d in wire]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(event_id).version == 4 for event_id in ids)


def test_lines_are_the_canonical_encoding_of_the_generated_events() -> None:
    events = generate_events(seed=5, participants=20, first_year=2023, last_year=2023)
    assert [generated.line() for generated in events] == small(
        seed=5, participants=20, first_year=2023, last_year=2023
    )


def test_the_file_is_ordered_by_recorded_at(wire: list[NewEvent]) -> None:
    moments = [recorded_at(d) for d in wire]
    assert moments == sorted(moments)


# ---------------------------------------------------------------- the journey rules


def test_every_participant_stream_obeys_the_journey_rules_in_file_order(
    streams: dict[str, list[NewEvent]],
) -> None:
    for participant, stream in streams.items():
        state = ParticipantState()
        for decoded in stream:
            assert not isinstance(decoded.event, ORGANISATION_EVENT_TYPES)
            decide(state, decoded.event, recorded_at(decoded), participant)
            state = evolve(state, decoded.event, recorded_at(decoded))


@pytest.mark.parametrize(
    ("seed", "participants", "first_year", "last_year"),
    [(1, 1, 2024, 2024), (2, 7, 2023, 2024), (3, 40, 2019, 2025), (4, 150, 1990, 1991)],
)
def test_tiny_long_and_single_year_histories_obey_the_journey_rules_too(
    seed: int, participants: int, first_year: int, last_year: int
) -> None:
    states: dict[str, ParticipantState] = defaultdict(ParticipantState)
    for line in small(seed, participants, first_year, last_year):
        decoded = decode_line(line)
        if decoded.participant is not None:
            assert not isinstance(decoded.event, ORGANISATION_EVENT_TYPES)
            state = states[decoded.participant]
            decide(state, decoded.event, recorded_at(decoded), decoded.participant)
            states[decoded.participant] = evolve(state, decoded.event, recorded_at(decoded))
    assert len(states) == participants


def test_the_organisation_stream_obeys_its_rules(wire: list[NewEvent]) -> None:
    state = OrganisationState()
    for decoded in wire:
        if isinstance(decoded.event, ORGANISATION_EVENT_TYPES):
            decide_organisation(state, decoded.event, recorded_at(decoded))
            state = evolve_organisation(
                state, decoded.event, recorded_at(decoded), decoded.event_id
            )


def test_every_event_type_appears(wire: list[NewEvent]) -> None:
    assert {d.event.TYPE for d in wire} == set(EVENT_TYPES)


def test_a_retraction_names_a_fact_registered_twice_and_is_recorded_after_it(
    wire: list[NewEvent],
) -> None:
    by_id = {d.event_id: d for d in wire}
    retractions = [d for d in wire if isinstance(d.event, FactRetracted)]

    assert retractions
    for retraction in retractions:
        assert isinstance(retraction.event, FactRetracted)
        copy = by_id[retraction.event.retracts]
        assert copy.event.date == retraction.event.date
        assert recorded_at(copy) < recorded_at(retraction)
        originals = [d for d in wire if d.event == copy.event and d.event_id != copy.event_id]
        assert originals, "only a copy registered in error is retracted"


def test_nothing_is_dated_or_recorded_after_the_last_year(wire: list[NewEvent]) -> None:
    assert max(d.event.date for d in wire) <= dt.date(LAST_YEAR, 12, 31)
    assert max(recorded_at(d) for d in wire).year == LAST_YEAR


# ---------------------------------------------------------------- participants


def test_there_are_exactly_the_requested_participants_with_pseudonymous_keys(
    streams: dict[str, list[NewEvent]],
) -> None:
    assert len(streams) == PARTICIPANTS
    assert all(re.fullmatch(r"P-\d{6}", key) for key in streams)


def test_the_key_prefix_names_the_participants() -> None:
    events = generate_events(
        seed=1, participants=5, first_year=2024, last_year=2024, key_prefix="ORG07-P"
    )
    keys = {generated.participant for generated in events} - {None}
    assert keys == {f"ORG07-P-{n:06d}" for n in range(1, 6)}


def test_some_placements_are_already_running_when_the_first_year_starts(
    wire: list[NewEvent],
) -> None:
    early_starts = [d for d in events_of(wire, PlacementStarted) if d.event.date.year < FIRST_YEAR]
    assert len(early_starts) > PARTICIPANTS // 10


def test_participants_come_back_after_an_exit_and_after_a_withdrawal(
    streams: dict[str, list[NewEvent]],
) -> None:
    came_back_after: set[type] = set()
    for stream in streams.values():
        events = [d.event for d in stream if not isinstance(d.event, ExitCorrected)]
        for before, after in itertools.pairwise(events):
            if isinstance(after, ParticipantReferred):
                came_back_after.add(type(before))
    assert came_back_after == {ParticipantExited, ReferralWithdrawn}


def test_optional_referral_fields_are_sometimes_left_out(wire: list[NewEvent]) -> None:
    referrals = [d.event for d in events_of(wire, ParticipantReferred)]
    for field in ("gender", "birth_year", "municipality", "referred_by"):
        given = [getattr(referral, field) is not None for referral in referrals]
        assert any(given)
        assert not all(given), field


# ---------------------------------------------------------------- placements


def test_percentages_change_and_some_vta_seats_are_below_half_time(
    streams: dict[str, list[NewEvent]],
) -> None:
    vta_percentages = [
        d.event.effective_percentage
        for stream in streams.values()
        if programme_of(stream) == "VTA"
        for d in stream
        if isinstance(d.event, PlacementStarted)
    ]
    assert min(vta_percentages) < 50
    assert 100 in vta_percentages
    assert len(events_of(list(flatten(streams)), PercentageChanged)) > PARTICIPANTS // 4


def programme_of(stream: list[NewEvent]) -> str:
    first = stream[0].event
    assert isinstance(first, ParticipantReferred)
    return first.programme


def flatten(streams: dict[str, list[NewEvent]]) -> list[NewEvent]:
    return [decoded for stream in streams.values() for decoded in stream]


def test_both_hospitering_kinds_appear_and_some_are_still_open_at_the_exit(
    streams: dict[str, list[NewEvent]],
) -> None:
    kinds = {
        d.event.effective_kind
        for d in events_of(flatten(streams), HospiteringStarted)
        if isinstance(d.event, HospiteringStarted)
    }
    assert kinds == {HospiteringKind.HOSPITERING, HospiteringKind.PRACTICE}
    closed_by_exit = 0
    for stream in streams.values():
        open_now = False
        for decoded in stream:
            if isinstance(decoded.event, HospiteringStarted | HospiteringEnded):
                open_now = isinstance(decoded.event, HospiteringStarted)
            elif isinstance(decoded.event, ParticipantExited) and open_now:
                closed_by_exit += 1
                open_now = False
    assert closed_by_exit > 0


def test_some_exit_outcomes_are_corrected_weeks_after_the_exit_was_recorded(
    streams: dict[str, list[NewEvent]],
) -> None:
    delays = []
    for stream in streams.values():
        exits = {d.event.date: recorded_at(d) for d in events_of(stream, ParticipantExited)}
        for correction in events_of(stream, ExitCorrected):
            delays.append(recorded_at(correction) - exits[correction.event.date])
    assert delays
    assert min(delays) >= dt.timedelta(days=14)


def test_some_events_are_registered_weeks_late(wire: list[NewEvent]) -> None:
    late = [
        d
        for d in wire
        if not isinstance(d.event, ExitCorrected | SeatsAllocated)
        and recorded_at(d).date() - d.event.date > dt.timedelta(days=20)
    ]
    assert 0 < len(late) < len(wire) // 10


def test_aft_places_roughly_40_to_50_percent_of_its_leavers_in_work_or_education(
    streams: dict[str, list[NewEvent]],
) -> None:
    outcomes = []
    for stream in streams.values():
        if programme_of(stream) == "AFT":
            outcomes += [d.event.outcome for d in stream if isinstance(d.event, ParticipantExited)]
    placed = sum(outcome.counts_as_placement for outcome in outcomes)
    assert 0.35 <= placed / len(outcomes) <= 0.55


# ---------------------------------------------------------------- seats


def test_every_programme_gets_seats_every_january_and_some_revisions_mid_year(
    wire: list[NewEvent],
) -> None:
    allocations = [d.event for d in wire if isinstance(d.event, SeatsAllocated)]
    januaries = {(a.programme, a.date) for a in allocations if a.date.timetuple().tm_yday == 1}
    assert januaries == {
        (programme, dt.date(year, 1, 1))
        for programme in ("AFT", "VTA", "LAERLING")
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    }
    assert any(a.date.day != 1 for a in allocations)


@pytest.mark.parametrize("programme", ["AFT", "VTA"])
def test_seat_utilisation_lands_between_85_and_100_percent_each_year(
    wire: list[NewEvent], streams: dict[str, list[NewEvent]], programme: str
) -> None:
    allocations = sorted(
        (d.event for d in wire if isinstance(d.event, SeatsAllocated)),
        key=lambda allocation: allocation.date,
    )
    used = seats_used_per_day(streams, programme)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(365)]
        allocated = sum(
            [a.seats for a in allocations if a.programme == programme and a.date <= day][-1]
            for day in days
        )
        assert 0.85 <= sum(used[day] for day in days) / allocated <= 1.0


def seats_used_per_day(
    streams: dict[str, list[NewEvent]], programme: str
) -> defaultdict[dt.date, float]:
    """Full seats in use per day of the simulated years, counted day by day."""
    used: defaultdict[dt.date, float] = defaultdict(float)
    for stream in streams.values():
        for first, last, percentage in stretches_at_one_percentage(stream, programme):
            day = max(first, dt.date(FIRST_YEAR, 1, 1))
            while day <= last:
                used[day] += percentage / 100
                day += dt.timedelta(days=1)
    return used


def stretches_at_one_percentage(
    stream: list[NewEvent], programme: str
) -> Iterator[tuple[dt.date, dt.date, int]]:
    """(first day, last day, percentage) of the stream's placements in ``programme``."""
    current, since, percentage = "", None, 0
    for decoded in stream:
        match decoded.event:
            case ParticipantReferred() as referral:
                current = referral.programme
            case PlacementStarted() as placement if current == programme:
                since, percentage = placement.date, placement.effective_percentage
            case PercentageChanged() as change if since is not None:
                yield since, change.date - dt.timedelta(days=1), percentage
                since, percentage = change.date, change.percentage
            case ParticipantExited() as exit_event if since is not None:
                yield since, exit_event.date, percentage  # the exit day is the last active day
                since = None
    if since is not None:
        yield since, dt.date(LAST_YEAR, 12, 31), percentage


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"participants": 0}, "participants"),
        ({"first_year": 2024, "last_year": 2023}, "years"),
        ({"first_year": 1800, "last_year": 1801}, "years"),
        ({"key_prefix": "P 1"}, "key_prefix"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_generated(
    arguments: dict[str, object], message: str
) -> None:
    defaults: dict[str, object] = {"participants": 10, "first_year": 2024, "last_year": 2024}
    with pytest.raises(ValueError, match=message):
        generate_history(seed=1, **(defaults | arguments))  # type: ignore[arg-type]


def test_complaints_and_trainings_are_registered_on_or_after_their_day(
    wire: list[NewEvent],
) -> None:
    facts = [d for d in wire if isinstance(d.event, ComplaintReceived | StaffTrainingRecorded)]

    assert facts
    assert all(recorded_at(d).date() >= d.event.date for d in facts)
