"""docs/funding.md: its worked examples are what orbit computes, and its code runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbit_adapters.events_v1 import decode_line
from orbit_cli.funding_printers import kroner
from orbit_cli.main import cli
from orbit_domain.funding import FundingResult, funding
from orbit_domain.history import Recorded
from orbit_domain.organisation import Closure
from orbit_domain.period import Period
from orbit_domain.projections import EMPTY_TIMELINES, fold

FUNDING_DOC = Path(__file__).parent.parent / "docs" / "funding.md"


def blocks(language: str) -> list[str]:
    text = FUNDING_DOC.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def section(title: str) -> str:
    text = FUNDING_DOC.read_text(encoding="utf-8")
    start = text.index(f"### {title}")
    return text[start : text.index("\n### ", start + 1)]


def example_funding(month: int) -> FundingResult:
    (lines,) = blocks("jsonl")
    history = []
    for line in lines.splitlines():
        decoded = decode_line(line)
        assert decoded.recorded_at is not None
        history.append(
            Recorded(decoded.participant, decoded.recorded_at, decoded.event, decoded.event_id)
        )
    timelines = fold(EMPTY_TIMELINES, history)
    closures = [Closure(c.start, c.end, c.programme) for c in timelines.facts.closures]
    assert closures == [Closure(dt.date(2025, 8, 4), dt.date(2025, 8, 8))]
    first = dt.date(2025, month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return funding(timelines, Period(first, last), closures=closures, by_participant=True)


@pytest.mark.parametrize(("month", "title"), [(7, "July 2025"), (8, "August 2025")])
def test_the_worked_examples_state_what_orbit_computes(month: int, title: str) -> None:
    result = example_funding(month)
    text = section(title)

    (found,) = result.months
    assert f"Månedsverk {found.manedsverk};" in text
    assert f"→ **{kroner(found.payment)} kr**" in text
    assert f"**{kroner(found.commitment)} kr**" in text
    for line in result.participants:
        assert f"→ {line.manedsverk} |" in text or f"= {line.manedsverk} |" in text, line


def test_the_claim_check_example_prints_as_shown(tmp_path: Path) -> None:
    (lines,) = blocks("jsonl")
    (shown,) = [block for block in blocks("text") if block.startswith("orbit funding")]
    history = tmp_path / "example.jsonl"
    history.write_text(lines, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'orbit.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "import", str(history)]).exit_code == 0

    result = runner.invoke(
        cli, ["--store", store, "-q", "funding", "--month", "2025-07", "--by-participant"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == shown


def test_the_program_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (example,) = blocks("python")

    exec(compile(example, "docs/funding.md", "exec"), {})

    assert (tmp_path / "orbit.db").exists()
