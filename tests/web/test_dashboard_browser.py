"""The dashboard in a real browser: headless Chromium signs in to ``orbit serve`` and reads
the overview, whose figures must be those of ``orbit replay`` for the same period.

Chromium and its driver come from the OS packages (Debian's ``chromium`` and
``chromium-driver``; ``.ci/run`` installs them), since pip cannot fetch a browser here.
Without them the test is skipped, saying which is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from dashboard_support import KnownStore, fill_store

from orbit_adapters.annual_report.numbers import NumberFormat
from orbit_cli.main import cli

CHROMIUM = Path(os.environ.get("ORBIT_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("ORBIT_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))
PERIOD = ("2025-01-01", "2025-06-30")
PAGE_LOAD_SECONDS = 30


def _browser_problem() -> str | None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        return (
            f"no browser for the dashboard test: {' and '.join(missing)} missing "
            "(apt-get install chromium chromium-driver, as .ci/run does)"
        )
    return None


pytestmark = pytest.mark.skipif(_browser_problem() is not None, reason=_browser_problem() or "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def known(tmp_path: Path) -> KnownStore:
    return fill_store(f"sqlite:///{tmp_path / 'orbit.db'}")


@pytest.fixture
def server(known: KnownStore, tmp_path: Path) -> Iterator[str]:
    """``orbit serve`` on a free loopback port, as a separate process; killed afterwards."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orbit_cli",
            "--store",
            known.url,
            "serve",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    output = (tmp_path / "serve.log").read_text(errors="replace")
                    pytest.fail(f"orbit serve did not start: {output[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # we run as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.set_window_size(1200, 900)
        yield driver
    finally:
        driver.quit()


def cli_report(url: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli, ["--store", url, "--organisation", "north", "replay", *args, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def click_and_load(driver: Any, css_selector: str) -> None:
    """Click what navigates, then wait until the next page has loaded: a click returns
    before the browser has left the page, and reading at once races it on a busy host."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support import expected_conditions  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    leaving = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css_selector).click()
    wait = WebDriverWait(driver, PAGE_LOAD_SECONDS)
    wait.until(expected_conditions.staleness_of(leaving))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def shown_figures(driver: Any) -> dict[str, str]:
    """Each figure row's current value as the browser renders it, by its data-key."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    figures = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-key]"):
        cell = row.find_element(By.CSS_SELECTOR, 'td[data-period="current"]')
        figures[row.get_attribute("data-key")] = cell.text.strip()
    return figures


def test_a_reader_signs_in_and_the_overview_shows_the_clis_figures(
    known: KnownStore, server: str, browser: Any
) -> None:
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    overview = f"{server}/organisations/north?from={PERIOD[0]}&until={PERIOD[1]}"
    browser.get(overview)
    assert "/sign-in" in browser.current_url  # no session yet
    browser.find_element(By.ID, "token").send_keys(known.reader.secret)
    click_and_load(browser, "form[action='/sign-in'] button")
    assert browser.current_url == overview  # back where it was going
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    assert browser.find_element(By.TAG_NAME, "h1").text == "north"

    report = cli_report(known.url, "--from", PERIOD[0], "--until", PERIOD[1])
    shown = shown_figures(browser)
    fmt = NumberFormat("nb")
    compared = 0
    for code, programme in report["programmes"].items():
        expected = {
            f"{code}.participants_served": fmt.decimal(programme["participants_served"]),
            f"{code}.active_at_end": fmt.decimal(programme["active_at_end"]),
            f"{code}.new_starts": fmt.decimal(programme["new_starts"]),
            f"{code}.exits": fmt.decimal(programme["exits"]),
            f"{code}.waiting.at_end": fmt.decimal(programme["waiting"]["at_end"]),
            f"{code}.seat_usage.used_total": fmt.figure(programme["seat_usage"]["used_total"]),
            f"{code}.seat_usage.allocated_total": fmt.figure(
                programme["seat_usage"]["allocated_total"]
            ),
            **{
                f"{code}.exits_by_outcome.{outcome}": fmt.decimal(count)
                for outcome, count in programme["exits_by_outcome"].items()
            },
        }
        for key, value in expected.items():
            assert shown[key] == value, key
            compared += 1
    assert compared > 40
    fingerprint = browser.find_element(By.CSS_SELECTOR, 'dd[data-key="fingerprint"]').text
    assert fingerprint == report["fingerprint"]

    # The charts are drawn, each with its numbers for a reader who cannot see it.
    charts = browser.find_elements(By.CSS_SELECTOR, "div.chart[role='img']")
    assert len(charts) == len(report["programmes"])
    assert all(chart.size["height"] > 100 for chart in charts)
    assert all(chart.get_attribute("aria-label") for chart in charts)

    # On a phone the page fits its width: nothing to scroll sideways.
    browser.set_window_size(390, 844)
    browser.refresh()
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    # English, then signed out.
    click_and_load(browser, "a[hreflang='en']:not([download])")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Key figures – AFT" in browser.page_source
    click_and_load(browser, "form[action='/sign-out'] button")
    assert browser.current_url.endswith("/sign-in")
    browser.get(overview)
    assert "/sign-in" in browser.current_url


def test_the_knowledge_time_picker_gives_the_clis_report_as_known_then(
    known: KnownStore, server: str, browser: Any
) -> None:
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    browser.get(f"{server}/sign-in")
    browser.find_element(By.ID, "token").send_keys(known.reader.secret)
    click_and_load(browser, "form[action='/sign-in'] button")
    moment = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
    browser.get(
        f"{server}/organisations/north?from=2024-01-01&until=2024-12-31"
        f"&known_at={moment:%Y-%m-%dT%H:%M}"
    )
    report = cli_report(
        known.url,
        "--from",
        "2024-01-01",
        "--until",
        "2024-12-31",
        "--known-at",
        f"{moment:%Y-%m-%dT%H:%M:%SZ}",
    )
    assert (
        browser.find_element(By.CSS_SELECTOR, 'dd[data-key="fingerprint"]').text
        == (report["fingerprint"])
    )
    assert shown_figures(browser)["AFT.exits"] == str(report["programmes"]["AFT"]["exits"])
