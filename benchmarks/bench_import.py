"""Import benchmark: orbit's import against the raw insert baseline, in one run.

orbit: one ``orbit --store URL --organisation org-NN import org-NN.jsonl`` process per
organisation into one fresh store, timed from spawn to exit and summed; then, where
orbit's import takes many files, every file in one ``orbit import --organisation-per-file``
process into another fresh store. Baseline: the
same lines, ``json.loads`` for their id, inserted by ``sqlite3`` (or psycopg) into one
table ``(id, line)`` with an index on id, in one transaction. Target: orbit's events/s
at least 0.6 of the baseline's, and every process's peak RSS at most 250 MiB.

    .venv/bin/python benchmarks/bench_import.py                       # SQLite, ~1M events
    .venv/bin/python benchmarks/bench_import.py --store postgresql --scale 0.1
"""

from __future__ import annotations

import argparse
from pathlib import Path

import make_data
from baselines import PostgresRaw, raw_store
from harness import (
    Figure,
    Run,
    Stores,
    add_common_arguments,
    bench_stores,
    faster_is_higher,
    machine,
    prepare_orbit,
    print_figure,
    print_header,
    print_rss_summary,
    run_orbit,
    seconds_text,
    throughput,
    timed,
    total,
    write_json,
)

IMPORT_TARGET = ">= 0.60"
START_RUNS = 5


def import_organisations(stores: Stores, sources: dict[str, Path]) -> list[Run]:
    """One ``orbit import`` process per organisation, in the order given, into one store."""
    return [
        run_orbit("import", str(path), stores=stores, organisation=name)
        for name, path in sources.items()
    ]


def organisations_figures(stores: Stores, files: make_data.Files) -> list[Figure]:
    runs = import_organisations(stores, {name: files.path(name) for name in files.organisations})
    orbit = total(runs)
    baseline, inserted = timed(lambda: raw_store(stores.kind, stores.raw).insert(files.paths()))
    assert inserted == files.events, (inserted, files.events)
    count = len(runs)
    first, last = files.organisations[0], files.organisations[-1]
    return [
        Figure(
            f"import {count} organisations ({count} processes)",
            throughput(files.events, orbit),
            throughput(files.events, baseline),
            *faster_is_higher(orbit, baseline),
            IMPORT_TARGET,
            max(run.peak_rss_mib for run in runs),
        ),
        _one_run(f"  of which {first} (into an empty store)", runs[0], files.counts[first]),
        _one_run(f"  of which {last} (store holds {count - 1})", runs[-1], files.counts[last]),
    ]


def one_process_figure(stores: Stores, files: make_data.Files) -> Figure:
    """Every organisation's file in one ``orbit import --organisation-per-file`` process:
    each file still its own transaction, into the organisation its name names."""
    paths = [str(files.path(name)) for name in files.organisations]
    run = run_orbit("import", "--organisation-per-file", *paths, stores=stores)
    baseline, inserted = timed(lambda: raw_store(stores.kind, stores.raw).insert(files.paths()))
    assert inserted == files.events, (inserted, files.events)
    return Figure(
        f"import {len(paths)} organisations (1 process)",
        throughput(files.events, run),
        throughput(files.events, baseline),
        *faster_is_higher(run, baseline),
        IMPORT_TARGET,
        run.peak_rss_mib,
    )


def imports_many_files() -> bool:
    """Whether this orbit's import takes many files, each into its own organisation."""
    return "--organisation-per-file" in run_orbit("import", "--help").stdout


def single_organisation_figure(stores: Stores, files: make_data.Files) -> Figure:
    """All the lines as one organisation: one process, one transaction, like the baseline."""
    path = make_data.single_file(files)
    run = run_orbit("import", str(path), stores=stores, organisation="all")
    baseline, inserted = timed(lambda: raw_store(stores.kind, stores.raw).insert([path]))
    assert inserted == files.events, (inserted, files.events)
    return Figure(
        "import all as one organisation (1 process)",
        throughput(files.events, run),
        throughput(files.events, baseline),
        *faster_is_higher(run, baseline),
        IMPORT_TARGET,
        run.peak_rss_mib,
    )


def copy_figure(stores: Stores, files: make_data.Files) -> Figure:
    """PostgreSQL's COPY of the same lines: for reference, not a target."""
    timing, copied = timed(lambda: PostgresRaw(stores.raw).copy(files.paths(), "raw_copy"))
    assert copied == files.events
    return Figure("  reference: raw COPY (not a target)", "", throughput(copied, timing))


def _one_run(name: str, run: Run, events: int) -> Figure:
    return Figure(name, throughput(events, run), peak_rss_mib=run.peak_rss_mib)


def start_figure() -> Figure:
    """``orbit --version``, the median of a few runs: what every command pays first."""
    runs = sorted((run_orbit("--version") for _ in range(START_RUNS)), key=lambda run: run.seconds)
    median = runs[len(runs) // 2]
    return Figure(
        f"process start (orbit --version, median of {START_RUNS})",
        seconds_text(median),
        peak_rss_mib=median.peak_rss_mib,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    add_common_arguments(parser)
    parser.add_argument(
        "--single",
        action="store_true",
        help="also import every line as one organisation in one process (about doubles the time)",
    )
    arguments = parser.parse_args()
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    details = {
        **machine(arguments.store),
        "store": arguments.store,
        "data": f"{files.dataset.describe()}: {files.events:,} events",
    }
    print_header("import", details)
    figures = [start_figure()]
    print_figure(figures[0])
    with bench_stores(arguments.store, "import", keep=arguments.keep) as stores:
        for figure in organisations_figures(stores, files):
            figures.append(figure)
            print_figure(figure)
        if arguments.store == "postgresql":
            figures.append(copy_figure(stores, files))
            print_figure(figures[-1])
    if imports_many_files():
        with bench_stores(arguments.store, "import_one_process", keep=arguments.keep) as stores:
            figures.append(one_process_figure(stores, files))
            print_figure(figures[-1])
    if arguments.single:
        with bench_stores(arguments.store, "import_single", keep=arguments.keep) as stores:
            figures.append(single_organisation_figure(stores, files))
            print_figure(figures[-1])
    print_rss_summary(figures)
    write_json(arguments.json, details, figures)


if __name__ == "__main__":
    main()
