"""`orbit generate` as a user runs it: where the history goes, the summary, bad options."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_adapters.events_v1 import decode_line
from orbit_cli.generate_command import generate


def run(*args: str) -> Result:
    return CliRunner().invoke(generate, list(args))


def test_generate_writes_a_history_to_a_file_and_a_one_line_summary_to_stderr(
    tmp_path: Path,
) -> None:
    output = tmp_path / "history.jsonl"

    result = run("--participants", "30", str(output))

    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert all(decode_line(line) for line in lines)
    assert result.stdout == ""
    assert result.stderr == (
        f"wrote {len(lines):,} events (30 participants, 2021-2024) to {output}\n"
    )


def test_generate_writes_to_standard_output_and_keeps_the_summary_off_it() -> None:
    result = run("--participants", "20", "--years", "2024")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert {json.loads(line)["participant"] for line in lines if "participant" in line} == {
        f"P-{n:06d}" for n in range(1, 21)
    }
    assert result.stderr.startswith(f"wrote {len(lines)} events (20 participants, 2024-2024)")


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not() -> None:
    first, again, other = (
        run("--seed", seed, "--participants", "25", "--years", "2023-2024").stdout
        for seed in ("5", "5", "6")
    )

    assert first == again
    assert first != other


def test_the_default_history_covers_2021_to_2024_for_300_participants() -> None:
    result = run()

    dates = [decode_line(line).event.date for line in result.stdout.splitlines()]
    assert {2021, 2022, 2023, 2024} <= {date.year for date in dates}
    assert max(dates) <= dt.date(2024, 12, 31)
    assert "(300 participants, 2021-2024)" in result.stderr


def test_several_organisations_are_written_one_file_each_with_their_own_keys(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "organisations"

    result = run("--organisations", "3", "--participants", "15", str(directory))

    assert result.exit_code == 0, result.output
    files = sorted(path.name for path in directory.iterdir())
    assert files == ["org-01.jsonl", "org-02.jsonl", "org-03.jsonl"]
    keys = {
        name: {
            decode_line(line).participant
            for line in (directory / name).read_text(encoding="utf-8").splitlines()
        }
        - {None}
        for name in files
    }
    assert keys["org-02.jsonl"] == {f"ORG02-P-{n:06d}" for n in range(1, 16)}
    assert (directory / "org-01.jsonl").read_bytes() != (directory / "org-02.jsonl").read_bytes()
    assert "15 participants in each of 3 organisations" in result.stderr


@pytest.mark.parametrize("output", ["-", "a-file"])
def test_several_organisations_need_a_directory(tmp_path: Path, output: str) -> None:
    if output != "-":
        output = str(tmp_path / output)
        Path(output).write_text("", encoding="utf-8")

    result = run("--organisations", "2", output)

    assert result.exit_code == 2
    assert "must be a directory when --organisations is more than 1" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("years", ["2024-2021", "21-24", "2021..2024", "abc", "1800-1801"])
def test_bad_years_are_a_usage_error_without_a_traceback(years: str) -> None:
    result = run("--years", years)

    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "is not a range of years like 2021-2024" in errors[0]
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("option", ["--participants", "--organisations"])
def test_fewer_than_one_participant_or_organisation_is_a_usage_error(option: str) -> None:
    result = run(option, "0")

    assert result.exit_code == 2
    assert "Invalid value" in result.stderr


def test_an_output_that_cannot_be_written_is_a_one_line_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "missing" / "history.jsonl"))

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Could not open file")
    assert len(result.stderr.splitlines()) == 1
