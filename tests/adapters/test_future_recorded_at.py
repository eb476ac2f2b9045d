"""A recorded_at in the future is refused: stored, it would block its stream for good.

Every later event of the stream must be recorded at or after it, so one typo (2204 for
2024) would make the stream's every next line fail the recorded_at rule.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbit_adapters import NewEvent, importing
from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_cli.main import cli
from orbit_domain.events import SeatsAllocated

pytestmark = pytest.mark.real_clock_skew

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
ALLOCATION = '{"type":"SeatsAllocated","date":"2024-01-01","data":{"programme":"AFT","seats":55}}'
REFERRAL = (
    '{"type":"ParticipantReferred","participant":"P-1","date":"2024-01-10",'
    '"data":{"programme":"AFT"}}'
)


def recorded(line: str, moment: str) -> str:
    return json.dumps({**json.loads(line), "recorded_at": moment})


def problems(orbit: Orbit, lines: list[str]) -> list[str]:
    before = list(orbit.export_lines())
    with pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines(lines)
    assert list(orbit.export_lines()) == before, "a rejected import stores nothing"
    return [str(problem) for problem in rejected.value.problems]


def test_the_tolerance_for_clock_skew_is_the_documented_five_minutes() -> None:
    assert dt.timedelta(minutes=5) == importing.CLOCK_SKEW


def test_a_recorded_at_years_ahead_is_refused_on_every_stream(store_url: str) -> None:
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines([recorded(REFERRAL, "2024-01-10T12:00:00Z")])

        found = problems(
            orbit,
            [
                recorded(ALLOCATION, "2204-12-12T00:00:00Z"),
                recorded(REFERRAL.replace("P-1", "P-2"), "2204-12-12T00:00:00+01:00"),
                recorded(
                    '{"type":"Waitlisted","participant":"P-1","date":"2024-01-11"}',
                    "2027-01-01T00:00:00Z",
                ),
            ],
        )

    later = (
        "is in the future: later than the time of this import, 2026-11-30T09:00:00+00:00, "
        "plus 5 minutes for clock skew"
    )
    assert found == [
        f"line 1: SeatsAllocated: recorded_at 2204-12-12T00:00:00+00:00 {later}",
        f"line 2: ParticipantReferred for P-2: recorded_at 2204-12-11T23:00:00+00:00 {later}",
        f"line 3: Waitlisted for P-1: recorded_at 2027-01-01T00:00:00+00:00 {later}",
    ]


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2026-11-30T09:00:00Z", True),
        ("2026-11-30T09:05:00Z", True),
        ("2026-11-30T09:05:00.000001Z", False),
        ("2026-11-30T10:04:59+01:00", True),
    ],
)
def test_up_to_five_minutes_past_the_import_is_accepted_for_clock_skew(
    moment: str, accepted: bool
) -> None:
    with Orbit.open("sqlite://", clock=lambda: NOW) as orbit:
        line = recorded(ALLOCATION, moment)
        if accepted:
            assert orbit.import_lines([line]).stored == 1
        else:
            assert len(problems(orbit, [line])) == 1


def test_appended_events_are_held_to_the_same_rule() -> None:
    allocation = SeatsAllocated(dt.date(2024, 1, 1), programme="AFT", seats=55)
    future = NOW + dt.timedelta(days=1)

    with Orbit.open("sqlite://", clock=lambda: NOW) as orbit:
        with pytest.raises(ImportRejectedError) as rejected:
            orbit.append([NewEvent(allocation, recorded_at=future)])
        assert orbit._store.count() == 0

    assert "is in the future" in str(rejected.value.problems[0])


def test_a_stream_that_holds_a_future_recorded_at_is_rebuilt_as_docs_events_md_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The recovery docs/events.md gives: export, correct the line, import into a new
    store. The old store (made before the rule) refuses the stream's next allocation;
    the new one takes it."""
    typo = recorded(ALLOCATION, "2204-12-12T00:00:00Z")
    next_allocation = recorded(
        ALLOCATION.replace("2024-01-01", "2024-07-01"), "2024-06-01T00:00:00Z"
    )
    with Orbit.open("sqlite://", clock=lambda: NOW) as old:
        with monkeypatch.context() as before_the_rule:
            before_the_rule.setattr(importing, "CLOCK_SKEW", dt.timedelta(days=100_000))
            old.import_lines([typo])
        assert (
            "is before the stream's previous recorded_at 2204"
            in problems(old, [next_allocation])[0]
        )
        corrected = [
            line.replace("2204-12-12T00:00:00Z", "2023-12-12T00:00:00Z")
            for line in old.export_lines()
        ]

    with Orbit.open("sqlite://", clock=lambda: NOW) as new:
        new.import_lines(corrected)
        assert new.import_lines([next_allocation]).stored == 1


def test_allow_future_accepts_a_recorded_at_ahead_of_now_and_the_cli_says_how(
    tmp_path: Path,
) -> None:
    lines = [recorded(ALLOCATION, "2204-12-12T00:00:00Z")]
    with Orbit.open("sqlite://", clock=lambda: NOW) as orbit:
        result = orbit.import_lines(lines, allow_future=True)
        assert result.stored == 1

    history = tmp_path / "ahead.jsonl"
    history.write_text(lines[0] + "\n", encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'orbit.db'}"
    refused = CliRunner().invoke(cli, ["--store", store, "import", str(history)])
    accepted = CliRunner().invoke(cli, ["--store", store, "import", "--allow-future", str(history)])

    assert refused.exit_code == 1
    assert "is in the future" in refused.stderr
    assert accepted.exit_code == 0, accepted.output
    assert "stored 1 event" in accepted.stderr + accepted.stdout
