"""Exits, their outcomes after corrections, and the rates built from them."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.events import ExitCorrected, ParticipantExited
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Period
from property_support import half_examples, report_json
from strategies import histories, known_ats, periods_near


@half_examples
@given(histories(), st.data(), known_ats)
def test_exits_by_outcome_sum_to_exits_and_the_rates_are_ordered_shares_or_null(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """Every outcome is listed and the outcomes sum to ``exits``; with exits,
    ``0 <= placement_rate <= activity_rate <= 1``; without exits, both rates are null."""
    period = data.draw(periods_near(history), label="period")
    report = report_json(history, period, known_at)

    for figures in report["programmes"].values():
        by_outcome = figures["exits_by_outcome"]
        assert list(by_outcome) == [outcome.value for outcome in Outcome]
        assert all(count >= 0 for count in by_outcome.values())
        assert sum(by_outcome.values()) == figures["exits"]
        placement_rate, activity_rate = figures["placement_rate"], figures["activity_rate"]
        if figures["exits"] == 0:
            assert (placement_rate, activity_rate) == (None, None)
        else:
            assert 0 <= placement_rate <= activity_rate <= 1


def _outcome_before(history: list[Recorded], position: int) -> Outcome:
    """The outcome the exit corrected at ``position`` has just before that correction.

    The exit is the participant's latest one dated on the correction's date, earlier in
    store order; its outcome is the one it was recorded with or the latest earlier
    correction's.
    """
    correction = history[position]
    outcome: Outcome | None = None
    for recorded in history[:position]:
        event = recorded.event
        if recorded.participant != correction.participant or event.date != correction.event.date:
            continue
        if isinstance(event, ParticipantExited | ExitCorrected):
            outcome = event.outcome
    assert outcome is not None
    return outcome


@half_examples
@given(histories(), st.data())
def test_a_correction_moves_exactly_one_exit_to_its_outcome_and_keeps_the_total(
    history: list[Recorded], data: st.DataObject
) -> None:
    """With a participant's last correction of an exit left out, a period that holds the
    exit has the same ``exits``, and one exit fewer under the corrected outcome and one
    more under the outcome it had before (nothing moves if the two are the same)."""
    last_corrections = {
        (recorded.participant, recorded.event.date): position
        for position, recorded in enumerate(history)
        if isinstance(recorded.event, ExitCorrected)
    }
    assume(last_corrections)
    position = data.draw(st.sampled_from(sorted(last_corrections.values())), label="correction")
    correction = history[position].event
    assert isinstance(correction, ExitCorrected)
    before = _outcome_before(history, position)
    days_before, days_after = data.draw(st.tuples(st.integers(0, 400), st.integers(0, 400)))
    period = Period(
        correction.date - dt.timedelta(days=days_before),
        correction.date + dt.timedelta(days=days_after),
    )

    corrected = report_json(history, period)["programmes"]
    uncorrected = report_json(history[:position] + history[position + 1 :], period)["programmes"]

    moved = {outcome.value: 0 for outcome in Outcome}
    moved[correction.outcome.value] += 1
    moved[before.value] -= 1
    differences = [
        {
            outcome: corrected[programme]["exits_by_outcome"][outcome] - count
            for outcome, count in uncorrected[programme]["exits_by_outcome"].items()
        }
        for programme in corrected
    ]
    assert [d for d in differences if any(d.values())] == ([moved] if any(moved.values()) else [])
