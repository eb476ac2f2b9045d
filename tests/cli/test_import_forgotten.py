"""`orbit import --allow-forgotten --reason`: the one way to bring a forgotten key back."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli
from privacy_journeys import journey


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


LINES = "".join(f"{text}\n" for text in journey("F-1", "f"))


@pytest.fixture
def forgotten_store(sqlite_url: str) -> str:
    assert run(sqlite_url, "import", "-", stdin=LINES).exit_code == 0
    assert run(sqlite_url, "forget", "F-1", "--reason", "erasure request").exit_code == 0
    return sqlite_url


def test_importing_a_forgotten_persons_lines_again_names_each_line(forgotten_store: str) -> None:
    result = run(forgotten_store, "import", "-", stdin=LINES)

    assert result.exit_code == 1
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert f"line 1: ParticipantReferred for F-1: this participant was forgotten on {today}" in (
        result.stderr
    )
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "options",
    [["--allow-forgotten"], ["--reason", "came back"], ["--allow-forgotten", "--reason", " "]],
    ids=["no-reason", "no-flag", "blank-reason"],
)
def test_allow_forgotten_and_reason_go_together(forgotten_store: str, options: list[str]) -> None:
    result = run(forgotten_store, "import", *options, "-", stdin="")

    assert result.exit_code == 1
    assert "--allow-forgotten and --reason go together, with a reason" in result.stderr


def test_allow_forgotten_with_a_reason_imports_them_as_a_new_person(forgotten_store: str) -> None:
    fresh_ids = LINES.replace('"id": "f-', '"id": "again-')
    result = run(
        forgotten_store,
        "import",
        "--allow-forgotten",
        "--reason",
        "came back",
        "-",
        stdin=fresh_ids,
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == "stored 5 events, 0 already stored\n"
