"""Prefixes of a history: what a store holds before the rest of the events arrive."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.events import ParticipantExited, ParticipantReferred
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from property_support import figure, half_examples, memory_store, report_json, store_examples
from strategies import Line, histories, line_histories, texts_of


@store_examples
@given(line_histories(), st.data())
def test_any_prefix_of_a_valid_history_imports_cleanly_and_the_rest_follows_it(
    lines: list[Line], data: st.DataObject
) -> None:
    """The first ``k`` events of a valid store, for any ``k``, import without a problem;
    importing the remaining events afterwards gives the whole store, in order."""
    texts = texts_of(lines)
    split = data.draw(st.integers(0, len(texts)), label="prefix length")

    with memory_store() as orbit:
        first = orbit.import_lines(texts[:split])
        assert (first.stored, first.already_stored) == (split, 0)
        assert list(orbit.export_lines()) == texts[:split]

        rest = orbit.import_lines(texts[split:])
        assert (rest.stored, rest.already_stored) == (len(texts) - split, 0)
        assert list(orbit.export_lines()) == texts


def _last_exit(history: list[Recorded], participant: str) -> tuple[int, str]:
    """The store position of the participant's last exit, and its journey's programme."""
    programme, found = "", (-1, "")
    for position, recorded in enumerate(history):
        if recorded.participant != participant:
            continue
        if isinstance(recorded.event, ParticipantReferred):
            programme = recorded.event.programme
        elif isinstance(recorded.event, ParticipantExited):
            found = (position, programme)
    return found


@half_examples
@given(histories(), st.data())
def test_truncating_a_journey_before_its_exit_removes_that_exit_and_keeps_the_participant_active(
    history: list[Recorded], data: st.DataObject
) -> None:
    """Dropping a participant's last exit and everything after it in their stream (as if
    the rest had not happened yet) takes exactly one exit off the period's ``exits``,
    and leaves the participant active on every ``until`` from the exit date on."""
    exited = sorted(
        {
            participant
            for recorded in history
            if isinstance(recorded.event, ParticipantExited)
            and (participant := recorded.participant) is not None
        }
    )
    assume(exited)
    participant = data.draw(st.sampled_from(exited), label="participant")
    position, programme = _last_exit(history, participant)
    exit_date = history[position].event.date
    truncated = [
        r for index, r in enumerate(history) if index < position or r.participant != participant
    ]
    without_participant = [r for r in history if r.participant != participant]
    start = exit_date - dt.timedelta(days=data.draw(st.integers(0, 400), label="days before"))
    until = exit_date + dt.timedelta(days=data.draw(st.integers(0, 400), label="days after"))
    period = Period(start, until)

    original = report_json(history, period)
    after_truncation = report_json(truncated, period)
    others = report_json(without_participant, period)

    assert figure(after_truncation, programme, "exits") == figure(original, programme, "exits") - 1
    assert figure(after_truncation, programme, "active_at_end") == (
        figure(others, programme, "active_at_end") + 1
    )
