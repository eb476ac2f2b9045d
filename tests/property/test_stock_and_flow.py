"""Stock and flow: who is active at the end of a period follows from the start and the flows.

A placement is active on day ``d`` when it started on or before ``d`` and has no exit
before ``d``: the exit date is the last active day. So over a period ``from..until``,
a placement active on ``until`` but not on ``from - 1`` started in the period, and one
active on ``from - 1`` but not on ``until`` exited on a day from ``from - 1`` to
``until - 1``. Counting placements, for every programme:

    placements active on until
        = placements active on (from - 1) + new_starts(from..until)
          - exits dated (from - 1)..(until - 1)

``active_at_end`` counts participants, not placements: a participant who exits on ``d``
and is placed again in the same programme on ``d`` (a same-day re-entry) has two
placements active on ``d`` and counts once. With ``extra(d)`` the placements active on
``d`` beyond one per participant, the identity on report figures is

    active_at_end(until) + extra(until)
        = active_at_end(from - 1) + extra(from - 1) + new_starts - exits((from - 1)..(until - 1))

An exit dated ``until`` is not subtracted (the participant is still active on
``until``); one dated ``from - 1`` is (active then, not since).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orbit_domain.events import ParticipantExited
from orbit_domain.history import Recorded
from orbit_domain.period import ONE_DAY, Period
from property_support import extra_placements_on, figure, half_examples, placements, report_json
from strategies import histories, known_ats, periods_near


@pytest.mark.parametrize("programme", ["AFT", "VTA"])
@half_examples
@given(history=histories(), data=st.data(), known_at=known_ats)
def test_active_at_end_is_active_the_day_before_plus_new_starts_minus_exits_before_until(
    programme: str, history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """``active_at_end(until) + extra(until) = active_at_end(from - 1) + extra(from - 1)
    + new_starts - exits dated from - 1 to until - 1``, per programme, where ``extra(d)``
    counts same-day re-entries active on ``d`` (see the module docstring)."""
    exit_dates = [r.event.date for r in history if isinstance(r.event, ParticipantExited)]
    period = data.draw(periods_near(history, exit_dates), label="period")
    day_before = period.start - ONE_DAY
    at_end = report_json(history, period, known_at)
    before = report_json(history, Period(day_before, day_before), known_at)
    exits_before_until = report_json(history, Period(day_before, period.end - ONE_DAY), known_at)
    found = placements(history, period.end, known_at)

    stock_at_end = figure(at_end, programme, "active_at_end") + extra_placements_on(
        found, programme, period.end
    )
    stock_before = figure(before, programme, "active_at_end") + extra_placements_on(
        found, programme, day_before
    )
    flow = figure(at_end, programme, "new_starts") - figure(exits_before_until, programme, "exits")
    assert stock_at_end == stock_before + flow
