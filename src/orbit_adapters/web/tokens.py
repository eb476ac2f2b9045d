"""Access tokens of ``orbit serve``: made by ``orbit tokens create``, kept only as hashes.

A token is a random secret (``secrets.token_urlsafe``) shown once when it is made. The
store keeps its SHA-256 beside a public id, the organisation it may see (none: all of
them), its role and its dates; ``authenticate`` finds a token by the hash of what a
request presents, so the secret itself is never stored, logged or compared.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import attrs
from sqlalchemy import insert, select, update

from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.event_store import EventStore, check_organisation_name
from orbit_adapters.store.rows import from_microseconds, to_microseconds
from orbit_adapters.store.schema import tokens_table
from orbit_adapters.web.backend import Principal, Role

SECRET_BYTES = 32  # 256 bits: the token cannot be guessed, so one hash lookup suffices


class UnknownTokenError(StoreError):
    """``orbit tokens revoke`` was given an id the store does not hold."""


@attrs.frozen
class TokenInfo:
    """A token as ``orbit tokens list`` shows it: never its secret."""

    token_id: str
    role: Role
    organisation: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@attrs.frozen
class NewToken:
    info: TokenInfo
    secret: str  # shown once, then only its hash exists


@attrs.frozen
class ValidToken:
    principal: Principal
    expires_at: dt.datetime | None


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Tokens:
    """The store's tokens."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    def ensure_table(self) -> None:
        """Make ``orbit_tokens`` in a store created before it existed (no other change)."""
        with self._store.engine.begin() as connection:
            tokens_table.create(connection, checkfirst=True)

    def create(
        self,
        role: Role,
        organisation: str | None,
        *,
        now: dt.datetime,
        expires_at: dt.datetime | None = None,
    ) -> NewToken:
        """A new token for ``organisation`` (None: all); its secret is in the result only."""
        if organisation is not None:
            check_organisation_name(organisation)
        if expires_at is not None and expires_at <= now:
            raise StoreError(f"the token would expire at {expires_at.isoformat()}, in the past")
        self.ensure_table()
        secret = secrets.token_urlsafe(SECRET_BYTES)
        info = TokenInfo(secrets.token_hex(8), role, organisation, now, expires_at, None)
        with self._store.engine.begin() as connection:
            connection.execute(
                insert(tokens_table).values(
                    token_id=info.token_id,
                    secret_hash=secret_hash(secret),
                    organisation=organisation,
                    role=role.value,
                    created_us=to_microseconds(now),
                    expires_us=None if expires_at is None else to_microseconds(expires_at),
                    revoked_us=None,
                )
            )
        return NewToken(info, secret)

    def list(self) -> list[TokenInfo]:
        """Every token, oldest first."""
        self.ensure_table()
        query = select(tokens_table).order_by(tokens_table.c.created_us, tokens_table.c.token_id)
        with self._store.engine.connect() as connection:
            return [_info(row._mapping) for row in connection.execute(query)]

    def revoke(self, token_id: str, *, now: dt.datetime) -> TokenInfo:
        """Revoke a token for good; revoking it again keeps the first time."""
        self.ensure_table()
        with self._store.engine.begin() as connection:
            connection.execute(
                update(tokens_table)
                .where(tokens_table.c.token_id == token_id, tokens_table.c.revoked_us.is_(None))
                .values(revoked_us=to_microseconds(now))
            )
            row = connection.execute(
                select(tokens_table).where(tokens_table.c.token_id == token_id)
            ).first()
        if row is None:
            raise UnknownTokenError(f"no token {token_id} in this store (orbit tokens list)")
        return _info(row._mapping)

    def authenticate(self, secret: str, *, now: dt.datetime) -> Principal | None:
        """The principal of a valid token; None when unknown, expired or revoked."""
        found = self.find(secret, now=now)
        return None if found is None else found.principal

    def find(self, secret: str, *, now: dt.datetime) -> ValidToken | None:
        """A valid token's principal and the moment it expires (None: never)."""
        query = select(
            tokens_table.c.token_id,
            tokens_table.c.role,
            tokens_table.c.organisation,
            tokens_table.c.expires_us,
            tokens_table.c.revoked_us,
        ).where(tokens_table.c.secret_hash == secret_hash(secret))
        with self._store.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None or row.revoked_us is not None:
            return None
        if row.expires_us is not None and row.expires_us <= to_microseconds(now):
            return None
        principal = Principal(
            token_id=row.token_id, role=Role(row.role), organisation=row.organisation
        )
        return ValidToken(principal, _moment(row.expires_us))


def _info(row: object) -> TokenInfo:
    values = dict(row)  # type: ignore[call-overload]
    return TokenInfo(
        token_id=values["token_id"],
        role=Role(values["role"]),
        organisation=values["organisation"],
        created_at=from_microseconds(values["created_us"]),
        expires_at=_moment(values["expires_us"]),
        revoked_at=_moment(values["revoked_us"]),
    )


def _moment(value: int | None) -> dt.datetime | None:
    return None if value is None else from_microseconds(value)
