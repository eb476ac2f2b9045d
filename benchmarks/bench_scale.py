"""Scale curve: what import and replay cost, and how much memory, as the store grows.

Two series of points, each point a fresh store and its own generated data:

- the whole store, 30 organisations (``--organisations``) of about 0.25M, 0.5M and 1M
  events in all (``--sizes``);
- one deep organisation of about 50k, 100k and 200k events (``--deep-sizes``).

At each point, every figure a complete ``orbit`` process, as in bench_import.py and
bench_replay.py: the import (one process per organisation) against the raw insert;
``report --year 2024`` cold (``--rebuild``, with the default ``--jobs`` and with ``--jobs 1``)
against the raw select + decode; the same report warm; 100 new events imported into
the first organisation (held back from the setup) and the report after them. Each
command's own peak RSS is kept. Linear growth shows as a flat cost per event, and a
flat memory as peak RSS that does not grow with the events.

    .venv/bin/python benchmarks/bench_scale.py --json scale-sqlite.json          # ~15 min
    .venv/bin/python benchmarks/bench_scale.py --store postgresql --json scale-pg.json
    .venv/bin/python benchmarks/bench_scale.py --plot scale-sqlite.json scale-pg.json \\
        --chart docs/images/scale-curve.png
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import make_data
from baselines import TABLE, raw_store
from bench_import import import_organisations
from bench_replay import COLD_TARGET, NEW_EVENTS, WARM_TARGET, YEAR
from harness import (
    Figure,
    Run,
    Stores,
    Timing,
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
    share_of,
    throughput,
    timed,
    total,
)

SIZES = (250_000, 500_000, 1_000_000)
DEEP_SIZES = (50_000, 100_000, 200_000)
IMPORT_TARGET = ">= 0.60"


@dataclass(frozen=True)
class Cost:
    """One measured thing: wall and CPU seconds, and peak RSS (0 for the baselines)."""

    seconds: float
    cpu_seconds: float
    peak_rss_mib: float = 0.0

    @classmethod
    def of(cls, timing: Timing, peak_rss_mib: float = 0.0) -> Cost:
        return cls(timing.seconds, timing.cpu_seconds, peak_rss_mib)


@dataclass(frozen=True)
class Point:
    """Every cost measured on one store."""

    series: str  # "store" (every organisation) or "deep" (one organisation)
    events: int
    organisations: int
    participants: int  # per organisation
    imports: Cost  # all the organisations' imports; RSS: the largest process
    raw_insert: Cost
    cold: Cost
    cold_one_process: Cost | None  # --jobs 1 (None in a file from before the deep one had it)
    raw_select: Cost
    warm: Cost
    import_new: Cost
    after_new: Cost


def dataset(series: str, events: int, organisations: int) -> make_data.Dataset:
    count = 1 if series == "deep" else organisations
    participants = round(events / count / make_data.EVENTS_PER_PARTICIPANT)
    return make_data.Dataset(participants, count)


def hold_back(files: make_data.Files, work: Path) -> tuple[dict[str, Path], Path]:
    """Every organisation's file, the first one without its last 100 lines; and those.

    Copied line by line, never read whole: an orbit process's peak RSS, as Linux counts
    it, starts from this process's own peak (harness.run_process), so this process
    stays small."""
    first = files.organisations[0]
    source = files.path(first)
    head, tail = work / f"{first}-head.jsonl", work / f"{first}-new.jsonl"
    with source.open("rb") as lines:
        count = sum(1 for _ in lines)
    with source.open("rb") as lines, head.open("wb") as kept, tail.open("wb") as new:
        for number, line in enumerate(lines):
            (kept if number < count - NEW_EVENTS else new).write(line)
    return {name: files.path(name) for name in files.organisations} | {first: head}, tail


def report(stores: Stores, organisation: str | None, *options: str) -> Run:
    scope = ["--all-organisations"] if organisation is None else []
    return run_orbit(
        "report", "--year", YEAR, "--format", "json", *scope, *options,
        stores=stores, organisation=organisation,
    )  # fmt: skip


def replayed(run: Run) -> int:
    count: int = json.loads(run.stdout)["events_replayed"]
    return count


def measure(kind: str, series: str, files: make_data.Files, keep: bool) -> Point:
    first = files.organisations[0]
    scope = first if series == "deep" else None
    with bench_stores(kind, "scale", keep=keep) as stores:
        sources, new_events = hold_back(files, stores.work)
        imports = import_organisations(stores, sources)
        raw = raw_store(kind, stores.raw)
        insert, inserted = timed(lambda: raw.insert(sources.values(), TABLE))
        stored = files.events - NEW_EVENTS
        assert inserted == stored, (inserted, stored)
        cold = report(stores, scope, "--rebuild")
        assert replayed(cold) == stored, (replayed(cold), stored)
        alone = report(stores, scope, "--rebuild", "--jobs", "1")
        select, selected = timed(lambda: raw.select_decode(TABLE))
        assert selected == stored
        warm = report(stores, scope)
        added = run_orbit("import", str(new_events), stores=stores, organisation=first)
        after = report(stores, scope)
        assert replayed(after) == files.events
    return Point(
        series=series,
        events=stored,
        organisations=len(files.organisations),
        participants=files.dataset.participants,
        imports=Cost.of(total(imports), max(run.peak_rss_mib for run in imports)),
        raw_insert=Cost.of(insert),
        cold=Cost.of(cold, cold.peak_rss_mib),
        cold_one_process=Cost.of(alone, alone.peak_rss_mib),
        raw_select=Cost.of(select),
        warm=Cost.of(warm, warm.peak_rss_mib),
        import_new=Cost.of(added, added.peak_rss_mib),
        after_new=Cost.of(after, after.peak_rss_mib),
    )


def figures(point: Point) -> list[Figure]:
    """The point's lines of the table, as bench_import.py and bench_replay.py print them."""
    events = point.events
    where = "deep organisation" if point.series == "deep" else "all organisations"
    at = f"{events / 1000:,.0f}k {where}"
    imports, cold = _timing(point.imports), _timing(point.cold)
    lines = [
        Figure(
            f"{at}: import ({point.organisations} processes)",
            throughput(events, imports),
            throughput(events, _timing(point.raw_insert)),
            *faster_is_higher(imports, _timing(point.raw_insert)),
            IMPORT_TARGET,
            point.imports.peak_rss_mib,
        ),
        Figure(
            f"{at}: report cold",
            throughput(events, cold),
            throughput(events, _timing(point.raw_select)),
            *faster_is_higher(cold, _timing(point.raw_select)),
            COLD_TARGET,
            point.cold.peak_rss_mib,
        ),
    ]
    if point.cold_one_process is not None:
        alone = _timing(point.cold_one_process)
        lines.append(
            Figure(
                f"{at}: report cold, --jobs 1",
                throughput(events, alone),
                throughput(events, _timing(point.raw_select)),
                *faster_is_higher(alone, _timing(point.raw_select)),
                COLD_TARGET,
                point.cold_one_process.peak_rss_mib,
            )
        )
    for name, cost in (
        ("report warm", point.warm),
        (f"report after {NEW_EVENTS} new", point.after_new),
    ):
        lines.append(
            Figure(
                f"{at}: {name}",
                seconds_text(_timing(cost)),
                f"cold {seconds_text(cold)}",
                *share_of(_timing(cost), cold),
                WARM_TARGET,
                cost.peak_rss_mib,
            )
        )
    return lines


