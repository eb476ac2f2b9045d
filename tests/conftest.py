"""Fixtures shared by the suite: the conformance sample, and stores on every database."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from orbit_adapters import importing
from orbit_adapters.service import Orbit
from postgres_databases import PostgresDatabases

# Property tests: "dev" keeps the suite quick at a desk; .ci/run selects "ci" for more examples.
# Failures print the falsifying example and a reproduce_failure blob to replay it exactly.
settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# eventsourcing.tests calls warnings.resetwarnings() when first imported, which would wipe
# pytest's filters (pyproject's filterwarnings, -W options) for the rest of collection, so a
# module collected after tests/adapters/test_recorder_conformance.py would show warnings the
# filters hide. Importing it here, once, under catch_warnings restores them afterwards.
with warnings.catch_warnings():
    import eventsourcing.tests  # noqa: F401

SAMPLE = Path(__file__).parent / "conformance" / "data" / "sample-events.jsonl"
POSTGRES_ADMIN_URL = os.environ.get(
    "ORBIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
_postgres_problem: list[str] = []


def _postgres_unreachable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can (checked once)."""
    if not _postgres_problem:
        try:
            engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
            _postgres_problem.append("")
        except (OperationalError, ModuleNotFoundError) as error:
            _postgres_problem.append(
                f"PostgreSQL not reachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()} "
                f"({type(error).__name__}); start a server or set ORBIT_TEST_POSTGRES_URL "
                "to an admin URL to run these tests"
            )
    return _postgres_problem[0] or None


SAMPLE_SKEW = dt.timedelta(days=36_525)
"""A century: the conformance sample is a history recorded up to 2032, and tests import
it under fixed clocks from 2024 on."""


@pytest.fixture(autouse=True)
def _the_sample_is_not_in_the_future(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """orbit refuses a recorded_at later than the time of the import (plus a few minutes
    for clock skew). The suite imports the sample as if 2032 had passed, by widening
    that tolerance, except in the tests marked ``real_clock_skew``, which test the rule."""
    if request.node.get_closest_marker("real_clock_skew") is None:
        monkeypatch.setattr(importing, "CLOCK_SKEW", SAMPLE_SKEW)


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'orbit.db'}"


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """Where postgres_url takes its databases from; module-scoped fixtures may take one too."""
    problem = _postgres_unreachable()
    if problem:
        pytest.skip(problem)
    databases = PostgresDatabases(POSTGRES_ADMIN_URL)
    yield databases
    databases.close()


@pytest.fixture
def postgres_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_databases: PostgresDatabases
) -> Iterator[str]:
    """An empty PostgreSQL database for one test, as CREATE DATABASE makes it (one that an
    earlier test used, emptied: tests/postgres_databases.py).

    Its master key file is set through ORBIT_KEY_FILE, which commands run by the test
    inherit too.
    """
    monkeypatch.setenv("ORBIT_KEY_FILE", str(tmp_path / "postgres-master.key"))
    name = postgres_databases.take()
    try:
        yield postgres_databases.url(name)
    finally:
        postgres_databases.give_back(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty store, on each database orbit supports."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def orbit(store_url: str) -> Iterator[Orbit]:
    with Orbit.open(store_url) as opened:
        yield opened
