"""``orbit upgrade`` of a store an older orbit made: its time, CPU and peak memory.

Setup: the first organisations (``--parts-organisations``, default 3, about 100,000
events) imported by the older orbit (``--before``, a ``src`` folder), one process each,
and a year report so that its saved chains and tallies are there too. Then the other
orbit (``--after``, default this tree) upgrades the store, once per round on a fresh
store (SQLite: a copy of the file), and reports from it cold, to check the upgrade left
a usable store. What the upgrade costs grows with the events (each row is read and
given its digest, and on SQLite the events table is copied once).

    .venv/bin/python benchmarks/bench_upgrade.py --before benchmarks/data/snapshot-before/src
    .venv/bin/python benchmarks/bench_upgrade.py --before ... --store postgresql
"""

from __future__ import annotations

import argparse
import statistics

import make_data
from bench_import import import_organisations
from harness import STORES, bench_stores, prepare_orbit, run_orbit

PARTS_ORGANISATIONS = 3
ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    parser.add_argument(
        "--before", metavar="DIR", required=True, help="src folder of the older orbit"
    )
    parser.add_argument(
        "--after", metavar="DIR", help="src folder of the upgrading orbit [default: this tree]"
    )
    parser.add_argument("--store", choices=STORES, default="sqlite", help="[default: sqlite]")
    parser.add_argument("--parts-organisations", type=int, default=PARTS_ORGANISATIONS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    arguments = parser.parse_args()
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    chosen = files.organisations[: arguments.parts_organisations]
    events = sum(files.counts[name] for name in chosen)
    report = ["report", "--year", "2024", "--all-organisations", "--jobs", "1"]
    seconds, cpu, rss = [], [], []
    for _ in range(arguments.rounds):
        with bench_stores(arguments.store, "upgrade") as stores:
            prepare_orbit(arguments.before)
            import_organisations(stores, {name: files.path(name) for name in chosen})
            run_orbit(*report, stores=stores)
            prepare_orbit(arguments.after)
            upgrade = run_orbit("upgrade", stores=stores)
            run_orbit(*report, "--format", "json", stores=stores)
        seconds.append(upgrade.seconds)
        cpu.append(upgrade.cpu_seconds)
        rss.append(upgrade.peak_rss_mib)
        print(upgrade.stdout.splitlines()[0], flush=True)
    print(
        f"{events:,} events in {len(chosen)} organisations, {arguments.store}; orbit upgrade, "
        f"median of {arguments.rounds}: {statistics.median(seconds):.2f} s wall "
        f"({min(seconds):.2f}-{max(seconds):.2f}), {statistics.median(cpu):.2f} s CPU "
        f"({statistics.median(cpu) / events * 1e6:.1f} µs per event), "
        f"peak RSS {max(rss):.0f} MiB"
    )


if __name__ == "__main__":
    main()
