"""A served store for the API's tests: two organisations of the conformance sample, and tokens."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
from fastapi.testclient import TestClient

from orbit_adapters.service import Orbit
from orbit_adapters.web.app import create_app
from orbit_adapters.web.backend import Role
from orbit_adapters.web.orbit_backend import OrbitBackend
from orbit_adapters.web.settings import WebSettings

ALPHA = "alpha"
BETA = "beta"
NOW = dt.datetime(2033, 1, 1, tzinfo=dt.UTC)  # after the sample's last recorded_at (2032)


@attrs.frozen
class Served:
    client: TestClient
    backend: OrbitBackend
    url: str
    tokens: dict[str, str]  # name -> secret

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def fill_store(url: str, sample: Path) -> None:
    """The sample as organisation alpha, and again as beta."""
    for organisation in (ALPHA, BETA):
        with Orbit.open(url, organisation=organisation) as orbit:
            orbit.import_file(sample)


def make_tokens(url: str) -> dict[str, str]:
    with Orbit.open(url, create=False, key_required=False) as orbit:
        tokens = orbit.tokens()
        past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

        def made(role: Role, organisation: str | None, **options: dt.datetime) -> str:
            return tokens.create(
                role,
                organisation,
                now=options.get("now", NOW),
                **{name: value for name, value in options.items() if name != "now"},
            ).secret

        revoked = tokens.create(Role.READER, ALPHA, now=NOW)
        tokens.revoke(revoked.info.token_id, now=NOW)
        return {
            "reader": made(Role.READER, ALPHA),
            "importer": made(Role.IMPORTER, ALPHA),
            "other_reader": made(Role.READER, BETA),
            "other_importer": made(Role.IMPORTER, BETA),
            "admin_reader": made(Role.READER, None),
            "admin_importer": made(Role.IMPORTER, None),
            "expired": made(Role.READER, ALPHA, now=past, expires_at=past + dt.timedelta(days=1)),
            "revoked": revoked.secret,
        }


@contextmanager
def served(url: str, sample: Path, settings: WebSettings | None = None) -> Iterator[Served]:
    """The sample filled into the empty store at ``url``, with tokens, and served."""
    fill_store(url, sample)
    with serving(url, make_tokens(url), settings) as api:
        yield api


@contextmanager
def serving(
    url: str, tokens: dict[str, str], settings: WebSettings | None = None
) -> Iterator[Served]:
    """A server over a store that ``served`` filled before: another server, or other settings."""
    settings = settings or WebSettings(failed_sign_ins_burst=10_000, poll_seconds=0.05)
    backend = OrbitBackend.open(url, settings)
    try:
        with TestClient(create_app(backend, settings)) as client:
            yield Served(client, backend, url, tokens)
    finally:
        backend.close()


def new_referral(participant: str, date: str = "2024-03-01") -> str:
    """One valid events-v1 line: a new participant referred to AFT."""
    event = {
        "type": "ParticipantReferred",
        "participant": participant,
        "date": date,
        "data": {"programme": "AFT", "gender": "female", "birth_year": 1990},
        "recorded_at": f"{date}T10:00:00Z",
        "id": str(uuid.uuid4()),
    }
    return json.dumps(event)
