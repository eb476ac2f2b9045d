"""The timeline state is a fold: any split of the events, and any later ``until``, agree."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import given
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    Timelines,
    build_report,
    fold,
    programme_reports,
    select_replayed,
)
from orbit_domain.weighting import Weighting
from strategies import histories, known_ats, periods, weightings


@given(histories(), st.data())
def test_folding_in_two_parts_or_event_by_event_gives_the_state_of_folding_at_once(
    history: list[Recorded], data: st.DataObject
) -> None:
    """Both ways on each history: generating the histories is the cost."""
    split = data.draw(st.integers(0, len(history)))
    at_once = fold(EMPTY_TIMELINES, history)

    in_two_parts = fold(fold(EMPTY_TIMELINES, history[:split]), history[split:])

    def one_more(state: Timelines, recorded: Recorded) -> Timelines:
        return fold(state, (recorded,))

    assert in_two_parts == at_once
    assert functools.reduce(one_more, history, EMPTY_TIMELINES) == at_once


@given(histories(), periods(), known_ats, weightings)
def test_a_state_holding_later_events_reports_a_period_as_if_replayed_to_its_end(
    history: list[Recorded], period: Period, known_at: dt.datetime | None, weighting: Weighting
) -> None:
    everything_known = fold(EMPTY_TIMELINES, select_replayed(history, dt.date.max, known_at))

    reports = programme_reports(everything_known, period, weighting)

    replayed = build_report(history, period, known_at=known_at, weighting=weighting)
    assert reports == replayed.programmes
