"""The web adapter's ``Backend`` over a store: orbit's service, behind the warm read model."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from orbit_adapters.opening import open_store, utc_now
from orbit_adapters.service import Orbit
from orbit_adapters.store.event_store import DEFAULT_ORGANISATION, EventStore
from orbit_adapters.web.backend import Download, Principal, json_bytes
from orbit_adapters.web.read_model import ReadModel
from orbit_adapters.web.settings import WebSettings
from orbit_adapters.web.tokens import Tokens
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting

if TYPE_CHECKING:
    from orbit_adapters.annual_report import AnnualConfig, AnnualReport
    from orbit_adapters.importing import ImportResult

AUTHENTICATION_SECONDS = 1.0
"""How long a token found valid is believed without asking the store again."""
REMEMBERED_TOKENS = 10_000

ORGANISATION_LIST_SECONDS = 1.0
"""How long an admin's list of organisations is reused: counting a large store's
organisations is a scan of its index, and a new organisation may show a second late."""


class OrbitBackend:
    """Everything the HTTP API and the dashboard ask of one store."""

    def __init__(
        self,
        orbit: Orbit,
        store: EventStore,
        settings: WebSettings,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self._orbit = orbit
        self._settings = settings
        self._clock = clock
        self.tokens = Tokens(store)
        self.read_model = ReadModel(
            store,
            capacity=settings.report_cache_size,
            poll_seconds=settings.poll_seconds,
            rewarm_per_change=settings.rewarm_per_change,
        )
        self._known: set[str] = set()  # organisations seen holding events: they always will
        self._listed: tuple[float, list[str]] | None = None
        self._lock = threading.Lock()
        self._annual_config: AnnualConfig | None = None
        self._principals: dict[bytes, tuple[Principal, float, dt.datetime | None]] = {}

    @classmethod
    def open(cls, url: str, settings: WebSettings, *, key_file: str | None = None) -> OrbitBackend:
        """Open an existing store; reports need no key, imports and exports do."""
        opened = open_store(
            url,
            organisation=DEFAULT_ORGANISATION,
            key_file=key_file,
            create=False,
            key_required=False,
        )
        orbit = Orbit(opened.store, opened.master_key, key_problem=opened.key_problem)
        try:
            return cls(orbit, opened.store, settings)
        except BaseException:
            orbit.close()
            raise

    def close(self) -> None:
        self.read_model.close()
        self._orbit.close()

    # ------------------------------------------------------------ who

    def remembered_principal(self, token: str) -> Principal | None:
        """A token found valid less than a second ago, and not expired since."""
        with self._lock:
            remembered = self._principals.get(_digest(token))
        if remembered is None:
            return None
        principal, checked, expires_at = remembered
        if time.monotonic() - checked >= AUTHENTICATION_SECONDS:
            return None
        if expires_at is not None and self._clock() >= expires_at:
            return None
        return principal

    def authenticate(self, token: str) -> Principal | None:
        """The token's principal, looked up in the store at most once a second per token:
        a revoked token is refused within a second, without a query per request."""
        remembered = self.remembered_principal(token)
        if remembered is not None:
            return remembered
        digest = _digest(token)
        found = self.tokens.find(token, now=self._clock())
        with self._lock:
            if found is None:
                self._principals.pop(digest, None)
                return None
            if len(self._principals) >= REMEMBERED_TOKENS:
                self._principals.clear()
            self._principals[digest] = (found.principal, time.monotonic(), found.expires_at)
        return found.principal

    def organisations(self, principal: Principal) -> list[str]:
        if principal.organisation is not None:
            name = principal.organisation
            return [name] if self.holds_events(name) else []
        with self._lock:
            listed = self._listed
        if listed is None or time.monotonic() - listed[0] > ORGANISATION_LIST_SECONDS:
            listed = (time.monotonic(), sorted(self._orbit.organisations()))
            with self._lock:
                self._listed = listed
                self._known.update(listed[1])
        return list(listed[1])

    def holds_events(self, organisation: str) -> bool:
        if organisation in self._known:
            return True
        if self._orbit.for_organisation(organisation).holds_events():
            with self._lock:
                self._known.add(organisation)
            return True
        return False

    # ------------------------------------------------------------ reports

    def report(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> dict[str, Any]:
        period = Period(start, until)
        orbit = self._orbit.for_organisation(organisation)

        def make() -> dict[str, Any]:
            report = orbit.report(period, known_at=known_at, weighting=weighting)
            return report.to_json_dict()

        key = ("report", start, until, known_at, weighting)
        return self.read_model.get(organisation, key, make, rewarm=True)

    def report_json(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> bytes:
        def make() -> bytes:
            figures = self.report(
                organisation, start=start, until=until, known_at=known_at, weighting=weighting
            )
            return json_bytes(figures)

        key = ("report-json", start, until, known_at, weighting)
        return self.read_model.get(organisation, key, make, rewarm=True)

    def warm_report_json(
        self,
        organisation: str,
        *,
        start: dt.date,
        until: dt.date,
        known_at: dt.datetime | None,
        weighting: Weighting,
    ) -> bytes | None:
        key = ("report-json", start, until, known_at, weighting)
        found: bytes | None = self.read_model.peek(organisation, key)
        return found

    def warm_annual_report(
        self, organisation: str, *, year: int, lang: str, fmt: str
    ) -> Download | None:
        found: Download | None = self.read_model.peek(
            organisation, ("annual-report", year, lang, fmt)
        )
        return found

    def annual_report_document(self, organisation: str, *, year: int, lang: str) -> AnnualReport:
        return self._annual_document(organisation, year, lang, "html")

    def annual_report(self, organisation: str, *, year: int, lang: str, fmt: str) -> Download:
        from orbit_adapters.annual_report import (  # noqa: PLC0415 (large: on first use)
            MEDIA_TYPES,
            default_filename,
            render_document,
        )

        def make() -> Download:
            document = self._annual_document(organisation, year, lang, fmt)
            return Download(
                content=render_document(document, fmt),
                media_type=MEDIA_TYPES[fmt],
                filename=default_filename(year, lang, fmt),
            )

        return self.read_model.get(organisation, ("annual-report", year, lang, fmt), make)

    def _annual_document(self, organisation: str, year: int, lang: str, fmt: str) -> AnnualReport:
        from orbit_adapters.annual_report import annual_report_document  # noqa: PLC0415

        def make() -> AnnualReport:
            return annual_report_document(
                self._orbit.for_organisation(organisation),
                year,
                language=lang,
                output_format=fmt,
                config=self._config(),
                organisation=organisation,
            )

        key = ("annual-report-document", year, lang, fmt)
        return self.read_model.get(organisation, key, make)

    def _config(self) -> AnnualConfig:
        from orbit_adapters.annual_report import AnnualConfig, load_config  # noqa: PLC0415

        if self._annual_config is None:
            path = self._settings.annual_config
            self._annual_config = AnnualConfig() if path is None else load_config(path)
        return self._annual_config

    # ------------------------------------------------------------ events

    def import_lines(self, organisation: str, lines: Iterable[bytes]) -> ImportResult:
        result = self._orbit.for_organisation(organisation).import_lines(lines)
        if result.stored:
            with self._lock:
                self._known.add(organisation)
                self._listed = None
            # At once, not when the follower next looks: the importer's next request
            # must see its events.
            self.read_model.changed(organisation, rewarm=False)
        return result

    def export_lines(self, organisation: str) -> Iterator[str]:
        return self._orbit.for_organisation(organisation).export_lines()


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
