"""The code in the docs runs: an example a user copies must work."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from orbit_adapters import (
    NewEvent,
    Orbit,
    Outcome,
    ParticipantExited,
    ParticipantReferred,
    Period,
    PlacementStarted,
    SeatsAllocated,
    Weighting,
)

DOCS = Path(__file__).parent.parent / "docs"


def python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), re.DOTALL)


def test_the_embedding_example_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    example = python_blocks(DOCS / "embedding.md")[0]  # the eventsourcing one is tested apart

    exec(compile(example, "docs/embedding.md", "exec"), {})

    assert (tmp_path / "embedded-example.db").exists()
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4
    assert printed[1].startswith("2 P-1 ParticipantReferred(")


def test_the_seat_usage_worked_example_of_docs_reports_is_what_orbit_computes(
    sqlite_url: str,
) -> None:
    """docs/reports.md: Kari all April at 100 %, Ola from 11 April at 60 %, Per exits on
    10 April; 10 seats, 12 from 16 April."""
    day = dt.date
    known = dt.datetime(2024, 4, 30, tzinfo=dt.UTC)
    events = [
        NewEvent(SeatsAllocated(day(2024, 1, 1), "AFT", 10), recorded_at=known),
        NewEvent(SeatsAllocated(day(2024, 4, 16), "AFT", 12), recorded_at=known),
    ]
    for name, start, percentage in (("Kari", 2, None), ("Per", 2, None), ("Ola", 4, 60)):
        events.append(NewEvent(ParticipantReferred(day(2024, 1, 2), "AFT"), name, None, known))
        placed_on = day(2024, 2, 1) if start == 2 else day(2024, 4, 11)
        events.append(NewEvent(PlacementStarted(placed_on, percentage), name, None, known))
    events.append(
        NewEvent(ParticipantExited(day(2024, 4, 10), Outcome.UNKNOWN), "Per", None, known)
    )

    def april(until: int, weighting: Weighting) -> tuple[float, float]:
        period = Period(day(2024, 4, 1), day(2024, 4, until))
        (month,) = orbit.report(period, weighting=weighting).programmes["AFT"].seat_usage.months
        return round(month.used, 3), round(month.allocated, 3)

    with Orbit.open(sqlite_url) as orbit:
        orbit.append(events)
        assert april(30, Weighting.PROPORTIONAL) == (1.733, 11.0)
        assert april(30, Weighting.NAV) == (2.0, 11.0)
        assert april(20, Weighting.PROPORTIONAL) == (1.8, 10.5)


PROJECT = DOCS.parent
# A markdown link's target, or a path to a markdown file written in parentheses.
_REFERENCE = re.compile(r"\]\(([^)\s#]+)[^)]*\)|\(((?:\.\./|\./)?[\w./-]+\.md)\)")


def test_every_file_the_docs_refer_to_is_in_the_project() -> None:
    missing = []
    for document in [PROJECT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for link, bare in _REFERENCE.findall(document.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", link):
                continue  # a web address
            # A link is relative to its document; a path in prose may be the project's.
            bases = [document.parent] if link else [document.parent, PROJECT]
            paths = [(base / (link or bare)).resolve() for base in bases]
            if not any(path.is_relative_to(PROJECT) and path.exists() for path in paths):
                missing.append(f"{document.relative_to(PROJECT)}: {link or bare}")
    assert missing == []
