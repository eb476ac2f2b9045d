"""The warm read model: bounded, single-flight, and never keeping a result older than news."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from web_api_support import new_referral

from orbit_adapters.service import Orbit
from orbit_adapters.web.read_model import ReadModel


@pytest.fixture
def orbit(tmp_path: Path) -> Iterator[Orbit]:
    with Orbit.open(f"sqlite:///{tmp_path / 'orbit.db'}", organisation="alpha") as opened:
        opened.import_lines([new_referral("P-1")])
        yield opened


@pytest.fixture
def model(orbit: Orbit) -> Iterator[ReadModel]:
    made = ReadModel(orbit._store, capacity=2, poll_seconds=0.02, rewarm_per_change=0)
    yield made
    made.close()


def test_the_least_recently_used_result_goes_first(model: ReadModel) -> None:
    made: list[str] = []

    def maker(name: str) -> Callable[[], str]:
        def make() -> str:
            made.append(name)
            return name

        return make

    for name in ("a", "b", "a", "c", "a", "b"):
        assert model.get("alpha", name, maker(name)) == name
    assert made == ["a", "b", "c", "b"]  # "b" was dropped for "c"; "a" was kept in use


def test_one_thread_makes_a_result_while_the_others_wait_for_it(model: ReadModel) -> None:
    calls = 0
    started = threading.Event()

    def slow() -> int:
        nonlocal calls
        calls += 1
        started.set()
        time.sleep(0.2)
        return 42

    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(model.get("alpha", "k", slow)))
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [42] * 5
    assert calls == 1


def test_a_result_made_while_its_organisation_changed_is_not_kept(model: ReadModel) -> None:
    def make_while_news_arrives() -> str:
        model.changed("alpha", rewarm=False)
        return "stale"

    assert model.get("alpha", "k", make_while_news_arrives) == "stale"
    assert model.get("alpha", "k", lambda: "fresh") == "fresh"
    assert model.get("alpha", "k", lambda: "not asked") == "fresh"


def test_a_new_event_stored_elsewhere_drops_the_organisation_s_results(
    model: ReadModel, orbit: Orbit
) -> None:
    assert model.get("alpha", "k", lambda: 1) == 1
    assert model.get("beta", "k", lambda: 1) == 1
    orbit.import_lines([new_referral("P-2")])  # as another process would
    deadline = time.monotonic() + 10
    while model.stats.invalidations == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert model.get("alpha", "k", lambda: 2) == 2
    assert model.get("beta", "k", lambda: 2) == 1  # another organisation: unchanged
