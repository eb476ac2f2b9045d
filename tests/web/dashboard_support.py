"""A store with known data, tokens for it, and a small Backend over it for the dashboard's tests.

``StoreBackend`` answers as the Backend protocol asks, straight from ``Orbit`` (no warm
read model, no token table): the dashboard's tests are about the pages, and the real
backend is tested with the API.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from orbit_adapters import Orbit
from orbit_adapters.annual_report import AnnualReport
from orbit_adapters.web.backend import Download, Principal, Role
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting

SAMPLE = Path(__file__).parent.parent / "conformance" / "data" / "sample-events.jsonl"

READER_A = "reader-token-of-north"
READER_ADMIN = "reader-token-of-everyone"
IMPORTER_A = "importer-token-of-north"

PRINCIPALS = {
    READER_A: Principal("tok-reader-north", Role.READER, "north"),
    READER_ADMIN: Principal("tok-admin", Role.READER, None),
    IMPORTER_A: Principal("tok-importer-north", Role.IMPORTER, "north"),
}


def fill_store(url: str) -> None:
    """Two organisations, ``north`` and ``south``, each holding the conformance sample."""
    for organisation in ("north", "south"):
        with Orbit.open(url, organisation=organisation) as orbit:
            orbit.import_file(SAMPLE)


class StoreBackend:
    def __init__(self, url: str) -> None:
        self.url = url
        self.revoked: set[str] = set()
        self.annual_calls: list[tuple[str, int, str, str]] = []

    def _orbit(self, organisation: str) -> Orbit:
        return Orbit.open(self.url, organisation=organisation, create=False, key_required=False)

    def authenticate(self, token: str) -> Principal | None:
        return None if token in self.revoked else PRINCIPALS.get(token)

    def organisations(self, principal: Principal) -> list[str]:
        with self._orbit("north") as orbit:
            names = sorted(orbit.organisations())
        return [name for name in names if principal.may_see(name)]

    def report(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> dict[str, Any]:
        with self._orbit(organisation) as orbit:
            report = orbit.report(Period(start, until), known_at=known_at, weighting=weighting)
            return report.to_json_dict()

    def annual_report(self, organisation: str, *, year: int, lang: str, fmt: str) -> Download:
        """A stand-in file naming what was asked: the route's job is to pass it on."""
        self.annual_calls.append((organisation, year, lang, fmt))
        content = json.dumps({"organisation": organisation, "year": year, "lang": lang})
        return Download(content.encode(), f"application/x-test-{fmt}", f"report-{year}.{fmt}")

    def annual_report_document(self, organisation: str, *, year: int, lang: str) -> AnnualReport:
        raise NotImplementedError("the dashboard does not render the document itself")
