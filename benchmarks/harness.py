"""What the benchmarks share: orbit run as a real process, the stores, and the figures table.

Every orbit figure is the wall-clock time of a complete ``orbit`` process (interpreter
start included), and its peak RSS is that process's own ``ru_maxrss`` from ``wait4``,
so one large command never hides the others.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
REPO_DIR = BENCH_DIR.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "ORBIT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
KEY_FILE_VARIABLE = "ORBIT_KEY_FILE"  # orbits that seal personal data need a master key
RSS_TARGET_MIB = 250.0
STORES = ("sqlite", "postgresql")

T = TypeVar("T")


# ---------------------------------------------------------------- running orbit


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds, and the CPU seconds (user + system) spent in them.

    Wall time is what the targets are about; CPU time moves much less when other work
    shares the machine, so its ratios tell whether a wall-clock ratio was disturbed.
    """

    seconds: float
    cpu_seconds: float

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.seconds + other.seconds, self.cpu_seconds + other.cpu_seconds)


def total(timings: Iterable[Timing]) -> Timing:
    return sum(timings, start=Timing(0.0, 0.0))


@dataclass(frozen=True)
class Run(Timing):
    """One finished orbit process: its times, its own peak RSS, and what it printed."""

    peak_rss_mib: float = 0.0
    stdout: str = ""


def orbit_executable() -> str:
    """The ``orbit`` beside the running interpreter (the project's .venv), else on PATH."""
    beside = Path(sys.executable).parent / "orbit"
    if beside.exists():
        return str(beside)
    found = shutil.which("orbit")
    if found is None:
        raise SystemExit("orbit is not installed: run the benchmarks with .venv/bin/python")
    return found


_orbit_source: Path | None = None


def prepare_orbit(source: str | None) -> None:
    """Choose the orbit to run, and compile its bytecode before anything is timed.

    ``source`` is a ``src`` folder (e.g. a ``git archive`` snapshot) to run instead of
    the installed tree, so a long run cannot see edits other people make meanwhile.
    Bytecode is cached under benchmarks/data/pycache, as an installed orbit has it,
    even where PYTHONDONTWRITEBYTECODE is set, and without writing into src/.
    """
    global _orbit_source  # noqa: PLW0603 - one setting for the whole run, from its arguments
    _orbit_source = None if source is None else Path(source).resolve()
    if _orbit_source is not None and not (_orbit_source / "orbit_cli").is_dir():
        raise SystemExit(f"{source} holds no orbit_cli package")
    folders = [str(_orbit_source or REPO_DIR / "src"), sysconfig.get_paths()["purelib"]]
    compile_all = [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders]
    subprocess.run(compile_all, env=orbit_environment(), stdout=subprocess.DEVNULL, check=False)
    run_orbit("--version")


def run_orbit(
    *arguments: str, stores: Stores | None = None, organisation: str | None = None
) -> Run:
    """Run ``orbit [--store S] [--organisation O] ARGUMENTS`` and measure it."""
    command = [orbit_executable()]
    if stores is not None:
        command += ["--store", stores.orbit_url]
    if organisation is not None:
        command += ["--organisation", organisation]
    return run_process([*command, *arguments], orbit_environment(stores))


def rebuild_option() -> list[str]:
    """``--rebuild`` if this orbit's report has it (replay from checkpoints), else nothing.

    With checkpoints a report reuses what an earlier one folded; ``--rebuild`` makes it
    replay every event, which is what a cold figure measures.
    """
    help_text = run_orbit("report", "--help").stdout
    return ["--rebuild"] if "--rebuild" in help_text else []


def orbit_environment(stores: Stores | None = None) -> dict[str, str]:
    """The environment of an orbit process: the chosen source, and the store's key file."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str(DATA_DIR / "pycache")
    if _orbit_source is not None:
        environment["PYTHONPATH"] = str(_orbit_source)  # ahead of the editable install
    if stores is not None:
        environment[KEY_FILE_VARIABLE] = str(stores.work / "orbit.key")
    return environment


def run_process(command: Sequence[str], environment: dict[str, str] | None = None) -> Run:
    """Run a command to completion; its time from spawn to exit, and its own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            message = err.read().decode(errors="replace").strip()
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {message}")
        cpu_seconds = usage.ru_utime + usage.ru_stime
        peak_rss_mib = usage.ru_maxrss / 1024  # Linux gives KiB
        _warn_if_inherited(peak_rss_mib, command)
        return Run(seconds, cpu_seconds, peak_rss_mib, out.read().decode())


