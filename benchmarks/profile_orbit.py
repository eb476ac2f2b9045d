"""Where the time goes: profiles of orbit's import, of a full replay, and of its start.

Setup: a fresh store holding every organisation but the last, imported as in
bench_import. Then, each as a real ``orbit`` process:

- the import of the last organisation (into a store holding all the others);
- ``orbit report --year 2024``, for the first organisation and then for every
  organisation (``--all-organisations``): the replay of every event (with
  ``--rebuild`` where orbit keeps checkpoints, and ``--jobs 1`` where it has workers,
  so that the profiled process is the one replaying), and then, where orbit keeps
  checkpoints, the same report again from them (warm); after each profile, the same
  command ``--repeat`` times more without the profiler, for the noise;
- ``orbit --version`` under ``python -X importtime``: what process start costs;
- with ``--gc-experiment``, the report and a one-organisation import again, once
  as is and once with the garbage collector off: the most that tuning it can give.

py-spy (``pip install py-spy`` into .venv) samples without slowing the program down
and is the default; cProfile (``--tool cprofile``) counts calls but inflates the cost
of small functions.

    .venv/bin/python benchmarks/profile_orbit.py --scale 0.3 --gc-experiment
"""

from __future__ import annotations

import argparse
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import make_data
from bench_import import import_organisations
from harness import (
    DATA_DIR,
    Run,
    Stores,
    add_common_arguments,
    bench_stores,
    machine,
    orbit_environment,
    prepare_orbit,
    rebuild_option,
    run_orbit,
    run_process,
)

YEAR = "2024"
RUN_STARTED = time.strftime("%Y%m%d-%H%M%S")
ORBIT_MAIN = "import sys; sys.argv[0] = 'orbit'; from orbit_cli.main import main; main()"
GC_OFF_MAIN = f"import gc; gc.disable(); {ORBIT_MAIN}"


def orbit_arguments(stores: Stores, organisation: str | None, *arguments: str) -> list[str]:
    """``--store URL [--organisation NAME] ARGUMENTS``: an orbit command line's options."""
    options = ["--store", stores.orbit_url]
    if organisation is not None:
        options += ["--organisation", organisation]
    return [*options, *arguments]


def profiled(tool: str, output: Path, arguments: list[str], stores: Stores) -> Run:
    """Run orbit with ``arguments`` under the profiler; the profile goes to ``output``."""
    if tool == "cprofile":
        command = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "orbit_cli"]
    else:
        py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
        command = [py_spy, "record", "--format", "raw", "--rate", "200", "--output", str(output)]
        command += ["--full-filenames", "--idle"]  # waits on the database count too
        command += ["--", sys.executable, "-c", ORBIT_MAIN]
    return run_process([*command, *arguments], orbit_environment(stores))


# ---------------------------------------------------------------- summaries


def summarise_py_spy(path: Path, top: int) -> None:
    """Three views of py-spy's collapsed stacks, as shares of all samples.

    - by orbit function: each sample goes to the innermost frame of orbit's own code,
      so a function's share includes the library code it calls (SQLAlchemy, json...);
      samples taken while modules are imported go to "start: importing modules";
    - total: samples with an orbit function anywhere on the stack;
    - self: the frame running when sampled, wherever it is.
    """
    innermost: Counter[str] = Counter()
    total: Counter[str] = Counter()
    own: Counter[str] = Counter()
    samples = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [_function(frame) for frame in stack.split(";")]
        samples += count
        own[frames[-1]] += count
        innermost[_innermost_orbit(frames)] += count
        for frame in set(frames):
            if _is_orbit(frame):
                total[frame] += count
    print(f"   {samples} samples")
    _print_shares("by orbit function, with the library code it calls", innermost, samples, top)
    _print_shares("total: orbit functions on the stack", total, samples, top)
    _print_shares("self: running when sampled", own, samples, top)


def _innermost_orbit(frames: list[str]) -> str:
    if any(frame.startswith("_find_and_load ") for frame in frames):
        return "start: importing modules"
    for frame in reversed(frames):
        if _is_orbit(frame):
            return frame
    return "outside orbit (interpreter start, exit)"


