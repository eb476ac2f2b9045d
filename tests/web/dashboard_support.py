"""A store with known data and tokens for it, served by ``orbit serve``'s own application.

Two organisations, ``north`` and ``south``, each hold the conformance sample. The
dashboard's tests sign in with these tokens through the real backend (``OrbitBackend``)
and the real application (``create_app``), which mounts the dashboard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from orbit_adapters import Orbit
from orbit_adapters.web.backend import Role

SAMPLE = Path(__file__).parent.parent / "conformance" / "data" / "sample-events.jsonl"
MADE = dt.datetime(2033, 1, 1, tzinfo=dt.UTC)  # after the sample's last recorded_at (2032)


@attrs.frozen
class Token:
    token_id: str
    secret: str


@attrs.frozen
class KnownStore:
    url: str
    reader: Token  # a reader of north
    admin: Token  # a reader of every organisation
    importer: Token  # an importer of north


def fill_store(url: str) -> KnownStore:
    """The sample as north and as south, and a token of each kind."""
    for organisation in ("north", "south"):
        with Orbit.open(url, organisation=organisation) as orbit:
            orbit.import_file(SAMPLE)
    return KnownStore(
        url=url,
        reader=new_token(url, Role.READER, "north"),
        admin=new_token(url, Role.READER, None),
        importer=new_token(url, Role.IMPORTER, "north"),
    )


def new_token(url: str, role: Role, organisation: str | None) -> Token:
    with Orbit.open(url, create=False, key_required=False) as orbit:
        tokens = orbit.tokens()
        new = tokens.create(role, organisation, now=MADE)
        return Token(new.info.token_id, new.secret)


def revoke(url: str, token: Token) -> None:
    with Orbit.open(url, create=False, key_required=False) as orbit:
        orbit.tokens().revoke(token.token_id, now=MADE)
