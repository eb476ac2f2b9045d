"""Load on ``orbit serve``: warm reports, annual reports and imports, from 32 clients at once.

Setup (not a figure): every organisation imported with ``orbit import``, except the last
``--batches`` times 100 lines of org-02, kept back; an admin reader and an admin importer
token made with ``orbit tokens create``; ``orbit serve`` started on a free loopback port.

Figures, each from ``--clients`` concurrent clients (httpx, asyncio) with a fixed number
of requests and a time limit, as latency percentiles and errors (any status but 200, or
no answer):

- warm report: ``GET .../report?from=2024-01-01&until=2024-12-31`` of a random
  organisation, after one request per organisation warmed them. Beside it, the CLI's
  warm report (``orbit report --year 2024 --format json`` of org-01, run twice, the
  second timed): a process start, which is what the server saves.
  Targets (issue 16): p50 under 20 ms, p99 under 100 ms, no errors.
- annual report: ``GET .../annual-report?year=2024&format=json`` of org-01; the first,
  cold request is printed on its own.
- imports while reports run: one client POSTs the kept-back lines of org-02, 100 events
  a request, one after another, while the other clients ask for warm reports of random
  organisations (org-02's included, which each import makes stale). Target: imports
  never block readers (the reports' p99 stays in its target).

    .venv/bin/python benchmarks/bench_serve.py --scale 0.1
    .venv/bin/python benchmarks/bench_serve.py --store postgresql --scale 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import make_data
from bench_import import import_organisations
from harness import (
    Stores,
    add_common_arguments,
    bench_stores,
    machine,
    orbit_environment,
    orbit_executable,
    prepare_orbit,
    run_orbit,
)

YEAR = "2024"
BATCH = 100
REPORT_P50_MS = 20.0
REPORT_P99_MS = 100.0
STARTUP_SECONDS = 60.0


@dataclass
class Latencies:
    """One figure's requests: seconds of each answered with 200, and the failures."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def line(self, name: str, elapsed: float) -> str:
        done = len(self.seconds)
        rate = done / elapsed if elapsed else 0.0
        text = (
            f"{name:<46} n={done:<5} p50 {self.percentile(0.50):7.1f} ms   "
            f"p99 {self.percentile(0.99):7.1f} ms   max {self.percentile(1.0):7.1f} ms   "
            f"{rate:6.0f} req/s   errors {len(self.errors)}"
        )
        if self.errors:
            text += f" (first: {self.errors[0]})"
        return text


async def drive(
    clients: int,
    requests: int,
    time_limit: float,
    request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    client: httpx.AsyncClient,
) -> tuple[Latencies, float]:
    """``requests`` calls of ``request`` from ``clients`` workers, stopping at ``time_limit``."""
    latencies = Latencies()
    counter = iter(range(requests))
    deadline = time.monotonic() + time_limit

    async def worker() -> None:
        for number in counter:
            if time.monotonic() > deadline:
                return
            await timed_request(latencies, lambda number=number: request(client, number))

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.monotonic() - started


async def timed_request(
    latencies: Latencies, call: Callable[[], Awaitable[httpx.Response]]
) -> None:
    start = time.perf_counter()
    try:
        response = await call()
    except httpx.HTTPError as error:
        latencies.errors.append(f"{type(error).__name__}: {error}")
        return
    if response.status_code == 200:
        latencies.seconds.append(time.perf_counter() - start)
    else:
        latencies.errors.append(f"{response.status_code} {response.text[:120]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(stores: Stores, port: int) -> subprocess.Popen[bytes]:
    log = (stores.work / "serve.log").open("ab")
    command = [orbit_executable(), "--store", stores.orbit_url, "serve", "--port", str(port)]
    environment = orbit_environment(stores)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"orbit serve did not start; see {stores.work / 'serve.log'}")


def token(stores: Stores, role: str) -> str:
    return run_orbit(
        "tokens", "create", "--all-organisations", "--role", role, stores=stores
    ).stdout.strip()