def _timing(cost: Cost) -> Timing:
    return Timing(cost.seconds, cost.cpu_seconds)


# ---------------------------------------------------------------- the chart


def plot(runs: list[dict[str, Any]], chart: Path) -> None:
    """Per series (rows) and store (colours): CPU microseconds per event of the import
    and of the cold report in one process, wall seconds of the same, and peak RSS.
    Runs of the same store make one curve, a later run's point replacing an earlier
    one's of the same data."""
    import matplotlib  # noqa: PLC0415 - only the chart needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    organisations = max(p["organisations"] for run in runs for p in run["points"])
    series_titles = {
        "store": f"every organisation ({organisations})",
        "deep": "one deep organisation",
    }
    figure, axes = plt.subplots(2, 3, figsize=(14, 8.5), squeeze=False)
    colours = {"sqlite": "tab:blue", "postgresql": "tab:orange"}
    # Runs of one store are one curve; a later run's point replaces an earlier one's of
    # the same data (a point measured again).
    by_store: dict[str, dict[tuple[str, int], dict[str, Any]]] = {}
    for run in runs:
        for point in run["points"]:
            by_store.setdefault(run["run"]["store"], {})[point["series"], point["events"]] = point
    for kind, measured in by_store.items():
        colour = colours.get(kind, "tab:gray")
        for row, series in enumerate(series_titles):
            points = sorted(
                (p for p in measured.values() if p["series"] == series), key=lambda p: p["events"]
            )
            if not points:
                continue
            x = [p["events"] / 1000 for p in points]
            cold = ["cold_one_process" if p["cold_one_process"] else "cold" for p in points]
            per_event = axes[row][0]
            per_event.plot(x, [_us(p, "imports") for p in points], "o-", color=colour,
                           label=f"{kind}: import")  # fmt: skip
            per_event.plot(x, [_us(p, c) for p, c in zip(points, cold, strict=True)], "s--",
                           color=colour, label=f"{kind}: cold report, one process")  # fmt: skip
            seconds = axes[row][1]
            seconds.plot(x, [p["imports"]["seconds"] for p in points], "o-", color=colour,
                         label=f"{kind}: import")  # fmt: skip
            seconds.plot(x, [p[c]["seconds"] for p, c in zip(points, cold, strict=True)], "s--",
                         color=colour, label=f"{kind}: cold report, one process")  # fmt: skip
            seconds.plot(x, [p["warm"]["seconds"] for p in points], "^:", color=colour,
                         label=f"{kind}: warm report")  # fmt: skip
            memory = axes[row][2]
            for key, style, name in (
                ("imports", "o-", "import (largest process)"),
                ("cold", "s--", "cold report"),
                ("warm", "^:", "warm report"),
            ):
                memory.plot(x, [p[key]["peak_rss_mib"] for p in points], style, color=colour,
                            label=f"{kind}: {name}")  # fmt: skip
    for row, title in enumerate(series_titles.values()):
        axes[row][0].set_title(f"{title}: CPU per event (flat = linear)")
        axes[row][0].set_ylabel("µs of CPU per event")
        axes[row][1].set_title(f"{title}: wall-clock time")
        axes[row][1].set_ylabel("seconds")
        axes[row][2].set_title(f"{title}: peak RSS")
        axes[row][2].set_ylabel("MiB")
        axes[row][2].axhline(250, color="tab:red", linewidth=0.8)
        axes[row][2].annotate("target: 250 MiB", (0.02, 0.93), xycoords="axes fraction",
                              color="tab:red", fontsize=8)  # fmt: skip
        for axis in axes[row]:
            axis.set_xlabel("thousands of events in the store")
            axis.set_xlim(left=0)
            axis.set_ylim(bottom=0)
            axis.grid(alpha=0.3)
            axis.legend(fontsize=7, loc="best")
    figure.suptitle("orbit at growing size (report --year 2024; each point a fresh store)")
    figure.tight_layout()
    chart.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(chart, dpi=110)
    print(f"chart: {chart}")


