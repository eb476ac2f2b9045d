"""Opening a store: found or created as asked, made once under concurrency, undone when new."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from orbit_adapters.privacy.master_key import KeyFileError
from orbit_adapters.service import Orbit
from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.presence import NoStoreError
from orbit_domain.period import Period
from privacy_journeys import journey
from store_snapshot import orbit_tables, snapshot

OPENERS = 8


def test_without_create_a_url_with_no_store_is_refused_and_nothing_is_made(
    store_url: str, tmp_path: Path
) -> None:
    before = snapshot(store_url, tmp_path)

    with pytest.raises(NoStoreError, match=r"^no orbit store at "):
        Orbit.open(store_url, create=False)

    assert snapshot(store_url, tmp_path) == before


def test_without_create_an_existing_store_opens(store_url: str) -> None:
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(journey("O-1", "o"))

    with Orbit.open(store_url, create=False) as orbit:
        assert not orbit._store.created
        assert orbit.organisations() == {"default": 5}


def test_connections_opening_a_new_store_at_once_make_one_schema_and_one_key(
    store_url: str, tmp_path: Path
) -> None:
    start = threading.Barrier(OPENERS)
    outcomes: list[object] = []

    def open_and_import(number: int) -> None:
        start.wait()
        try:
            with Orbit.open(store_url) as orbit:
                orbit.import_lines(journey(f"C-{number}", f"c{number}"))
                outcomes.append(orbit._key.check_value())
        except Exception as error:  # collected, and shown by the assertion
            outcomes.append(error)

    openers = [threading.Thread(target=open_and_import, args=(n,)) for n in range(OPENERS)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(timeout=120)

    assert len(set(outcomes)) == 1, outcomes  # every opener: the same key, no error
    with Orbit.open(store_url) as orbit:
        assert orbit.organisations() == {"default": 5 * OPENERS}
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


def test_without_its_key_a_store_still_reports_and_refuses_what_needs_the_key(
    store_url: str,
) -> None:
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(journey("K-1", "k"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
        expected = orbit.report(Period.year(2024))
    key_file.unlink()

    with Orbit.open(store_url, key_required=False) as orbit:
        assert orbit.report(Period.year(2024), rebuild=True) == expected
        assert str(orbit.key_problem).startswith(f"master key file {key_file} is missing: ")
        with pytest.raises(KeyFileError, match="is missing"):
            list(orbit.export_lines())
        with pytest.raises(KeyFileError, match="is missing"):
            orbit.forget("K-1")
    assert not key_file.exists()


def test_a_new_store_that_still_holds_nothing_is_removed_with_its_key_file(
    store_url: str, tmp_path: Path
) -> None:
    before = snapshot(store_url, tmp_path)
    orbit = Orbit.open(store_url)
    assert orbit._store.created

    assert orbit.remove_new_store()

    assert snapshot(store_url, tmp_path) == before
    if store_url.startswith("postgresql"):
        assert orbit_tables(store_url) == {}


def test_a_store_that_holds_events_is_never_removed(store_url: str) -> None:
    orbit = Orbit.open(store_url)
    orbit.import_lines(journey("K-1", "k"))

    assert not orbit.remove_new_store()

    with Orbit.open(store_url, create=False) as reopened:
        assert reopened.organisations() == {"default": 5}


def test_a_writer_that_waited_for_a_removed_store_stores_nothing_and_says_so(
    sqlite_url: str,
) -> None:
    creator = Orbit.open(sqlite_url)
    waiter = Orbit.open(sqlite_url)  # opened the new store before its creator gave up

    assert creator.remove_new_store()

    with pytest.raises(StoreError, match="was removed or replaced while this command waited"):
        waiter.import_lines(journey("W-1", "w"))
    waiter.close()
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()
