"""``orbit import`` and ``orbit export``: events-v1 in and out of the store."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.progress import Progress, lines_with_progress
from orbit_cli.safe_text import printable
from orbit_cli.wording import counted, number


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--allow-forgotten",
    is_flag=True,
    help="Accept events of participants forgotten before, as new people (needs --reason).",
)
@click.option("--reason", help="Why forgotten participants are imported again (logged).")
@click.option(
    "--allow-future",
    is_flag=True,
    help="Accept recorded_at later than now (test data written ahead of time).",
)
@pass_state
def import_command(
    state: CliState, file: str, allow_forgotten: bool, reason: str | None, allow_future: bool
) -> None:
    """Validate and store the events of an events-v1 FILE (- for standard input).

    All or nothing: if any line is bad, every bad line is named and nothing is stored.
    Events whose id is already stored with the same content are skipped.
    """
    from orbit_adapters import ImportRejectedError  # noqa: PLC0415 (lazy)

    if allow_forgotten != (reason is not None) or (reason is not None and not reason.strip()):
        raise click.UsageError("--allow-forgotten and --reason go together, with a reason")
    source = "standard input" if file == "-" else file
    try:
        with (
            _open_input(file) as lines,
            state.storing() as orbit,
            _import_progress(lines, state) as progress,
        ):
            result = orbit.import_lines(
                lines_with_progress(lines, progress),
                allow_forgotten=reason,
                allow_future=allow_future,
            )
    except ImportRejectedError as rejected:
        for problem in rejected.problems:
            click.echo(printable(str(problem)), err=True)
        if rejected.total > len(rejected.problems):
            click.echo(f"... and {number(rejected.total - len(rejected.problems))} more", err=True)
        raise click.ClickException(
            f"{source}: {counted(rejected.total, 'bad line')}; nothing was stored"
        ) from None
    if result.stored == result.already_stored == 0:
        click.echo(f"{printable(source)} holds no events: nothing stored")
        return
    click.echo(
        f"stored {counted(result.stored, 'event')}, {number(result.already_stored)} already stored"
    )


@contextmanager
def _open_input(file: str) -> Iterator[BinaryIO]:
    """The input as binary lines; opened before the store, so a typo creates no store."""
    if file == "-":
        yield sys.stdin.buffer
        return
    with Path(file).open("rb") as lines:
        yield lines


def _import_progress(source: BinaryIO, state: CliState) -> Progress:
    """Progress in bytes of the file; none for a pipe, whose size is unknown."""
    try:
        info = os.fstat(source.fileno())
        size = info.st_size if stat.S_ISREG(info.st_mode) else 0
    except (OSError, ValueError):
        size = 0
    return Progress(size, "importing", "lines", enabled=not state.quiet)


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@pass_state
def export_command(state: CliState, file: str | None) -> None:
    """Write every stored event as events-v1, in store order, to FILE or standard output.

    Importing the result into an empty store gives the same export and fingerprint.
    """
    lines = state.orbit().export_lines()
    if file is None or file == "-":
        for line in lines:
            sys.stdout.write(line + "\n")
        return
    path = Path(file)
    try:
        if replaceable(path):
            _write_atomically(path, lines)
        else:
            _write_into(path, lines)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise click.ClickException(f"cannot write {file}: {reason}") from None


@click.command("organisations")
@pass_state
def organisations_command(state: CliState) -> None:
    """List the organisations in the store, with their number of events."""
    organisations = state.orbit(needs_key=False).organisations()
    if not organisations:
        click.echo("the store holds no events yet", err=True)
    for name, count in organisations.items():
        click.echo(f"{name}\t{count}")  # data for scripts: digits only


def replaceable(path: Path) -> bool:
    """Whether a command (export, annual-report) may replace ``path`` by renaming a new
    file over it.

    Only for a new file or a plain regular file. Anything else is written into, as
    named: a symbolic link's target, a file with other hard links, a FIFO, a device
    (/dev/stdout, /dev/null); a rename would replace the link or the node instead.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return True
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


def _write_into(path: Path, lines: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(f"{line}\n")


def _write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Write to a temporary file beside ``path`` and rename it: never a half-written export."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent or Path(), prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                out.write(f"{line}\n")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