def _us(point: dict[str, Any], key: str) -> float:
    cpu: float = point[key]["cpu_seconds"]
    return cpu / point["events"] * 1e6


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--sizes", type=_sizes, default=SIZES, help="events, comma-separated")
    parser.add_argument(
        "--deep-sizes", type=_sizes, default=DEEP_SIZES, help="events of the deep organisation"
    )
    parser.add_argument("--organisations", type=int, default=make_data.ORGANISATIONS)
    parser.add_argument(
        "--chart", metavar="PNG", help="draw the curve of this run (or of --plot's)"
    )
    parser.add_argument("--plot", metavar="JSON", nargs="+", help="only draw runs saved by --json")
    arguments = parser.parse_args()
    if arguments.plot:
        if not arguments.chart:
            parser.error("--plot needs --chart")
        plot([json.loads(Path(path).read_text()) for path in arguments.plot], Path(arguments.chart))
        return
    prepare_orbit(arguments.orbit_src)
    details = {
        **machine(arguments.store),
        "store": arguments.store,
        "report": f"orbit report --year {YEAR}",
    }
    print_header("scale", details)
    plan = [("store", size) for size in arguments.sizes] + [
        ("deep", size) for size in arguments.deep_sizes
    ]
    points: list[Point] = []
    shown: list[Figure] = []
    for series, size in plan:
        files = make_data.ensure(dataset(series, size, arguments.organisations))
        point = measure(arguments.store, series, files, arguments.keep)
        points.append(point)
        for figure in figures(point):
            shown.append(figure)
            print_figure(figure)
        _save(
            arguments.json, details, points
        )  # after each point: a long run stopped keeps the rest
    print_rss_summary(shown)
    if arguments.chart:
        plot(
            [{"run": details, "points": [asdict(point) for point in points]}], Path(arguments.chart)
        )


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(float(part)) for part in text.split(",") if part)


def _save(path: str | None, details: dict[str, object], points: list[Point]) -> None:
    if path is not None:
        document = {"run": details, "points": [asdict(point) for point in points]}
        Path(path).write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
