"""What the command line says: nothing hidden, nothing unbounded, counted in words."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_adapters.national_id import is_national_id
from orbit_cli.main import cli
from orbit_cli.safe_text import MESSAGE_LIMIT, printable
from privacy_journeys import journey

BIDI_AND_CONTROLS = "\u202e\u2066\u200f\x1b[31m\x07\x00\r"


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


def lines(texts: list[str]) -> str:
    return "".join(f"{text}\n" for text in texts)


def hidden_characters(text: str) -> set[str]:
    """Characters a terminal would act on or hide, newlines between lines left out."""
    return {c for c in text.replace("\n", "") if unicodedata.category(c) in {"Cc", "Cf", "Cs"}}


@pytest.fixture
def filled_store(sqlite_url: str) -> str:
    assert run(sqlite_url, "import", "-", stdin=lines(journey("M-1", "m"))).exit_code == 0
    return sqlite_url


def a_national_id() -> str:
    """A made-up 11-digit number with valid check digits (no real person's)."""
    return next(c for c in (f"0101990{n:04d}" for n in range(10_000)) if is_national_id(c))


def test_printable_masks_passwords_drops_hidden_characters_and_cuts_long_text() -> None:
    assert (
        printable("postgresql://orbit:s3cr@t@db/x failed") == "postgresql://orbit:***@db/x failed"
    )
    assert printable(f"P-1{BIDI_AND_CONTROLS}2") == "P-1[31m 2"
    assert len(printable("x" * 10 * MESSAGE_LIMIT)) == MESSAGE_LIMIT


def test_a_participant_key_is_echoed_without_control_or_bidi_characters(
    filled_store: str,
) -> None:
    result = run(filled_store, "forget", f"P-{BIDI_AND_CONTROLS}9")

    assert result.exit_code == 1
    assert result.stderr == "Error: no participant P-[31m 9 in organisation default\n"


def test_bad_input_echoed_in_an_import_error_is_stripped_and_bounded(filled_store: str) -> None:
    huge_type = f"{BIDI_AND_CONTROLS}Hired" * 20_000
    bad = json.dumps({"type": huge_type, "participant": huge_type})  # escapes them: valid JSON

    result = run(filled_store, "import", "-", stdin=f"{bad}\n")

    assert result.exit_code == 1
    assert hidden_characters(result.output) == set()
    assert max(len(line) for line in result.output.splitlines()) <= MESSAGE_LIMIT + len("Error: ")


def test_a_national_id_given_to_forget_is_never_repeated(filled_store: str) -> None:
    number = a_national_id()

    for written in (number, f"{number[:6]}-{number[6:]}", f"fnr:{number}"):
        result = run(filled_store, "forget", written)

        assert result.exit_code == 1
        assert number[6:] not in result.output
        assert result.stderr == (
            "Error: no participant with that key in organisation default (it holds a "
            "national identity number, which orbit never stores as a key)\n"
        )


def test_one_of_a_thing_is_singular(filled_store: str, tmp_path: Path) -> None:
    imported = run(filled_store, "import", "-", stdin=lines(journey("M-2", "n")[:1]))
    forgotten = run(filled_store, "forget", "M-2")
    rejected = run(filled_store, "import", "-", stdin="not json\n")
    generated = run(filled_store, "generate", "--participants", "1", str(tmp_path / "g.jsonl"))

    assert imported.stdout == "stored 1 event, 0 already stored\n"
    assert forgotten.stdout == "forgot M-2: personal data of 1 event erased, statistics kept\n"
    assert rejected.stderr.endswith("Error: standard input: 1 bad line; nothing was stored\n")
    assert "(1 participant, " in generated.stderr


def test_thousands_are_separated_by_a_space_in_every_message(
    filled_store: str, tmp_path: Path
) -> None:
    rejected = run(filled_store, "import", "-", stdin="not json\n" * 1_060)
    generated = run(filled_store, "generate", "--participants", "1000", str(tmp_path / "g.jsonl"))

    assert rejected.stderr.splitlines()[-2:] == [
        "... and 1 010 more",
        "Error: standard input: 1 060 bad lines; nothing was stored",
    ]
    assert "(1 000 participants, " in generated.stderr
    assert "," not in generated.stderr.split("events")[0]


def test_an_empty_file_is_said_to_be_empty(filled_store: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")

    result = run(filled_store, "import", str(empty))

    assert result.exit_code == 0
    assert result.stdout == f"{empty} holds no events: nothing stored\n"


def test_a_known_at_in_the_future_is_warned_about(filled_store: str) -> None:
    result = run(filled_store, "report", "--year", "2024", "--known-at", "2999-01-01T00:00:00Z")

    assert result.exit_code == 0
    assert result.stderr == (
        "warning: --known-at 2999-01-01T00:00:00Z is in the future: the report holds every "
        "event recorded so far, and may change as more are recorded\n"
    )


@pytest.mark.parametrize(
    ("moment", "side"),
    [
        ("0001-01-01T00:00:00+01:00", "before the first"),
        ("9999-12-31T23:00:00-02:00", "after the last"),
    ],
)
def test_a_known_at_beyond_the_representable_moments_says_so(
    filled_store: str, moment: str, side: str
) -> None:
    result = run(filled_store, "report", "--year", "2024", "--known-at", moment)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Invalid value for '--known-at': '{moment}' is {side} moment orbit can "
        "represent (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z) "
        "(see 'orbit report --help')\n"
    )


def test_a_key_file_others_can_read_is_warned_about(filled_store: str, tmp_path: Path) -> None:
    key_file = tmp_path / "orbit.db.key"
    key_file.chmod(0o644)

    result = run(filled_store, "export")

    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: master key file {key_file} can be read by other users (mode 0644): "
        f"chmod 600 {key_file}\n"
    )


def test_export_to_dev_stdout_writes_to_the_commands_standard_output(
    filled_store: str, tmp_path: Path
) -> None:
    # /dev/stdout itself is a link to /proc/self/fd/1; a link of the test's own stands in
    # for it, so that the bug this guards against (replacing the link) running as root
    # could never replace the system's.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    command = [sys.executable, "-m", "orbit_cli", "--store", filled_store, "export"]

    to_stdout = subprocess.run(command, capture_output=True, text=True, check=True)
    named = subprocess.run([*command, str(stdout)], capture_output=True, text=True, check=False)

    assert named.returncode == 0, named.stderr
    assert named.stdout == to_stdout.stdout
    assert stdout.is_symlink()