async def measure(arguments: argparse.Namespace, base: str, tokens: dict[str, str],
                  organisations: list[str], batches: list[str]) -> None:  # fmt: skip
    reader = {"Authorization": f"Bearer {tokens['reader']}"}
    importer = {"Authorization": f"Bearer {tokens['importer']}"}
    limits = httpx.Limits(max_connections=arguments.clients + 1)
    randomly = random.Random(1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        def report_of(organisation: str) -> Awaitable[httpx.Response]:
            return client.get(
                f"/api/v1/organisations/{organisation}/report",
                params={"from": f"{YEAR}-01-01", "until": f"{YEAR}-12-31"},
                headers=reader,
            )

        warming = Latencies()
        started = time.monotonic()
        for organisation in organisations:
            await timed_request(warming, lambda organisation=organisation: report_of(organisation))
        print(warming.line("first report of each organisation (cold)", time.monotonic() - started))

        alone, elapsed = await drive(
            1, arguments.requests // 4, arguments.time_limit,
            lambda _c, _n: report_of(randomly.choice(organisations)), client,
        )  # fmt: skip
        print(alone.line("warm report, one client (service time)", elapsed))
        warm, elapsed = await drive(
            arguments.clients, arguments.requests, arguments.time_limit,
            lambda _c, _n: report_of(randomly.choice(organisations)), client,
        )  # fmt: skip
        print(warm.line("warm report (random organisation)", elapsed))
        verdicts(warm)
        wrk_warm_reports(base, tokens["reader"], organisations, arguments)

        annual_path = f"/api/v1/organisations/{organisations[0]}/annual-report"
        annual_params = {"year": YEAR, "format": "json"}
        cold = Latencies()
        started = time.monotonic()
        await timed_request(
            cold, lambda: client.get(annual_path, params=annual_params, headers=reader)
        )
        print(
            cold.line(
                f"annual report JSON of {organisations[0]} (cold)", time.monotonic() - started
            )
        )
        annual, elapsed = await drive(
            arguments.clients, arguments.requests, arguments.time_limit,
            lambda _c, _n: client.get(annual_path, params=annual_params, headers=reader), client,
        )  # fmt: skip
        print(annual.line(f"annual report JSON of {organisations[0]} (warm)", elapsed))

        imports = Latencies()
        importing = True

        async def importer_client() -> None:
            nonlocal importing
            for batch in batches:
                await timed_request(imports, lambda batch=batch: client.post(
                    f"/api/v1/organisations/{organisations[1]}/events",
                    content=batch, headers=importer,
                ))  # fmt: skip
            importing = False

        during = Latencies()

        async def report_client() -> None:
            while importing:
                await timed_request(during, lambda: report_of(randomly.choice(organisations)))

        started = time.monotonic()
        await asyncio.gather(
            importer_client(), *(report_client() for _ in range(arguments.clients - 1))
        )
        elapsed = time.monotonic() - started
        print(imports.line(f"import of {BATCH} events into {organisations[1]}", elapsed))
        print(during.line("  reports meanwhile (random organisation)", elapsed))
        verdicts(during)


WRK_SCRIPT = """
local organisations = {%(organisations)s}
local headers = {["Authorization"] = "Bearer %(token)s"}
math.randomseed(1)
request = function()
  local organisation = organisations[math.random(#organisations)]
  return wrk.format("GET", "/api/v1/organisations/" .. organisation ..
    "/report?from=%(year)s-01-01&until=%(year)s-12-31", headers)
end
"""
WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_warm_reports(
    base: str, reader: str, organisations: list[str], arguments: argparse.Namespace
) -> None:
    """The warm-report figure again, from wrk: a client in C that costs the shared cores
    little, where the Python clients above cost about as much CPU as the server."""
    wrk = shutil.which("wrk")
    if wrk is None:
        print(f"{'warm report, wrk (C client)':<46} skipped: no wrk (apt-get install wrk)")
        return
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {
            "organisations": ", ".join(f'"{name}"' for name in organisations),
            "token": reader,
            "year": YEAR,
        })  # fmt: skip
    seconds = max(5, min(30, int(arguments.time_limit)))
    try:
        output = subprocess.run(
            [wrk, "-t1", f"-c{arguments.clients}", f"-d{seconds}s", "--timeout", "10s",
             "--latency", "-s", script.name, base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        Path(script.name).unlink()
    percentiles = {
        share: float(value) * WRK_UNITS[unit]
        for share, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", output, re.M)
    }
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    failed = sum(
        int(count)
        for count in re.findall(r"(?:Non-2xx or 3xx responses|connect|read|write|timeout)"
                                r":? (\d+)", output)
    )  # fmt: skip
    p50, p99 = percentiles["50"], percentiles["99"]
    print(
        f"{'warm report, wrk (C client), ' + str(seconds) + ' s':<46} "
        f"p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   {rate:6.0f} req/s   errors {failed}"
    )
    met = p50 < REPORT_P50_MS and p99 < REPORT_P99_MS and failed == 0
    print(
        f"{'':<46} target p50 < {REPORT_P50_MS:.0f} ms, p99 < {REPORT_P99_MS:.0f} ms, "
        f"no errors: {'MET' if met else 'NOT MET'}"
    )


def verdicts(latencies: Latencies) -> None:
    p50, p99 = latencies.percentile(0.5), latencies.percentile(0.99)
    met = p50 < REPORT_P50_MS and p99 < REPORT_P99_MS and not latencies.errors
    print(
        f"{'':<46} target p50 < {REPORT_P50_MS:.0f} ms, p99 < {REPORT_P99_MS:.0f} ms, "
        f"no errors: {'MET' if met else 'NOT MET'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    make_data.add_dataset_arguments(parser)
    parser.add_argument("--clients", type=int, default=32, help="[default: 32]")
    parser.add_argument("--requests", type=int, default=2000, help="per figure [default: 2000]")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per figure")
    parser.add_argument("--batches", type=int, default=10, help="imports of 100 [default: 10]")
    arguments = parser.parse_args()
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    organisations = files.organisations
    with bench_stores(arguments.store, "serve", keep=arguments.keep) as stores:
        kept_back = arguments.batches * BATCH
        sources = {name: files.path(name) for name in organisations}
        lines = files.path(organisations[1]).read_text().splitlines(keepends=True)
        partial = stores.work / f"{organisations[1]}-head.jsonl"
        partial.write_text("".join(lines[:-kept_back]))
        sources[organisations[1]] = partial
        tail = lines[-kept_back:]
        batches = ["".join(tail[start : start + BATCH]) for start in range(0, kept_back, BATCH)]
        print(f"importing {files.events - kept_back:,} events of {len(organisations)} "
              "organisations ...", flush=True)  # fmt: skip
        import_organisations(stores, sources)
        tokens = {"reader": token(stores, "reader"), "importer": token(stores, "importer")}

        run_orbit("report", "--year", YEAR, "--format", "json", stores=stores,
                  organisation=organisations[0])  # fmt: skip
        cli_warm = run_orbit("report", "--year", YEAR, "--format", "json", stores=stores,
                             organisation=organisations[0])  # fmt: skip

        details = machine(arguments.store)
        details["data"] = f"{files.dataset.describe()} ({files.events:,} events)"
        details["load"] = (
            f"{arguments.clients} clients, {arguments.requests} requests a figure, "
            f"time limit {arguments.time_limit:.0f} s"
        )
        print(f"\n== orbit serve under load ({arguments.store})")
        for key, value in details.items():
            print(f"   {key}: {value}")
        print()
        print(f"{'CLI warm report of ' + organisations[0] + ' (one process)':<46} "
              f"{cli_warm.seconds * 1000:7.1f} ms")  # fmt: skip
        port = free_port()
        server = start_server(stores, port)
        try:
            asyncio.run(
                measure(arguments, f"http://127.0.0.1:{port}", tokens, organisations, batches)
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
