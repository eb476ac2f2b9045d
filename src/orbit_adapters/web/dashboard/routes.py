"""The dashboard's routes: sign-in, organisations, the overview, and annual report downloads."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shlex
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Annotated, Any, Protocol
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from orbit_adapters.annual_report.charts import chart_svg
from orbit_adapters.annual_report.model import Chart
from orbit_adapters.annual_report.numbers import NumberFormat
from orbit_adapters.annual_report.produce import FORMATS
from orbit_adapters.web.backend import Backend, Principal, Role
from orbit_adapters.web.dashboard.overview import (
    build_overview,
    period_text,
    same_period_a_year_earlier,
)
from orbit_adapters.web.dashboard.params import (
    ParameterError,
    PeriodChoice,
    moment_field,
    moment_option,
    read_format,
    read_language,
    read_period,
    read_year,
)
from orbit_adapters.web.dashboard.sessions import (
    SESSION_SECONDS,
    Session,
    SessionStore,
    same_secret,
)
from orbit_adapters.web.dashboard.texts import DEFAULT_LANGUAGE, LANGUAGES, TEXTS
from orbit_adapters.web.rate_limit import FailureLimiter

SESSION_COOKIE = "orbit_session"
SIGN_IN_COOKIE = "orbit_sign_in"  # the sign-in form's CSRF value, before there is a session
LANGUAGE_COOKIE = "orbit_lang"

SECURITY_HEADERS = {
    # Inline styles only: the page's own <style> and the charts' SVG attributes; no script.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class DashboardSettings(Protocol):
    """What the dashboard reads of ``WebSettings``."""

    @property
    def secure_cookies(self) -> bool: ...
    @property
    def failed_sign_ins_burst(self) -> int: ...
    @property
    def failed_sign_ins_per_minute(self) -> float: ...


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def mount(
    app: FastAPI,
    backend: Backend,
    settings: DashboardSettings,
    *,
    today: Callable[[], dt.date] = _today,
) -> None:
    """Add the dashboard's pages to ``app`` (they stay out of the API's OpenAPI schema).

    Failed sign-ins count in the API's limiter when the app has one, so that an address
    cannot try twice as many tokens by alternating between the API and the sign-in form.
    """
    limiter = getattr(app.state, "failure_limiter", None) or FailureLimiter(
        settings.failed_sign_ins_burst, settings.failed_sign_ins_per_minute
    )
    app.include_router(_Dashboard(backend, settings, limiter, today).router)


_CHART_LOCK = threading.Lock()  # matplotlib's rc_context changes global settings


@lru_cache(maxsize=256)
def _chart(chart: Chart, decimal_comma: bool) -> Markup:
    with _CHART_LOCK:
        return Markup(chart_svg(chart, decimal_comma=decimal_comma))


def organisation_path(organisation: str) -> str:
    """The overview's path: the name as one path segment, whatever it holds."""
    return f"/organisations/{quote(organisation, safe='')}"


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("orbit_adapters.web.dashboard", "templates"),
                # the annual report's stylesheet, which the dashboard builds on
                jinja2.PackageLoader("orbit_adapters.annual_report", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["path"] = organisation_path
    return environment


class _Dashboard:
    def __init__(
        self,
        backend: Backend,
        settings: DashboardSettings,
        limiter: FailureLimiter,
        today: Callable[[], dt.date],
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.today = today
        self.sessions = SessionStore()
        self.limiter = limiter
        self.templates = _environment()
        router = APIRouter(include_in_schema=False)
        router.add_api_route("/", self.home, methods=["GET"])
        router.add_api_route("/sign-in", self.sign_in_form, methods=["GET"])
        router.add_api_route("/sign-in", self.sign_in, methods=["POST"])
        router.add_api_route("/sign-out", self.sign_out, methods=["POST"])
        router.add_api_route("/organisations", self.organisations, methods=["GET"])
        router.add_api_route("/organisations/{organisation}", self.overview, methods=["GET"])
        router.add_api_route(
            "/organisations/{organisation}/annual-report", self.annual_report, methods=["GET"]
        )
        self.router = router

    # --- plumbing --------------------------------------------------------------------

    def _secure(self, request: Request) -> bool:
        return self.settings.secure_cookies or request.url.scheme == "https"

    def _set_cookie(
        self, request: Request, response: Response, name: str, value: str, max_age: int
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self._secure(request),
        )

    def _language(self, request: Request) -> str:
        asked = request.query_params.get("lang")
        if asked in LANGUAGES:
            return asked
        remembered = request.cookies.get(LANGUAGE_COOKIE)
        return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE

    def _session(self, request: Request) -> tuple[Session, Principal] | None:
        """The signed-in session and its principal; the token is authenticated again."""
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return None
        principal = self.backend.authenticate(session.token)
        if principal is None:  # revoked or expired since sign-in
            self.sessions.end(session.session_id)
            return None
        request.state.principal = principal  # for the request log: the token's id
        return session, principal

    def _page(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        session: Session | None = None,
        principal: Principal | None = None,
        title: str,
        switch_path: str | None = None,
        **values: Any,
    ) -> HTMLResponse:
        """``switch_path``: where the language switch leads (by default, this page)."""
        language = self._language(request)
        other = TEXTS[language]["other_language_code"]
        switch = request.url.include_query_params(lang=other)
        if switch_path is not None:
            switch = switch.replace(path=switch_path, query=f"lang={other}")
        html = self.templates.get_template(template).render(
            lang=language,
            t=TEXTS[language],
            title=title,
            csrf=session.csrf if session else "",
            principal=principal,
            role_name=_role_name(principal, language),
            language_switch=f"{switch.path}?{switch.query}",
            **values,
        )
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        self._remember_language(request, response)
        return response

    def _remember_language(self, request: Request, response: Response) -> None:
        """A language chosen by ``?lang=`` is kept in a cookie for the next pages."""
        asked = request.query_params.get("lang")
        if asked in LANGUAGES:
            self._set_cookie(request, response, LANGUAGE_COOKIE, asked, 365 * 24 * 3600)

    def _redirect(self, location: str) -> RedirectResponse:
        return RedirectResponse(location, status_code=303, headers=SECURITY_HEADERS)

    def _to_sign_in(self, request: Request) -> RedirectResponse:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return self._redirect(f"/sign-in?{urlencode({'next': here})}")

    def _not_found(self, request: Request, signed: tuple[Session, Principal]) -> HTMLResponse:
        """The same page, byte for byte, for an organisation that does not exist and for
        one the token may not see, so that names do not leak."""
        t = TEXTS[self._language(request)]
        return self._page(
            request,
            "message.html.j2",
            status=404,
            session=signed[0],
            principal=signed[1],
            title=t["not_found"],
            message=t["not_found_text"],
            switch_path="/organisations",  # not the path asked for: the page is the same for all
        )

    def _visible(self, principal: Principal, organisation: str) -> bool:
        return principal.may_see(organisation) and organisation in self.backend.organisations(
            principal
        )

    # --- pages -----------------------------------------------------------------------

    def home(self, request: Request) -> Response:
        return self._redirect("/organisations" if self._session(request) else "/sign-in")

    def sign_in_form(
        self, request: Request, next_path: Annotated[str, Query(alias="next")] = ""
    ) -> Response:
        if self._session(request):
            response = self._redirect(_local(next_path) or "/organisations")
            self._remember_language(request, response)
            return response
        return self._sign_in_page(request, next_path)

    def _sign_in_page(
        self, request: Request, next_path: str, *, status: int = 200, problem: str = ""
    ) -> Response:
        t = TEXTS[self._language(request)]
        form_secret = secrets.token_urlsafe(32)
        response = self._page(
            request,
            "sign_in.html.j2",
            status=status,
            title=t["sign_in"],
            form_secret=form_secret,
            next_path=_local(next_path),
            problem=problem,
        )
        self._set_cookie(request, response, SIGN_IN_COOKIE, form_secret, 3600)
        return response

    def sign_in(
        self,
        request: Request,
        token: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
        next_path: Annotated[str, Form(alias="next")] = "",
    ) -> Response:
        t = TEXTS[self._language(request)]
        expected = request.cookies.get(SIGN_IN_COOKIE)
        if expected is None or not same_secret(csrf, expected):
            return self._sign_in_page(
                request, next_path, status=403, problem=t["sign_in_expired_form"]
            )
        address = request.client.host if request.client else "unknown"
        if not self.limiter.allowed(address):
            return self._sign_in_page(
                request, next_path, status=429, problem=t["sign_in_throttled"]
            )
        principal = self.backend.authenticate(token.strip()) if token.strip() else None
        if principal is None:
            self.limiter.failed(address)
            return self._sign_in_page(request, next_path, status=401, problem=t["sign_in_failed"])
        session = self.sessions.create(token.strip())
        response = self._redirect(_local(next_path) or "/organisations")
        self._set_cookie(request, response, SESSION_COOKIE, session.session_id, SESSION_SECONDS)
        response.delete_cookie(SIGN_IN_COOKIE, path="/")
        return response

    def sign_out(self, request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return self._redirect("/sign-in")
        if not same_secret(csrf, session.csrf):
            return self._csrf_refused(request)
        self.sessions.end(session.session_id)
        response = self._redirect("/sign-in")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def _csrf_refused(self, request: Request) -> HTMLResponse:
        t = TEXTS[self._language(request)]
        signed = self._session(request)
        return self._page(
            request,
            "message.html.j2",
            status=403,
            session=signed[0] if signed else None,
            principal=signed[1] if signed else None,
            title=t["forbidden"],
            message=t["csrf_failed"],
        )

    def organisations(self, request: Request) -> Response:
        signed = self._session(request)
        if signed is None:
            return self._to_sign_in(request)
        session, principal = signed
        t = TEXTS[self._language(request)]
        return self._page(
            request,
            "organisations.html.j2",
            session=session,
            principal=principal,
            title=t["organisations"],
            organisations=self.backend.organisations(principal),
            readable=principal.role is Role.READER,
        )

    def _reader_of(
        self, request: Request, organisation: str
    ) -> tuple[Session, Principal] | Response:
        """The signed-in reader of ``organisation``, or the page to answer instead."""
        signed = self._session(request)
        if signed is None:
            return self._to_sign_in(request)
        session, principal = signed
        request.state.organisation = organisation
        if not self._visible(principal, organisation):
            return self._not_found(request, signed)
        if principal.role is not Role.READER:
            t = TEXTS[self._language(request)]
            return self._page(
                request,
                "message.html.j2",
                status=403,
                session=session,
                principal=principal,
                title=t["forbidden"],
                message=t["importer_only"],
            )
        return signed

    def overview(self, request: Request, organisation: str) -> Response:
        signed = self._reader_of(request, organisation)
        if isinstance(signed, Response):
            return signed
        session, principal = signed
        language = self._language(request)
        t = TEXTS[language]
        query = dict(request.query_params)
        try:
            choice = read_period(query, self.today(), t)
        except ParameterError as problem:
            return self._page(
                request,
                "overview.html.j2",
                status=400,
                session=session,
                principal=principal,
                title=organisation,
                organisation=organisation,
                problem=str(problem),
                form=_form_values(query),
                overview=None,
                audit=None,
                downloads=None,
                charts={},
            )
        current = self._report(organisation, choice, choice.start, choice.until)
        previous = self._report(
            organisation, choice, *same_period_a_year_earlier(choice.start, choice.until)
        )
        view = build_overview(current, previous, language)
        charts = {
            programme.seat_chart.key: _chart(programme.seat_chart, language == "nb")
            for programme in view.programmes
            if programme.seat_chart is not None
        }
        return self._page(
            request,
            "overview.html.j2",
            session=session,
            principal=principal,
            title=organisation,
            organisation=organisation,
            problem="",
            form=_form_values(query, choice),
            overview=view,
            audit=_audit(organisation, choice, current, previous, language),
            downloads=_downloads(organisation, choice.year),
            charts=charts,
        )

    def _report(
        self, organisation: str, choice: PeriodChoice, start: dt.date, until: dt.date
    ) -> dict[str, Any]:
        return self.backend.report(
            organisation,
            start=start,
            until=until,
            known_at=choice.known_at,
            weighting=choice.weighting,
        )

    def annual_report(self, request: Request, organisation: str) -> Response:
        signed = self._reader_of(request, organisation)
        if isinstance(signed, Response):
            return signed
        session, principal = signed
        t = TEXTS[self._language(request)]
        query = request.query_params
        try:
            year = read_year(query.get("year"), t)
            if year is None:
                raise ParameterError(t["error_year"].format(value=""))
            lang = read_language(query.get("lang"), t)
            fmt = read_format(query.get("format"), t)
            download = self.backend.annual_report(organisation, year=year, lang=lang, fmt=fmt)
        except ValueError as problem:  # ours, and the annual report's ConfigError
            message = str(problem)
            if not isinstance(problem, ParameterError):
                message = t["error_annual_report"].format(reason=message)
            return self._page(
                request,
                "message.html.j2",
                status=400,
                session=session,
                principal=principal,
                title=t["bad_request"],
                message=message,
                back=organisation_path(organisation),
            )
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{download.filename}"',
        }
        return Response(download.content, media_type=download.media_type, headers=headers)


_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~%=&?+:;,@!$'()*-]*")


def _local(path: str) -> str:
    """A path on this site to go back to after sign-in; anything else is dropped.

    Printable URL characters only: a browser drops tabs and newlines from a URL, so
    ``/\t/evil.example`` would become ``//evil.example``, another site."""
    return path if _LOCAL_PATH.fullmatch(path) else ""


def _role_name(principal: Principal | None, language: str) -> str:
    if principal is None:
        return ""
    return TEXTS[language][f"role_{principal.role.value}"]


def _form_values(query: Mapping[str, str], choice: PeriodChoice | None = None) -> dict[str, str]:
    """What the picker's fields show: the choice made, else what was typed."""
    if choice is None:
        return {
            "from": query.get("from", ""),
            "until": query.get("until", ""),
            "known_at": query.get("known_at", ""),
            "weighting": query.get("weighting", "proportional"),
            "year": query.get("year", ""),
        }
    return {
        "from": choice.start.isoformat(),
        "until": choice.until.isoformat(),
        "known_at": moment_field(choice.known_at),
        "weighting": choice.weighting.value,
        "year": str(choice.year),
    }


def _audit(
    organisation: str,
    choice: PeriodChoice,
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    language: str,
) -> dict[str, Any]:
    """The reports' provenance, and the command that prints the same report."""
    command = [
        "orbit",
        "--organisation",
        organisation,
        "replay",
        "--from",
        choice.start.isoformat(),
        "--until",
        choice.until.isoformat(),
    ]
    if choice.known_at is not None:
        command += ["--known-at", moment_option(choice.known_at)]
    if choice.weighting.value != "proportional":
        command += ["--weighting", choice.weighting.value]
    command += ["--format", "json"]
    t = TEXTS[language]
    reports = []
    for report in (current, previous):
        start = dt.date.fromisoformat(report["period"]["from"])
        until = dt.date.fromisoformat(report["period"]["until"])
        reports.append(
            {
                "period": period_text(start, until, language),
                "events_replayed": NumberFormat(language).decimal(report["events_replayed"]),
                "fingerprint": report.get("fingerprint", ""),
            }
        )
    known_at = current.get("known_at")
    return {
        "known_at": known_at or t["known_at_none"],
        "reports": reports,
        "command": shlex.join(command),
    }


def _downloads(organisation: str, year: int) -> list[dict[str, Any]]:
    """Every format of the year's annual report, in each language."""
    return [
        {
            "lang": lang,
            "links": [
                {
                    "format": fmt,
                    "href": f"{organisation_path(organisation)}/annual-report?"
                    + urlencode({"year": year, "lang": lang, "format": fmt}),
                }
                for fmt in FORMATS
            ],
        }
        for lang in LANGUAGES
    ]
