"""``orbit generate``: a realistic synthetic events-v1 history, the same for the same seed."""

# ruff: noqa: PLC0415 (the generator is imported when the command runs)

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import click

from orbit_cli.wording import counted

DEFAULT_YEARS = "2021-2024"
_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")


def parse_years(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, int]:
    """``2021-2024`` (both included) or a single year ``2024``."""
    from orbit_synthetic import FIRST_YEAR, LAST_YEAR

    match = _YEARS.fullmatch(value.strip())
    if match is not None:
        first = int(match[1])
        last = int(match[2] or match[1])
        if FIRST_YEAR <= first <= last <= LAST_YEAR:
            return first, last
    raise click.BadParameter(
        f"{value!r} is not a range of years like 2021-2024 "
        f"(first <= last, both {FIRST_YEAR}-{LAST_YEAR})"
    )


@click.command("generate")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same output.")
@click.option(
    "--participants",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="Distinct participants per organisation.",
)
@click.option(
    "--organisations",
    type=click.IntRange(min=1, max=999),
    default=1,
    show_default=True,
    help="More than 1: OUTPUT is a directory, one file per organisation.",
)
@click.option(
    "--years",
    metavar="FIRST-LAST",
    default=DEFAULT_YEARS,
    show_default=True,
    callback=parse_years,
    help="First and last year of the history, both included.",
)
@click.argument("output", default="-", type=click.Path(allow_dash=True))
def generate(
    seed: int, participants: int, organisations: int, years: tuple[int, int], output: str
) -> None:
    """Write a realistic synthetic events-v1 history to OUTPUT (- for standard output).

    One organisation running AFT, VTA and a small LAERLING programme: referrals,
    waiting lists, placements, step-ups, hospitering, courses, surveys, exits and late
    corrections, with seat allocations sized to the seats used. Nothing is dated after
    31 December of the last year. See docs/demo-data.md.
    """
    from orbit_synthetic import generate_history, organisation_seed

    first_year, last_year = years
    if organisations == 1:
        lines = generate_history(
            seed=seed, participants=participants, first_year=first_year, last_year=last_year
        )
        written = _write(lines, output)
        where = "standard output" if output == "-" else output
    else:
        directory = _output_directory(output)
        written = 0
        width = max(2, len(str(organisations)))
        for number in range(1, organisations + 1):
            lines = generate_history(
                seed=organisation_seed(seed, number),
                participants=participants,
                first_year=first_year,
                last_year=last_year,
                key_prefix=f"ORG{number:0{width}d}-P",
            )
            written += _write(lines, str(directory / f"org-{number:0{width}d}.jsonl"))
        where = f"{directory}/org-*.jsonl"
    who = counted(participants, "participant") + (
        f" in each of {counted(organisations, 'organisation')}" if organisations > 1 else ""
    )
    click.echo(
        f"wrote {counted(written, 'event')} ({who}, {first_year}-{last_year}) to {where}", err=True
    )


def _output_directory(output: str) -> Path:
    directory = Path(output)
    if output == "-" or (directory.exists() and not directory.is_dir()):
        raise click.BadParameter(
            "must be a directory when --organisations is more than 1", param_hint="OUTPUT"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.FileError(output, error.strerror) from None
    return directory


def _write(lines: Iterable[str], output: str) -> int:
    """Write ``lines`` to the file ``output`` (or standard output for ``-``); how many."""
    if output == "-":
        return _write_lines(lines, sys.stdout)
    try:
        with Path(output).open("w", encoding="utf-8", newline="\n") as out:
            return _write_lines(lines, out)
    except OSError as error:
        raise click.FileError(output, error.strerror) from None


def _write_lines(lines: Iterable[str], out: TextIO) -> int:
    count = 0
    for line in lines:
        out.write(f"{line}\n")
        count += 1
    return count
