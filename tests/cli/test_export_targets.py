"""``orbit export FILE`` writes into what FILE names; only a plain file is replaced whole."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli
from privacy_journeys import journey


def run(store: str, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args], input=stdin)


@pytest.fixture
def filled_store(sqlite_url: str) -> str:
    texts = journey("E-1", "e")
    assert run(sqlite_url, "import", "-", stdin="".join(f"{t}\n" for t in texts)).exit_code == 0
    return sqlite_url


@pytest.fixture
def exported(filled_store: str) -> str:
    result = run(filled_store, "export")
    assert result.exit_code == 0
    return result.stdout


def test_a_new_file_is_written_whole(filled_store: str, exported: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "events.jsonl"
    target.parent.mkdir()

    result = run(filled_store, "export", str(target))

    assert result.exit_code == 0
    assert target.read_text() == exported
    assert sorted(target.parent.iterdir()) == [target]  # no temporary file left


def test_a_plain_file_is_replaced_by_a_rename(
    filled_store: str, exported: str, tmp_path: Path
) -> None:
    target = tmp_path / "events.jsonl"
    target.write_text("old\n")
    old_inode = target.stat().st_ino

    result = run(filled_store, "export", str(target))

    assert result.exit_code == 0
    assert target.read_text() == exported
    assert target.stat().st_ino != old_inode  # the atomic rename: never half an export


def test_a_symbolic_link_stays_a_link_and_its_target_gets_the_export(
    filled_store: str, exported: str, tmp_path: Path
) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)

    result = run(filled_store, "export", str(link))

    assert result.exit_code == 0
    assert link.is_symlink()
    assert real.read_text() == exported


def test_a_file_with_another_hard_link_is_written_in_place_for_both_names(
    filled_store: str, exported: str, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text("old\n")
    second = tmp_path / "second.jsonl"
    second.hardlink_to(first)

    result = run(filled_store, "export", str(first))

    assert result.exit_code == 0
    assert first.stat().st_ino == second.stat().st_ino
    assert second.read_text() == exported


def test_a_fifo_stays_a_fifo_and_its_reader_gets_the_export(
    filled_store: str, exported: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()

    result = run(filled_store, "export", str(fifo))
    reader.join(timeout=30)

    assert result.exit_code == 0
    assert received == [exported]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


DEVICE_NUMBERS = {"null": (1, 3), "full": (1, 7)}  # Linux's character devices


def a_device(name: str, folder: Path) -> Path:
    """``/dev/NAME``; as root, a node of the same device in ``folder`` instead.

    An export that replaced the node it was given (the bug this guards against) may do
    so as root: it must never replace the system's own /dev/null.
    """
    if os.geteuid() != 0:
        return Path("/dev") / name
    node = folder / name
    major, minor = DEVICE_NUMBERS[name]
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except (PermissionError, AttributeError):
        pytest.skip("this root may not make device nodes")
    return node


def test_dev_null_takes_the_export_and_stays_a_device(filled_store: str, tmp_path: Path) -> None:
    null = a_device("null", tmp_path)

    result = run(filled_store, "export", str(null))

    assert result.exit_code == 0
    assert stat.S_ISCHR(null.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_is_a_one_line_no_space_error(filled_store: str, tmp_path: Path) -> None:
    full = a_device("full", tmp_path)

    result = run(filled_store, "export", str(full))

    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {full}: no space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)