def _is_orbit(frame: str) -> bool:
    return "(orbit_" in frame and not frame.startswith("<module> ")


def _function(frame: str) -> str:
    """``name (/path/to/package/module.py:123)`` as ``name (package/module.py)``."""
    name, _, where = frame.partition(" (")
    module = where.rsplit(":", 1)[0].rstrip(")")
    return f"{name} ({_short(module)})"


def _short(path: str) -> str:
    for marker in ("site-packages/", "/src/", "/python3.11/"):
        if marker in path:
            return path.rsplit(marker, 1)[1]
    return path


def _print_shares(kind: str, counter: Counter[str], samples: int, top: int) -> None:
    print(f"   -- {kind}")
    for function, count in counter.most_common(top):
        print(f"   {100 * count / samples:5.1f} %  {function}")


def summarise_cprofile(path: Path, top: int) -> None:
    for order in ("cumulative", "tottime"):
        print(f"   -- by {order}")
        statistics = pstats.Stats(str(path))
        statistics.sort_stats(order).print_stats(top)


def summarise_import_time(stderr: str, top: int) -> None:
    """The slowest imports at start, from ``-X importtime`` (cumulative microseconds)."""
    slowest: dict[str, int] = {}
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line[12:].split("|"))
            slowest[name] = max(int(cumulative), slowest.get(name, 0))
    ranked = sorted(slowest.items(), key=lambda item: item[1], reverse=True)
    for name, microseconds in ranked[:top]:
        print(f"   {microseconds / 1000:7.1f} ms  {name}")


# ---------------------------------------------------------------- the steps


def profile_import(tool: str, stores: Stores, files: make_data.Files, top: int) -> None:
    *others, last = files.organisations
    import_organisations(stores, {name: files.path(name) for name in others})
    output = stores.work / f"import.{tool}"
    arguments = orbit_arguments(stores, last, "import", str(files.path(last)))
    run = profiled(tool, output, arguments, stores)
    events = files.counts[last]
    print(f"\n== import of {last} ({events:,} events, store holds {len(others)} organisations)")
    print(f"   {run.seconds:.1f} s under {tool}, peak RSS {run.peak_rss_mib:.0f} MiB")
    summarise(tool, output, top)
    keep_profile(output, f"import.{tool}")


def profile_report(
    tool: str,
    stores: Stores,
    top: int,
    *,
    organisation: str | None = None,
    warm: bool = False,
    repeat: int = 0,
) -> None:
    """The report of one organisation or (``None``) of every organisation: replaying
    every event (``--rebuild`` where orbit keeps checkpoints, in one process where it
    has ``--jobs``, so that the profile sees the replay), or (``warm``) again from the
    checkpoints the first one saved. Then, without the profiler, ``repeat`` more runs
    of the same command: how much its time moves on this machine."""
    scope = "all" if organisation is None else organisation
    name = f"report-{scope}-{'warm' if warm else 'cold'}"
    report = ["report", "--year", YEAR, "--format", "json"]
    if organisation is None:
        report.append("--all-organisations")
    if not warm:
        report += rebuild_option() + one_process_option()
    output = stores.work / f"{name}.{tool}"
    run = profiled(tool, output, orbit_arguments(stores, organisation, *report), stores)
    what = "warm: again, nothing new" if warm else "every event replayed"
    which = "--all-organisations" if organisation is None else f"--organisation {organisation}"
    print(f"\n== orbit report --year {YEAR} {which} ({what})")
    print(f"   {run.seconds:.2f} s under {tool}, peak RSS {run.peak_rss_mib:.0f} MiB")
    summarise(tool, output, top)
    keep_profile(output, f"{name}.{tool}")
    if repeat:
        runs = [run_orbit(*report, stores=stores, organisation=organisation) for _ in range(repeat)]
        print(f"   without the profiler, {repeat} runs: {_spread(runs)}")


