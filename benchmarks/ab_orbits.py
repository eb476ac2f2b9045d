"""Two orbits on the same data, interleaved: import CPU per event and a cold report's CPU.

For a change whose gain is a few per cent, such as orbit-fingerprint/3, under a shared
machine's load: each round gives each orbit a fresh SQLite store of the same
organisations (``--parts-organisations``, default 3, about 100,000 events), imported
with one ``orbit import`` process each, then the year report across them, cold
(``--rebuild --all-organisations --jobs 1``), twice. The orbits take turns within each
round, the first in turn alternating, so that load drifting over the run falls on both.
Figures are CPU time (user + system) of the orbit processes: the median over the rounds,
and the change from ``--before`` to the other orbit.

    mkdir -p benchmarks/data/snapshot-before
    git archive BASE src | tar -x -C benchmarks/data/snapshot-before
    .venv/bin/python benchmarks/ab_orbits.py --before benchmarks/data/snapshot-before/src \
        [--after benchmarks/data/snapshot-after/src]
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field

import make_data
from bench_import import import_organisations
from harness import bench_stores, prepare_orbit, run_orbit, total

PARTS_ORGANISATIONS = 3
ROUNDS = 5
COLD_REPORTS = 2


@dataclass
class Figures:
    """One orbit's CPU seconds per round."""

    name: str
    source: str | None
    import_cpu: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    parser.add_argument("--before", metavar="DIR", required=True, help="src folder of one orbit")
    parser.add_argument(
        "--after", metavar="DIR", help="src folder of the other [default: this tree]"
    )
    parser.add_argument("--parts-organisations", type=int, default=PARTS_ORGANISATIONS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    arguments = parser.parse_args()
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    chosen = files.organisations[: arguments.parts_organisations]
    events = sum(files.counts[name] for name in chosen)
    orbits = [Figures("before", arguments.before), Figures("after", arguments.after)]
    for turn in range(arguments.rounds):
        for figures in orbits if turn % 2 == 0 else orbits[::-1]:
            prepare_orbit(figures.source)
            with bench_stores("sqlite", f"ab-{figures.name}") as stores:
                runs = import_organisations(stores, {name: files.path(name) for name in chosen})
                figures.import_cpu.append(total(runs).cpu_seconds)
                report = ["report", "--year", "2024", "--all-organisations", "--jobs", "1"]
                for _ in range(COLD_REPORTS):
                    cold = run_orbit(*report, "--rebuild", "--format", "json", stores=stores)
                    figures.cold_cpu.append(cold.cpu_seconds)
        print(f"round {turn + 1} of {arguments.rounds} done", flush=True)
    print(f"{events:,} events in {len(chosen)} organisations; CPU, median of the rounds")
    before, after = orbits
    for label, of, per in (
        ("import, µs per event", lambda f: f.import_cpu, events / 1e6),
        ("cold report across them, s", lambda f: f.cold_cpu, 1.0),
    ):
        was, now = (statistics.median(of(figures)) / per for figures in orbits)
        spread = [f"{min(of(f)) / per:.2f}-{max(of(f)) / per:.2f}" for f in (before, after)]
        print(
            f"  {label:30} before {was:8.2f} ({spread[0]})  after {now:8.2f} ({spread[1]})"
            f"  {(now - was) / was:+.1%}"
        )


if __name__ == "__main__":
    main()