_inherited_warned = False


def _warn_if_inherited(peak_rss_mib: float, command: Sequence[str]) -> None:
    """Linux keeps a process's peak RSS across ``exec``, so a child's starts at this
    process's peak when it was spawned: a figure at or below it may not be the child's."""
    global _inherited_warned  # noqa: PLW0603 - said once per run
    own_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if peak_rss_mib <= own_mib + 1 and not _inherited_warned:
        _inherited_warned = True
        print(
            f"warning: peak RSS of {Path(command[0]).name} ({peak_rss_mib:.0f} MiB) is not above "
            f"the benchmark's own ({own_mib:.0f} MiB): it may be the benchmark's (said once)",
            file=sys.stderr,
        )


def timed(function: Callable[[], T]) -> tuple[Timing, T]:
    """Run ``function`` in this process: its wall-clock and CPU time, and its result."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return Timing(time.perf_counter() - start, time.process_time() - start_cpu), result


# ---------------------------------------------------------------- stores


@dataclass(frozen=True)
class Stores:
    """Where one benchmark run writes: orbit's store, the raw baseline's, and scratch files."""

    kind: str
    orbit_url: str  # a SQLAlchemy URL for orbit --store
    raw: str  # the baseline's SQLite file, or its libpq URL
    work: Path  # scratch files of the run (derived input files, profiles)


@contextmanager
def bench_stores(kind: str, name: str, *, keep: bool = False) -> Iterator[Stores]:
    """Fresh, empty stores for one run, removed afterwards unless ``keep``.

    SQLite: two files in a directory under benchmarks/data/. PostgreSQL: one database
    ``orbit_bench_NAME_SUFFIX`` holding orbit's tables and the baseline's table, the
    suffix being the run directory's, so that two runs of one script never share it.
    """
    signal.signal(signal.SIGTERM, _exit_on_terminate)  # so that `finally` cleans up
    DATA_DIR.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"run-{name}-", dir=DATA_DIR))
    database = f"orbit_bench_{name}_{work.name.rsplit('-', 1)[-1].lower()}"
    try:
        if kind == "sqlite":
            yield Stores(kind, f"sqlite:///{work / 'orbit.sqlite'}", str(work / "raw.sqlite"), work)
        else:
            _recreate_database(database)
            url = _with_database(POSTGRES_ADMIN_URL, database)
            yield Stores(kind, url.replace("postgresql://", "postgresql+psycopg://", 1), url, work)
    finally:
        if keep:
            print(f"kept: {work}" + ("" if kind == "sqlite" else f" and database {database}"))
        else:
            shutil.rmtree(work, ignore_errors=True)
            if kind == "postgresql":
                _drop_database(database)


def _exit_on_terminate(signal_number: int, _frame: object) -> None:
    raise SystemExit(128 + signal_number)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin_execute(*statements: str) -> None:
    import psycopg  # noqa: PLC0415 - only the PostgreSQL runs need the driver

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]  # names are ours


def _recreate_database(database: str) -> None:
    _admin_execute(
        f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}"
    )


def _drop_database(database: str) -> None:
    _admin_execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


# ---------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Figure:
    """One line of the results: orbit's figure, the baseline's, and their ratio."""

    name: str
    orbit: str
    baseline: str = ""
    ratio: float | None = None  # of wall-clock times, what the target is about
    cpu_ratio: float | None = None  # the same ratio of CPU times
    target: str = ""  # ">= 0.60" or "<= 0.10"
    peak_rss_mib: float | None = None

    @property
    def verdict(self) -> str:
        """MET / NOT MET, with the factor of margin or of shortfall."""
        if self.ratio is None or not self.target:
            return ""
        sign, limit = self.target.split()
        bound = float(limit)
        if sign == ">=":
            met, factor = self.ratio >= bound, self.ratio / bound
        else:
            met, factor = self.ratio <= bound, bound / self.ratio
        if met:
            return f"MET ({factor:.1f}x margin)"
        return f"NOT MET (needs {1 / factor:.1f}x)"


def throughput(events: int, timing: Timing) -> str:
    return f"{events / timing.seconds:,.0f} ev/s ({timing.seconds:.2f} s)"


def seconds_text(timing: Timing) -> str:
    return f"{timing.seconds:.2f} s"


def faster_is_higher(orbit: Timing, baseline: Timing) -> tuple[float, float]:
    """orbit's events/s over the baseline's, for the same events: wall and CPU."""
    return baseline.seconds / orbit.seconds, baseline.cpu_seconds / orbit.cpu_seconds


def share_of(part: Timing, whole: Timing) -> tuple[float, float]:
    """``part`` as a fraction of ``whole``: wall and CPU."""
    return part.seconds / whole.seconds, part.cpu_seconds / whole.cpu_seconds


COLUMNS = (
    ("figure", 52),
    ("orbit", 26),
    ("baseline", 26),
    ("ratio", 6),
    ("(cpu)", 6),
    ("target", 8),
)


def print_header(title: str, details: dict[str, object]) -> None:
    print(f"\n== {title}")
    for key, value in details.items():
        print(f"   {key}: {value}")
    print()
    heading = " ".join(f"{name:<{width}}" for name, width in COLUMNS)
    print(f"{heading} {'verdict':<24} peak RSS")


def print_figure(figure: Figure) -> None:
    ratio = "" if figure.ratio is None else f"{figure.ratio:.2f}"
    cpu_ratio = "" if figure.cpu_ratio is None else f"{figure.cpu_ratio:.2f}"
    rss = "" if figure.peak_rss_mib is None else f"{figure.peak_rss_mib:.0f} MiB"
    cells = (figure.name, figure.orbit, figure.baseline, ratio, cpu_ratio, figure.target)
    line = " ".join(f"{cell:<{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))
    print(f"{line} {figure.verdict:<24} {rss}".rstrip(), flush=True)


def print_rss_summary(figures: Sequence[Figure]) -> None:
    peaks = [figure.peak_rss_mib for figure in figures if figure.peak_rss_mib is not None]
    if peaks:
        verdict = "MET" if max(peaks) <= RSS_TARGET_MIB else "NOT MET"
        print(
            f"\nhighest peak RSS of any orbit command: {max(peaks):.0f} MiB "
            f"(target <= {RSS_TARGET_MIB:.0f} MiB: {verdict})"
        )


def write_json(path: str | None, details: dict[str, object], figures: Sequence[Figure]) -> None:
    if path is None:
        return
    rows = [{**asdict(figure), "verdict": figure.verdict} for figure in figures]
    Path(path).write_text(json.dumps({"run": details, "figures": rows}, indent=1) + "\n")


def machine(kind: str) -> dict[str, object]:
    """What a reader needs to compare a run with another machine's."""
    details: dict[str, object] = {
        "machine": f"{os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.platform()}",
        "load average at start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "orbit": _orbit_revision(),
    }
    if kind == "postgresql":
        details["postgresql"] = _postgres_version()
    return details


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _orbit_revision() -> str:
    if _orbit_source is not None:
        return f"source {_orbit_source}"
    revision = _git("rev-parse", "--short", "HEAD")
    changed = _git("status", "--porcelain", "--", "src")
    if revision is None:
        return "unknown revision"
    return f"git {revision}" + (" with uncommitted changes in src/" if changed else "")


def _git(*arguments: str) -> str | None:
    try:
        return subprocess.run(
            ["git", "-C", str(REPO_DIR), *arguments], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _postgres_version() -> str:
    import psycopg  # noqa: PLC0415 - only the PostgreSQL runs need the driver

    with psycopg.connect(POSTGRES_ADMIN_URL) as connection:
        row: Any = connection.execute("SHOW server_version").fetchone()
        return str(row[0])


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", choices=STORES, default="sqlite", help="[default: sqlite]")
    parser.add_argument("--keep", action="store_true", help="keep the stores after the run")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--orbit-src",
        metavar="DIR",
        help="run orbit from this src folder (e.g. a git archive snapshot) instead of the "
        "installed tree",
    )
