"""Generate the benchmark data once, with ``orbit generate``, into benchmarks/data/.

The full data set is 30 organisations of 2,800 participants over 2021-2024, seed 1:
about 1,010,000 events (2,000 participants give only about 730,000). A data set is
generated once and reused: its directory holds ``manifest.json``, written last, so a
generation that was interrupted is started again rather than half-used.

    .venv/bin/python benchmarks/make_data.py               # the full data set
    .venv/bin/python benchmarks/make_data.py --scale 0.1   # a tenth of it, same shape
"""

from __future__ import annotations

import argparse
import heapq
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from harness import DATA_DIR, run_orbit

FULL_PARTICIPANTS = 2_800
ORGANISATIONS = 30
SEED = 1
YEARS = "2021-2024"
EVENTS_PER_PARTICIPANT = 12.0  # measured on seed 1, 2021-2024; only for --events
MANIFEST = "manifest.json"
SINGLE_FILE = "single.jsonl"


@dataclass(frozen=True)
class Dataset:
    """Which ``orbit generate`` output a benchmark runs on."""

    participants: int = FULL_PARTICIPANTS
    organisations: int = ORGANISATIONS
    seed: int = SEED
    years: str = YEARS

    @property
    def directory(self) -> Path:
        name = f"seed{self.seed}-o{self.organisations}-p{self.participants}-{self.years}"
        return DATA_DIR / name

    def describe(self) -> str:
        return (
            f"orbit generate --seed {self.seed} --participants {self.participants} "
            f"--organisations {self.organisations} --years {self.years}"
        )


@dataclass(frozen=True)
class Files:
    """A generated data set: one events-v1 file per organisation, with its line count."""

    dataset: Dataset
    counts: dict[str, int]  # organisation name (file stem) -> events

    @property
    def organisations(self) -> list[str]:
        return sorted(self.counts)

    @property
    def events(self) -> int:
        return sum(self.counts.values())

    def path(self, organisation: str) -> Path:
        return self.dataset.directory / f"{organisation}.jsonl"

    def paths(self) -> list[Path]:
        return [self.path(organisation) for organisation in self.organisations]


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help=f"fraction of the full {FULL_PARTICIPANTS:,} participants per organisation "
        "(0.1 runs in about a tenth of the time) [default: 1.0, about 1,000,000 events]",
    )
    size.add_argument(
        "--events",
        type=int,
        help="about this many events in all (sets the participants per organisation)",
    )
    size.add_argument("--participants", type=int, help="participants per organisation")
    parser.add_argument(
        "--organisations",
        type=int,
        default=ORGANISATIONS,
        help=f"number of organisations [default: {ORGANISATIONS}]",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"[default: {SEED}]")


def dataset_from_arguments(arguments: argparse.Namespace) -> Dataset:
    organisations: int = arguments.organisations
    if arguments.participants is not None:
        participants = arguments.participants
    elif arguments.events is not None:
        participants = round(arguments.events / organisations / EVENTS_PER_PARTICIPANT)
    else:
        participants = round(FULL_PARTICIPANTS * arguments.scale)
    if participants < 1 or organisations < 2:
        raise SystemExit("need at least 1 participant and 2 organisations")
    return Dataset(participants, organisations, arguments.seed)


def ensure(dataset: Dataset) -> Files:
    """The data set's files, generated now unless a complete earlier generation exists."""
    manifest = dataset.directory / MANIFEST
    if manifest.exists():
        return Files(dataset, json.loads(manifest.read_text())["counts"])
    shutil.rmtree(dataset.directory, ignore_errors=True)
    print(f"generating {dataset.directory.name}: {dataset.describe()} ...", flush=True)
    if dataset.organisations == 1:  # one organisation: generate writes one file
        dataset.directory.mkdir(parents=True)
        run_orbit(*dataset.describe().split()[1:], str(dataset.directory / "org-01.jsonl"))
    else:
        run_orbit(*dataset.describe().split()[1:], str(dataset.directory))
    counts = {path.stem: _count_lines(path) for path in dataset.directory.glob("org-*.jsonl")}
    manifest.write_text(json.dumps({"command": dataset.describe(), "counts": counts}, indent=1))
    return Files(dataset, counts)


def single_file(files: Files) -> Path:
    """Every organisation's lines as one organisation's file, merged by ``recorded_at``.

    Each generated file is in ``recorded_at`` order, so the merge keeps every
    participant's events (and the allocations) in an order the journey rules accept.
    Written once beside the organisation files.
    """
    path = files.dataset.directory / SINGLE_FILE
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    sources = [source.open(encoding="utf-8") for source in files.paths()]
    try:
        with partial.open("w", encoding="utf-8") as out:
            # Ties keep the order of the inputs, so each file's own order is kept.
            out.writelines(heapq.merge(*sources, key=_recorded_at))
    finally:
        for source in sources:
            source.close()
    partial.replace(path)
    return path


def _recorded_at(line: str) -> str:
    # Every generated recorded_at has the same form (...Z), so text order is time order.
    recorded_at: str = json.loads(line)["recorded_at"]
    return recorded_at


def _count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for line in lines if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_dataset_arguments(parser)
    parser.add_argument(
        "--single", action="store_true", help="also write the one-organisation merge"
    )
    arguments = parser.parse_args()
    files = ensure(dataset_from_arguments(arguments))
    print(f"{files.dataset.directory}: {files.events:,} events in {len(files.counts)} files")
    if arguments.single:
        print(f"one organisation: {single_file(files)}")


if __name__ == "__main__":
    main()
