"""Any command line, any input file: a one-line error or a result, never a traceback.

Hypothesis draws command lines (strategies.command_lines: every command, plausible and
absurd arguments, broken store URLs) and import files (valid lines mixed with malformed
ones: bad JSON, bad UTF-8, mutated events). Whatever it draws:

- no exception escapes the command (a traceback);
- the exit code is non-zero exactly when an ``Error:`` line is printed;
- nothing printed to the terminal's error stream hides characters (controls, bidi);
- a refused command other than a report leaves every file byte-for-byte as it was (so
  a rejected import stored nothing, and no store or key file appeared), and a refused
  report creates no file (it may have saved replay checkpoints, a cache, first).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given

from orbit_cli.main import cli
from privacy_journeys import journey
from store_snapshot import snapshot
from strategies import CONFIG_FILES, STORE, command_lines

VALID_LINES = [*journey("F-1", "f"), *journey("F-2", "g")[:2]]
NO_ORBIT_VARIABLES = {"ORBIT_STORE": None, "ORBIT_KEY_FILE": None, "ORBIT_ORGANISATION": None}


@pytest.fixture(scope="module")
def base_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a small store, its key, and a text file that is no store."""
    folder = tmp_path_factory.mktemp("fuzz-base")
    url = f"sqlite:///{folder / 'orbit.db'}"
    source = "".join(f"{line}\n" for line in VALID_LINES[:5])
    assert CliRunner().invoke(cli, ["--store", url, "import", "-"], input=source).exit_code == 0
    (folder / "notes.txt").write_text("not a database\n")
    for name, content in CONFIG_FILES.items():
        (folder / name).write_bytes(content)
    return folder


@contextlib.contextmanager
def copy_of(folder: Path) -> Iterator[Path]:
    """A fresh copy of ``folder`` for one example, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="orbit-fuzz-") as scratch:
        copy = Path(scratch) / "folder"
        shutil.copytree(folder, copy)
        yield copy


def hidden_characters(text: str) -> set[str]:
    return {c for c in text.replace("\n", "") if unicodedata.category(c) in {"Cc", "Cf", "Cs"}}


@given(drawn=command_lines(VALID_LINES))
def test_no_command_line_or_input_file_gets_a_traceback_or_changes_a_store_it_is_refused(
    base_folder: Path, drawn: tuple[list[str], list[str | bytes]]
) -> None:
    with copy_of(base_folder) as folder:
        check_command(folder, *drawn)


def check_command(folder: Path, arguments: list[str], lines: list[str | bytes]) -> None:
    url = f"sqlite:///{folder / 'orbit.db'}"
    arguments = [url if argument == STORE else argument for argument in arguments]
    content = b"".join(
        (line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines
    )
    (folder / "input.jsonl").write_bytes(content)
    (folder / "folder").mkdir(exist_ok=True)
    before = snapshot(url, folder)

    with tempfile.TemporaryDirectory(dir=folder) as inside, contextlib.chdir(inside):
        # Relative paths (stores, input and output files) resolve inside the copy.
        for name in ("input.jsonl", "notes.txt", "folder", *CONFIG_FILES):
            (Path(inside) / name).symlink_to(folder / name)
        result = CliRunner().invoke(cli, arguments, input=content, env=NO_ORBIT_VARIABLES)
        created = sorted(path.name for path in Path(inside).iterdir() if not path.is_symlink())

    assert result.exception is None or isinstance(result.exception, SystemExit), (
        arguments,
        result.exception,
    )
    refused = result.exit_code != 0
    assert refused == ("Error: " in result.stderr), (arguments, result.exit_code, result.stderr)
    assert hidden_characters(result.stderr) == set(), arguments
    if refused:
        assert created == [], (arguments, created)
        after = snapshot(url, folder)
        if {"report", "replay", "annual-report", "funding"} & set(arguments):
            assert after["files"].keys() == before["files"].keys(), arguments
        else:
            assert after == before, arguments
