"""Progress bars: on a terminal, after a second of work, on standard error; never with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbit_cli.main import cli
from orbit_cli.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def terminal() -> FakeTerminal:
    return FakeTerminal()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def progress(stream: io.StringIO, clock: FakeClock, *, enabled: bool = True) -> Progress:
    return Progress(1000, "replaying", "events", enabled=enabled, stream=stream, clock=clock)


def test_no_bar_appears_for_work_that_ends_within_a_second(
    terminal: FakeTerminal, clock: FakeClock
) -> None:
    with progress(terminal, clock) as bar:
        clock.now += 0.5
        bar.advance(1000)

    assert terminal.getvalue() == ""


def test_a_bar_with_rate_and_time_left_appears_once_work_takes_over_a_second(
    terminal: FakeTerminal, clock: FakeClock
) -> None:
    with progress(terminal, clock) as bar:
        clock.now += 2.0
        bar.advance(500)
        bar.advance(100)

    drawn = terminal.getvalue()
    assert "replaying" in drawn
    assert "60%" in drawn
    assert "300 events/s" in drawn


def test_the_rate_separates_thousands_with_a_space(
    terminal: FakeTerminal, clock: FakeClock
) -> None:
    with progress(terminal, clock) as bar:
        clock.now += 2.0
        bar.advance(24_000)

    assert "12 000 events/s" in terminal.getvalue()


def test_quiet_turns_the_bar_off(terminal: FakeTerminal, clock: FakeClock) -> None:
    with progress(terminal, clock, enabled=False) as bar:
        clock.now += 5.0
        bar.advance(1000)

    assert terminal.getvalue() == ""


def test_there_is_no_bar_when_standard_error_is_not_a_terminal(clock: FakeClock) -> None:
    pipe = io.StringIO()
    with progress(pipe, clock) as bar:
        clock.now += 5.0
        bar.advance(1000)

    assert pipe.getvalue() == ""


def test_the_commands_accept_quiet_and_keep_json_on_stdout_clean(
    sqlite_url: str, sample_path: Path
) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--store", sqlite_url, "-q", "import", str(sample_path)])

    result = runner.invoke(
        cli, ["--store", sqlite_url, "--quiet", "report", "--year", "2024", "--format", "json"]
    )

    assert result.exit_code == 0
    assert result.stdout.startswith("{")
    assert result.stderr == ""
