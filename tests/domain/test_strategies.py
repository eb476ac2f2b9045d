"""The generated histories are valid stores, and they reach what the properties need."""

from __future__ import annotations

import datetime as dt

from hypothesis import given

from orbit_domain.events import EVENT_TYPES, ORGANISATION_EVENT_TYPES
from orbit_domain.history import Recorded
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from strategies import funding_histories, histories


def assert_valid_store(history: list[Recorded]) -> None:
    """Every stream of the store passes the journey rules, event by event, in store order."""
    participants: dict[str, ParticipantState] = {}
    organisation = OrganisationState()
    for recorded in history:
        event = recorded.event
        if isinstance(event, ORGANISATION_EVENT_TYPES):
            assert recorded.participant is None
            decide_organisation(organisation, event, recorded.recorded_at)
            organisation = evolve_organisation(
                organisation, event, recorded.recorded_at, recorded.event_id
            )
        else:
            assert recorded.participant is not None
            state = participants.get(recorded.participant, ParticipantState())
            decide(state, event, recorded.recorded_at, recorded.participant)
            participants[recorded.participant] = evolve(state, event, recorded.recorded_at)
        assert recorded.recorded_at.tzinfo is not None


def test_every_generated_history_satisfies_the_journey_rules_and_all_use_every_event_type() -> None:
    """One run of the strategy checks both: generating the histories is the cost."""
    seen: set[str] = set()

    @given(histories())
    def check(history: list[Recorded]) -> None:
        assert_valid_store(history)
        seen.update(recorded.event.TYPE for recorded in history)

    check()
    assert seen == set(EVENT_TYPES)


@given(funding_histories())
def test_funding_histories_are_valid_stores_moved_to_the_years_with_rates(
    history: list[Recorded],
) -> None:
    assert_valid_store(history)
    assert all(recorded.event.date >= dt.date(2023, 11, 1) for recorded in history)