def one_process_option() -> list[str]:
    """``--jobs 1`` if this orbit's report replays in worker processes, else nothing."""
    return ["--jobs", "1"] if "--jobs" in run_orbit("report", "--help").stdout else []


def _spread(runs: list[Run]) -> str:
    """Median and range of wall and CPU seconds."""
    walls = sorted(run.seconds for run in runs)
    cpus = sorted(run.cpu_seconds for run in runs)
    return (
        f"wall median {statistics.median(walls):.3f} s ({walls[0]:.3f}-{walls[-1]:.3f}), "
        f"CPU median {statistics.median(cpus):.3f} s ({cpus[0]:.3f}-{cpus[-1]:.3f})"
    )


def profile_start(stores: Stores, top: int) -> None:
    command = [sys.executable, "-X", "importtime", "-c", ORBIT_MAIN, "--version"]
    stderr = subprocess.run(
        command, env=orbit_environment(stores), capture_output=True, text=True, check=True
    ).stderr
    print("\n== process start: slowest imports of orbit --version (cumulative)")
    summarise_import_time(stderr, top)


def gc_experiment(stores: Stores, files: make_data.Files) -> None:
    """The report, and an import into an empty store, with the collector on and off."""
    print("\n== garbage collector experiment (no profiler)")
    report = orbit_arguments(stores, None, "report", "--year", YEAR, "--all-organisations")
    report += rebuild_option()
    first = files.organisations[0]
    for label, main in (("as is", ORBIT_MAIN), ("gc off", GC_OFF_MAIN)):
        run = run_process([sys.executable, "-c", main, *report], orbit_environment(stores))
        print(f"   report, {label}: {_costs(run)}")
    for label, main in (("as is", ORBIT_MAIN), ("gc off", GC_OFF_MAIN)):
        with bench_stores(stores.kind, "profile_gc") as fresh:
            arguments = orbit_arguments(fresh, first, "import", str(files.path(first)))
            run = run_process([sys.executable, "-c", main, *arguments], orbit_environment(fresh))
        print(f"   import {first} into an empty store, {label}: {_costs(run)}")


def _costs(run: Run) -> str:
    return (
        f"{run.seconds:.2f} s wall, {run.cpu_seconds:.2f} s CPU, "
        f"peak RSS {run.peak_rss_mib:.0f} MiB"
    )


def summarise(tool: str, output: Path, top: int) -> None:
    if tool == "cprofile":
        summarise_cprofile(output, top)
    else:
        summarise_py_spy(output, top)


def keep_profile(output: Path, name: str) -> None:
    """Profiles outlive the run's stores, in benchmarks/data/profiles/, one set per run."""
    folder = DATA_DIR / "profiles"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(output, folder / f"{RUN_STARTED}-{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    add_common_arguments(parser)
    parser.add_argument("--tool", choices=("py-spy", "cprofile"), default="py-spy")
    parser.add_argument("--top", type=int, default=25, help="functions listed [default: 25]")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each report without the profiler, for the noise [default: 5]",
    )
    parser.add_argument(
        "--gc-experiment", action="store_true", help="also time runs with the collector off"
    )
    arguments = parser.parse_args()
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    print("== profile")
    for key, value in machine(arguments.store).items():
        print(f"   {key}: {value}")
    print(f"   data: {files.dataset.describe()}: {files.events:,} events")
    with bench_stores(arguments.store, "profile", keep=arguments.keep) as stores:
        profile_start(stores, arguments.top)
        profile_import(arguments.tool, stores, files, arguments.top)
        for organisation in (files.organisations[0], None):
            options = {"organisation": organisation, "repeat": arguments.repeat}
            profile_report(arguments.tool, stores, arguments.top, **options)
            if rebuild_option():  # this orbit keeps checkpoints: where does a warm report go?
                profile_report(arguments.tool, stores, arguments.top, warm=True, **options)
        if arguments.gc_experiment:
            gc_experiment(stores, files)
    print(f"\nprofiles kept in {DATA_DIR / 'profiles'}")


if __name__ == "__main__":
    main()
