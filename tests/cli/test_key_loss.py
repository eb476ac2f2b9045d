"""After the master key is lost, every report (funding and the annual report too) still works;
personal data is gone for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli
from privacy_journeys import journey
from store_snapshot import snapshot

STATISTICS = [
    ("report", "--year", "2024"),
    ("report", "--year", "2024", "--format", "json", "--all-organisations"),
    ("replay", "--until", "2024-06-30"),
    ("organisations",),
    ("funding", "--year", "2024"),
    ("annual-report", "--year", "2024", "--format", "json", "--output", "annual.json"),
]
NEEDS_THE_KEY = [
    ("export",),
    ("forget", "L-1"),
    ("keys", "rotate"),
    ("import", "-"),
    ("funding", "--year", "2024", "--by-participant"),  # the lines carry participant keys
]


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


def lines(texts: list[str]) -> str:
    return "".join(f"{text}\n" for text in texts)


def key_file_of(store_url: str, folder: Path) -> Path:
    if store_url.startswith("postgresql"):
        return folder / "postgres-master.key"  # the postgres_url fixture's ORBIT_KEY_FILE
    return folder / "orbit.db.key"


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where the annual report is written
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1741939200")


@pytest.fixture
def store_without_its_key(store_url: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A store whose key file is gone, and what each statistics command printed before."""
    assert run(store_url, "import", "-", stdin=lines(journey("L-1", "l"))).exit_code == 0
    printed = {" ".join(command): run(store_url, *command).stdout for command in STATISTICS}
    key_file_of(store_url, tmp_path).unlink()
    return store_url, printed


@pytest.mark.parametrize("command", STATISTICS, ids=" ".join)
def test_statistics_need_no_key_and_say_personal_data_is_unreadable(
    store_without_its_key: tuple[str, dict[str, str]], tmp_path: Path, command: tuple[str, ...]
) -> None:
    store_url, printed = store_without_its_key
    key_file = key_file_of(store_url, tmp_path)

    result = run(store_url, *command)

    assert result.exit_code == 0, result.output
    assert result.stdout == printed[" ".join(command)]
    assert result.stderr.startswith(f"note: master key file {key_file} is missing: ")
    assert result.stderr.endswith(
        "; the statistics need no key, but personal data cannot be read without it\n"
    )
    assert not key_file.exists()


@pytest.mark.parametrize("command", NEEDS_THE_KEY, ids=" ".join)
def test_commands_that_need_personal_data_name_the_missing_key_and_change_nothing(
    store_without_its_key: tuple[str, dict[str, str]], tmp_path: Path, command: tuple[str, ...]
) -> None:
    store_url, _ = store_without_its_key
    key_file = key_file_of(store_url, tmp_path)
    before = snapshot(store_url, tmp_path)

    result = run(store_url, *command, stdin=lines(journey("L-2", "k")))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: master key file {key_file} is missing: ")
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(store_url, tmp_path) == before
