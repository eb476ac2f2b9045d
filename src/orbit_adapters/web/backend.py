"""What the HTTP layer asks of orbit: who a token is, and the figures it may see.

The routes (``api.py``, the dashboard) depend on this Protocol only; ``OrbitBackend``
(``orbit_backend.py``) implements it over a store.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

if TYPE_CHECKING:
    from orbit_adapters.annual_report import AnnualReport
    from orbit_adapters.importing import ImportResult
    from orbit_domain.weighting import Weighting


class Role(enum.Enum):
    """What a token may do within the organisations it may see."""

    READER = "reader"  # reports and annual reports
    IMPORTER = "importer"  # POST/GET events


@attrs.frozen
class Principal:
    """The holder of a valid token, as the routes see it."""

    token_id: str  # the public id of the token, never the secret
    role: Role
    organisation: str | None  # None: every organisation (--all-organisations)

    def may_see(self, organisation: str) -> bool:
        return self.organisation is None or self.organisation == organisation


@attrs.frozen
class Download:
    """A file to send: the annual report in one of its formats."""

    content: bytes
    media_type: str
    filename: str


class Backend(Protocol):
    """orbit as the web adapter uses it."""

    def authenticate(self, token: str) -> Principal | None:
        """The token's principal; None when unknown, expired or revoked."""
        ...

    def organisations(self, principal: Principal) -> list[str]:
        """The organisations the principal may see, sorted."""
        ...

    def report(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> dict[str, Any]:
        """The report-v1 (revision 2) JSON object exactly as ``orbit replay --json`` prints it."""
        ...

    def annual_report(self, organisation: str, *, year: int, lang: str, fmt: str) -> Download:
        """The annual report in ``fmt`` (html, pdf, xlsx, json), as ``orbit annual-report``."""
        ...

    def annual_report_document(self, organisation: str, *, year: int, lang: str) -> AnnualReport:
        """The annual report's typed document model, for the dashboard's pages."""
        ...


@runtime_checkable
class ApiBackend(Backend, Protocol):
    """What the HTTP API asks beyond the dashboard's ``Backend``: events in and out, and
    reports as the bytes to send.

    ``create_app`` mounts the events endpoints only for a backend that has these methods.
    """

    def report_json(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> bytes:
        """``report`` as the bytes ``orbit replay --format json`` prints (kept warm too)."""
        ...

    def remembered_principal(self, token: str) -> Principal | None:
        """``authenticate`` from memory only (None: not remembered; ask ``authenticate``).
        It never waits for the store, so the API calls it on its event loop."""
        ...

    def warm_report_json(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> bytes | None:
        """``report_json`` if it is kept in memory and current, else None; never waits."""
        ...

    def warm_annual_report(
        self, organisation: str, *, year: int, lang: str, fmt: str
    ) -> Download | None:
        """``annual_report`` if it is kept in memory and current, else None; never waits."""
        ...

    def holds_events(self, organisation: str) -> bool:
        """Whether the organisation has any event (reports of one without are 404)."""
        ...

    def import_lines(self, organisation: str, lines: Iterable[bytes]) -> ImportResult:
        """Import events-v1 lines, all or nothing, as ``orbit import`` does; raises
        ``ImportRejectedError`` (with each bad line's number) and stores nothing then."""
        ...

    def export_lines(self, organisation: str) -> Iterator[str]:
        """The organisation's events as events-v1 lines (without newline), as ``orbit export``."""
        ...


def json_bytes(value: Any) -> bytes:
    """JSON exactly as ``orbit replay --format json`` prints it."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()
