"""A stateful test of the real SQLite store against a model that is just a list of lines.

The machine pre-generates one valid history and imports it in batches, in order (so
every batch continues the streams already stored). Between batches it tries batches
with one bad line in them (all must be rejected and nothing stored), re-imports lines
already stored (no-ops, even when new lines follow them), reopens the store, exports,
and replays random periods at random knowledge times. After every step the store's
export and its report equal the model's: the accepted lines, and ``build_report`` over
their events. The fingerprint must be a function of the replayed lines: the same lines
give the same fingerprint at every step, other lines another one.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from property_support import without_fingerprint
from strategies import (
    EPOCH,
    Line,
    known_ats,
    line_histories,
    periods,
    recorded_of,
    surely_invalid_lines,
    texts_of,
)

_batch_sizes = st.integers(1, 12)


class StoreAgainstModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="orbit-machine-"))
        self.url = f"sqlite:///{self.directory / 'orbit.db'}"
        self.orbit = Orbit.open(self.url)
        self.pending: list[Line] = []
        """The rest of the history, not yet imported."""
        self.stored: list[Line] = []
        """The model: every accepted line, in store order."""
        self.fingerprints: dict[tuple[str, ...], str] = {}
        """Every fingerprint seen, by the replayed lines it was computed from."""

    @initialize(lines=line_histories())
    def plan_a_history(self, lines: list[Line]) -> None:
        self.pending = list(lines)

    # ------------------------------------------------------------ imports

    @precondition(lambda self: self.pending)
    @rule(size=_batch_sizes)
    def import_the_next_batch(self, size: int) -> None:
        batch = self.pending[:size]

        result = self.orbit.import_lines(texts_of(batch))

        assert (result.stored, result.already_stored) == (len(batch), 0)
        self.stored += batch
        del self.pending[:size]

    @rule(size=_batch_sizes, bad_line=surely_invalid_lines, data=st.data())
    def import_a_batch_with_one_bad_line(
        self, size: int, bad_line: str | bytes, data: st.DataObject
    ) -> None:
        batch: list[str | bytes] = list(texts_of(self.pending[:size]))
        position = data.draw(st.integers(0, len(batch)), label="bad line's position")
        batch.insert(position, bad_line)

        with pytest.raises(ImportRejectedError) as rejected:
            self.orbit.import_lines(batch)

        assert [problem.line for problem in rejected.value.problems] == [position + 1]

    @precondition(lambda self: self.stored)
    @rule(data=st.data(), size=_batch_sizes)
    def import_a_stored_id_with_other_content(self, data: st.DataObject, size: int) -> None:
        stored = data.draw(st.sampled_from(self.stored), label="stored line")
        changed = json.loads(stored.text)
        changed["date"] = (stored.recorded.event.date + dt.timedelta(days=1)).isoformat()
        if "until" in changed.get("data", {}):  # a closure ends on or after its date
            until = dt.date.fromisoformat(changed["data"]["until"]) + dt.timedelta(days=1)
            changed["data"]["until"] = until.isoformat()
        batch = [*texts_of(self.pending[:size]), json.dumps(changed)]

        with pytest.raises(ImportRejectedError) as rejected:
            self.orbit.import_lines(batch)

        assert [problem.line for problem in rejected.value.problems] == [len(batch)]
        assert "already stored with other content" in rejected.value.problems[0].message

    @precondition(lambda self: self.stored)
    @rule(data=st.data(), size=_batch_sizes)
    def reimport_stored_lines_then_new_ones(self, data: st.DataObject, size: int) -> None:
        again = data.draw(st.lists(st.sampled_from(self.stored), min_size=1), label="again")
        new = self.pending[:size]

        result = self.orbit.import_lines(texts_of([*again, *new]))

        assert (result.stored, result.already_stored) == (len(new), len(again))
        self.stored += new
        del self.pending[:size]

    @rule()
    def reopen_the_store(self) -> None:
        self.orbit.close()
        self.orbit = Orbit.open(self.url)

    # ------------------------------------------------------------ reading

    @rule()
    def export(self) -> None:
        assert list(self.orbit.export_lines()) == texts_of(self.stored)

    @rule(period=periods(), known_at=known_ats)
    def replay(self, period: Period, known_at: dt.datetime | None) -> None:
        self.assert_report_is_the_models(period, known_at)

    def assert_report_is_the_models(self, period: Period, known_at: dt.datetime | None) -> None:
        report = self.orbit.report(period, known_at=known_at).to_json_dict()

        expected = build_report(recorded_of(self.stored), period, known_at=known_at)
        replayed = [
            line.text
            for line in self.stored
            if line.recorded.event.date <= period.end
            and (known_at is None or line.recorded.recorded_at <= known_at)
        ]
        assert without_fingerprint(report) == without_fingerprint(expected.to_json_dict())
        assert self.orbit.fingerprint(until=period.end, known_at=known_at) == report["fingerprint"]
        self.assert_fingerprint_is_a_function_of_the_replayed_lines(
            tuple(replayed), report["fingerprint"]
        )

    def assert_fingerprint_is_a_function_of_the_replayed_lines(
        self, replayed: tuple[str, ...], fingerprint: str
    ) -> None:
        """The same replayed lines always give the same fingerprint, whatever happened to
        the store in between; other lines, another one."""
        if replayed in self.fingerprints:
            assert fingerprint == self.fingerprints[replayed]
        else:
            assert fingerprint not in self.fingerprints.values()
            self.fingerprints[replayed] = fingerprint

    @invariant()
    def the_store_holds_exactly_the_models_lines(self) -> None:
        assert list(self.orbit.export_lines()) == texts_of(self.stored)

    @invariant()
    def the_report_up_to_the_last_date_stored_is_the_models(self) -> None:
        """Replays every stored event; a short period keeps the check quick."""
        last = max((line.recorded.event.date for line in self.stored), default=EPOCH)
        self.assert_report_is_the_models(Period(last - dt.timedelta(days=45), last), None)

    def teardown(self) -> None:
        self.orbit.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def test_the_store_agrees_with_a_list_of_accepted_lines_after_every_import_export_and_replay() -> (
    None
):
    """Whatever sequence of imports (valid batches continuing the streams, batches with a
    bad line, re-imports, clashing ids), reopenings, exports and replays runs, the
    SQLite store exports exactly the accepted lines and reports what ``build_report``
    computes from them, with one fingerprint per set of replayed lines; a rejected batch
    changes nothing."""
    run_state_machine_as_test(
        StoreAgainstModel,
        settings=settings(
            max_examples=max(10, settings().max_examples // 8), stateful_step_count=30
        ),
    )
