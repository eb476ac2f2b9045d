"""``orbit import`` and ``orbit export``: events-v1 in and out of the store."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.progress import Progress, lines_with_progress
from orbit_cli.safe_text import printable
from orbit_cli.wording import counted, number

if TYPE_CHECKING:
    from orbit_adapters import ImportRejectedError, ImportResult, Orbit


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
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
@click.option(
    "--organisation-per-file",
    is_flag=True,
    help="Import each file into the organisation named by its file name "
    "(org-01.jsonl into org-01), instead of --organisation.",
)
@pass_state
def import_command(
    state: CliState,
    files: tuple[str, ...],
    allow_forgotten: bool,
    reason: str | None,
    allow_future: bool,
    organisation_per_file: bool,
) -> None:
    """Validate and store the events of events-v1 FILES (- for standard input; a folder
    for every *.jsonl file in it, by name).

    Each file is all or nothing: if any of its lines is bad, every bad line is named and
    nothing of that file is stored. Files are imported one after the other, in the order
    given, each on its own: a rejected file does not stop the later ones, and the
    command then ends with an error naming the rejected files. Events whose id is
    already stored with the same content are skipped.
    """
    if allow_forgotten != (reason is not None) or (reason is not None and not reason.strip()):
        raise click.UsageError("--allow-forgotten and --reason go together, with a reason")
    sources = _import_sources(files)
    if organisation_per_file and "-" in sources:
        raise click.UsageError("--organisation-per-file needs files: standard input has no name")
    if organisation_per_file:
        _check_file_organisations(sources)
    if len(sources) == 1 and not organisation_per_file:
        _import_one(state, sources[0], reason, allow_future)
        return
    _import_many(state, sources, reason, allow_future, organisation_per_file)


def _import_sources(files: tuple[str, ...]) -> list[str]:
    """The files to import, in order: a folder stands for its ``*.jsonl`` files, by
    name. Each is checked to open before the store is: a typo creates no store."""
    sources: list[str] = []
    for file in files:
        path = Path(file)
        if file != "-" and path.is_dir():
            inside = sorted(str(child) for child in path.glob("*.jsonl") if child.is_file())
            if not inside:
                raise click.ClickException(f"{printable(file)}: a folder without *.jsonl files")
            sources.extend(inside)
        else:
            sources.append(file)
    if sources.count("-") > 1:
        raise click.UsageError("standard input (-) can be imported once")
    for source in sources:
        if source != "-":
            with Path(source).open("rb"):
                pass
    return sources


def _check_file_organisations(files: list[str]) -> None:
    """Every file's name must name an organisation before the first file is imported."""
    from orbit_adapters import StoreError, check_organisation_name  # noqa: PLC0415 (lazy)

    for file in files:
        try:
            check_organisation_name(Path(file).stem)
        except StoreError as error:
            raise click.ClickException(f"{printable(file)}: {error}") from None


def _import_one(state: CliState, file: str, reason: str | None, allow_future: bool) -> None:
    """One file, as ``orbit import`` always did: a rejected first import leaves no store."""
    from orbit_adapters import ImportRejectedError  # noqa: PLC0415 (lazy)

    source = _source_name(file)
    try:
        with state.storing() as orbit:
            result = _import_file(orbit, state, file, reason, allow_future)
    except ImportRejectedError as rejected:
        _echo_problems(rejected, prefix="")
        raise click.ClickException(f"{source}: {_rejection(rejected)}") from None
    click.echo(_result_line(source, result) if _is_empty(result) else _stored(result))


def _import_many(
    state: CliState,
    files: list[str],
    reason: str | None,
    allow_future: bool,
    organisation_per_file: bool,
) -> None:
    """Each file in its own transaction, one line of result each; the rejected ones are
    named at the end. A rejected file removes the store only if that file created it:
    nothing else was stored in it."""
    from orbit_adapters import ImportRejectedError  # noqa: PLC0415 (lazy)

    rejected_files: list[str] = []
    stored = already_stored = 0
    for file in files:
        source = _source_name(file)
        organisation = Path(file).stem if organisation_per_file else state.organisation
        file_state = CliState(state.store_url, organisation, state.key_file, state.quiet)
        try:
            with file_state.storing() as orbit:
                result = _import_file(orbit, file_state, file, reason, allow_future)
            orbit.close()
        except ImportRejectedError as rejected:
            _echo_problems(rejected, prefix=f"{source}: ")
            click.echo(printable(f"{source}: {_rejection(rejected)}"), err=True)
            rejected_files.append(source)
            continue
        stored += result.stored
        already_stored += result.already_stored
        into = f" (organisation {organisation})" if organisation_per_file else ""
        click.echo(_result_line(source, result) + printable(into))
    summary = (
        f"{counted(len(files) - len(rejected_files), 'file')} of {len(files)} imported: "
        f"stored {counted(stored, 'event')}, {number(already_stored)} already stored"
    )
    if rejected_files:
        raise click.ClickException(
            f"{summary}; {counted(len(rejected_files), 'file')} rejected, nothing of "
            f"{'it' if len(rejected_files) == 1 else 'them'} stored: "
            + printable(", ".join(rejected_files))
        )
    click.echo(summary)


def _import_file(
    orbit: Orbit, state: CliState, file: str, reason: str | None, allow_future: bool
) -> ImportResult:
    with _open_input(file) as lines, _import_progress(lines, state) as progress:
        return orbit.import_lines(
            lines_with_progress(lines, progress), allow_forgotten=reason, allow_future=allow_future
        )


def _source_name(file: str) -> str:
    return "standard input" if file == "-" else file


def _echo_problems(rejected: ImportRejectedError, *, prefix: str) -> None:
    for problem in rejected.problems:
        click.echo(printable(f"{prefix}{problem}"), err=True)
    if rejected.total > len(rejected.problems):
        more = f"... and {number(rejected.total - len(rejected.problems))} more"
        click.echo(printable(f"{prefix}{more}"), err=True)


def _rejection(rejected: ImportRejectedError) -> str:
    return f"{counted(rejected.total, 'bad line')}; nothing was stored"


def _is_empty(result: ImportResult) -> bool:
    return result.stored == result.already_stored == 0


def _stored(result: ImportResult) -> str:
    return (
        f"stored {counted(result.stored, 'event')}, {number(result.already_stored)} already stored"
    )


def _result_line(source: str, result: ImportResult) -> str:
    if _is_empty(result):
        return printable(f"{source} holds no events: nothing stored")
    return printable(f"{source}: {_stored(result)}")


@contextmanager
def _open_input(file: str) -> Iterator[BinaryIO]:
    """The input as binary lines."""
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
