"""Replay benchmark: a year report, cold, warm and after 100 new events.

Setup (not timed as a figure): every organisation imported with ``orbit import``,
org-01 and org-02 without their last 100 lines, which are kept back as "new events";
the raw baseline tables filled with the same lines.

Figures, each a complete ``orbit ... report --year 2024 --format json`` process:

- cold: the first report, for org-01 alone and for ``--all-organisations``; against
  the raw baseline of selecting the same lines in insert order and ``json.loads`` on
  each (target: orbit's events/s at least 0.5 of the baseline's). Where orbit can
  replay organisations in worker processes (``--jobs``), the report across them is
  also run cold in one process, ``--jobs 1``, as a figure of its own;
- warm: the same report again, nothing new (target: at most 10 % of the cold time);
- after 100 new events: org-02's kept-back lines imported, then the report across
  organisations again; org-01's imported, then org-01's report again (target: at most
  10 % of the cold time). Each report sees 100 events no earlier report has seen, so
  neither can be answered from what the other saved.

Where orbit keeps replay checkpoints (``report --rebuild`` exists), the cold report
runs with ``--rebuild``, so that it replays every event, and the warm and after-100
reports run as a user would run them, from the checkpoints. An orbit without them
replays every event every time, and "warm" costs what "cold" costs.

    .venv/bin/python benchmarks/bench_replay.py                       # SQLite, ~1M events
    .venv/bin/python benchmarks/bench_replay.py --store postgresql --scale 0.1
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import make_data
from baselines import TABLE, raw_store
from bench_import import import_organisations
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
    rebuild_option,
    run_orbit,
    seconds_text,
    share_of,
    throughput,
    timed,
    total,
    write_json,
)

YEAR = "2024"
NEW_EVENTS = 100
COLD_TARGET = ">= 0.50"
WARM_TARGET = "<= 0.10"
ONE_TABLE = "raw_one_organisation"


@dataclass(frozen=True)
class Scope:
    """One report's reach: one organisation's events, or every organisation's.

    ``table`` is the baseline's table holding the same lines.
    """

    name: str
    organisation: str | None  # None: --all-organisations
    table: str

    def report(self, stores: Stores, *options: str) -> Run:
        if self.organisation is None:
            options = ("--all-organisations", *options)
        return run_orbit(
            "report",
            "--year",
            YEAR,
            "--format",
            "json",
            *options,
            stores=stores,
            organisation=self.organisation,
        )


def hold_back(files: make_data.Files, work: Path) -> dict[str, tuple[Path, Path]]:
    """The first two organisations' files, each split in two: all but the last 100
    lines, and those."""
    split: dict[str, tuple[Path, Path]] = {}
    for name in files.organisations[:2]:
        lines = files.path(name).read_text(encoding="utf-8").splitlines(True)
        head, tail = work / f"{name}-head.jsonl", work / f"{name}-new.jsonl"
        head.write_text("".join(lines[:-NEW_EVENTS]), encoding="utf-8")
        tail.write_text("".join(lines[-NEW_EVENTS:]), encoding="utf-8")
        split[name] = (head, tail)
    return split


def set_up(stores: Stores, files: make_data.Files) -> tuple[dict[str, Path], Figure]:
    """Import all but the last 100 lines of the first two organisations; fill the
    baseline's tables.

    Returns the files of the 100 new events per organisation, and the imports' time as
    a line of context.
    """
    split = hold_back(files, stores.work)
    heads = {name: head for name, (head, _) in split.items()}
    sources = {name: files.path(name) for name in files.organisations} | heads
    runs = import_organisations(stores, sources)
    raw = raw_store(stores.kind, stores.raw)
    raw.insert(sources.values(), TABLE)
    raw.insert([heads[files.organisations[0]]], ONE_TABLE)
    setup = Figure(
        f"setup: {len(runs)} imports (not a figure)",
        throughput(files.events - len(split) * NEW_EVENTS, total(runs)),
        peak_rss_mib=max(run.peak_rss_mib for run in runs),
    )
    return {name: tail for name, (_, tail) in split.items()}, setup


def replayed_events(run: Run) -> int:
    count: int = json.loads(run.stdout)["events_replayed"]
    return count


def cold_and_warm(
    stores: Stores, scope: Scope, rebuild: list[str], one_process: list[str]
) -> tuple[Run, list[Figure]]:
    """A report replaying every event, against the raw select + decode; then again, warm.

    ``rebuild`` is ``["--rebuild"]`` where orbit keeps checkpoints, so that the cold
    report replays from the first event; the warm one may use what it saved.
    ``one_process`` is ``["--jobs", "1"]`` where orbit can replay organisations in
    worker processes: the report across organisations is then also run cold without.
    """
    cold = scope.report(stores, *rebuild)
    baseline, selected = timed(
        lambda: raw_store(stores.kind, stores.raw).select_decode(scope.table)
    )
    events = replayed_events(cold)
    assert events == selected, (events, selected)
    name = f"report {scope.name}: cold" + (" (--rebuild)" if rebuild else "")
    figures = [
        Figure(
            name,
            throughput(events, cold),
            throughput(events, baseline),
            *faster_is_higher(cold, baseline),
            COLD_TARGET,
            cold.peak_rss_mib,
        )
    ]
    if one_process and scope.organisation is None:
        alone = scope.report(stores, *rebuild, *one_process)
        assert replayed_events(alone) == events
        figures.append(
            Figure(
                f"report {scope.name}: cold, {' '.join(one_process)}",
                throughput(events, alone),
                throughput(events, baseline),
                *faster_is_higher(alone, baseline),
                COLD_TARGET,
                alone.peak_rss_mib,
            )
        )
    warm = scope.report(stores)
    assert replayed_events(warm) == events
    figures.append(against_cold(f"report {scope.name}: warm (nothing new)", warm, cold))
    return cold, figures


def against_cold(name: str, run: Run, cold: Run) -> Figure:
    """A report that should be cheap, against the cold report of the same scope."""
    return Figure(
        name,
        seconds_text(run),
        f"cold {seconds_text(cold)}",
        *share_of(run, cold),
        WARM_TARGET,
        run.peak_rss_mib,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    add_common_arguments(parser)
    arguments = parser.parse_args()
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    rebuild = rebuild_option()
    one_process = ["--jobs", "1"] if "--jobs" in run_orbit("report", "--help").stdout else []
    details = {
        **machine(arguments.store),
        "store": arguments.store,
        "data": f"{files.dataset.describe()}: {files.events:,} events",
        "report": f"orbit report --year {YEAR} --format json",
        "cold": "with --rebuild" if rebuild else "this orbit has no checkpoints (no --rebuild)",
    }
    print_header("replay", details)
    first, second = files.organisations[:2]
    one, every = Scope(first, first, ONE_TABLE), Scope("all organisations", None, TABLE)
    figures: list[Figure] = []

    def show(figure: Figure) -> None:
        figures.append(figure)
        print_figure(figure)

    with bench_stores(arguments.store, "replay", keep=arguments.keep) as stores:
        new_events, setup = set_up(stores, files)
        show(setup)
        colds: dict[str, Run] = {}
        for scope in (one, every):
            colds[scope.name], scope_figures = cold_and_warm(stores, scope, rebuild, one_process)
            for figure in scope_figures:
                show(figure)
        for scope, organisation in ((every, second), (one, first)):
            added = run_orbit(
                "import", str(new_events[organisation]), stores=stores, organisation=organisation
            )
            assert added.stdout.startswith(f"stored {NEW_EVENTS} events"), added.stdout
            show(
                Figure(
                    f"import {NEW_EVENTS} new events into {organisation}",
                    seconds_text(added),
                    peak_rss_mib=added.peak_rss_mib,
                )
            )
            after = scope.report(stores)
            assert replayed_events(after) == replayed_events(colds[scope.name]) + NEW_EVENTS
            name = f"report {scope.name}: {NEW_EVENTS} new in {organisation}"
            show(against_cold(name, after, colds[scope.name]))
    print_rss_summary(figures)
    write_json(arguments.json, details, figures)


if __name__ == "__main__":
    main()
