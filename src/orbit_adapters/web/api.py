"""HTTP API version 1: JSON over the ``Backend``, each request with a bearer token.

Every route but ``/healthz`` needs ``Authorization: Bearer TOKEN``. An organisation the
token may not see is answered exactly as one that does not exist (404), so names do
not leak; a token of the wrong role gets 403. docs/http-api.md describes each route.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations at run
# time, and those naming the local ``principal`` dependency cannot be resolved from text.
import datetime as dt
import itertools
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from orbit_adapters.annual_report.produce import FORMATS as ANNUAL_FORMATS
from orbit_adapters.annual_report.produce import LANGUAGES as ANNUAL_LANGUAGES
from orbit_adapters.annual_report.render_pdf import PdfUnavailableError
from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.privacy.master_key import KeyFileError
from orbit_adapters.web.backend import (
    ApiBackend,
    Backend,
    Download,
    Principal,
    Role,
    json_bytes,
)
from orbit_adapters.web.params import (
    BadParameterError,
    choice_parameter,
    moment_parameter,
    period_parameters,
    weighting_parameter,
    year_parameter,
)
from orbit_adapters.web.rate_limit import FailureLimiter
from orbit_adapters.web.settings import WebSettings
from orbit_domain.weighting import Weighting

SPOOL_IN_MEMORY = 1024 * 1024
"""An import's body is kept in memory up to this size, then in a temporary file."""

SHOWN_PROBLEMS = 100
"""Bad lines listed in a 422 (the importer keeps at most this many anyway)."""


class ApiError(Exception):
    """Answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


NOT_FOUND = "no such organisation"


class Authenticator:
    """The routes' dependency: the request's ``Principal``, or 401 / 429.

    It runs on the event loop: a token remembered in memory costs no thread and no query;
    only one that is not asks the store, in a worker thread.
    """

    def __init__(self, backend: Backend, limiter: FailureLimiter) -> None:
        self._backend = backend
        self._limiter = limiter

    async def __call__(self, request: Request) -> Principal:
        address = client_address(request)
        if not self._limiter.allowed(address):
            raise ApiError(
                429,
                "too many failed authentications from this address; try again later",
                {"Retry-After": str(self._limiter.retry_after(address))},
            )
        scheme, _, written = request.headers.get("authorization", "").partition(" ")
        token = written.strip()
        found = None
        if scheme.lower() == "bearer" and token:
            if isinstance(self._backend, ApiBackend):
                found = self._backend.remembered_principal(token)
            if found is None:
                found = await run_in_threadpool(self._backend.authenticate, token)
        if found is None:
            self._limiter.failed(address)
            raise ApiError(
                401,
                "a valid token is needed: Authorization: Bearer TOKEN",
                {"WWW-Authenticate": "Bearer"},
            )
        request.state.principal = found
        return found


def visible(request: Request, who: Principal, organisation: str, role: Role) -> None:
    """404 for an organisation the token may not see; 403 for the wrong role."""
    request.state.organisation = organisation
    if not who.may_see(organisation):
        raise ApiError(404, NOT_FOUND)
    if who.role is not role:
        raise ApiError(403, f"this needs a token with the role {role.value}")


def install_api(app: FastAPI, backend: Backend, settings: WebSettings) -> None:
    """Add the API's routes and error handling to ``app``."""
    limiter = FailureLimiter(settings.failed_sign_ins_burst, settings.failed_sign_ins_per_minute)
    app.state.failure_limiter = limiter  # the dashboard's sign-in counts failures here too
    _install_error_answers(app)
    principal = Authenticator(backend, limiter)
    router = APIRouter(prefix="/api/v1")

    @router.get("/organisations", summary="The organisations the token may see")
    def organisations(who: Annotated[Principal, Depends(principal)]) -> dict[str, list[str]]:
        return {"organisations": backend.organisations(who)}

    @router.get(
        "/organisations/{organisation}/report",
        summary="report-v1 (revision 2) of a period, as orbit replay --format json",
        response_class=Response,
        responses={200: {"content": {"application/json": {}}}},
    )
    async def report(
        request: Request,
        who: Annotated[Principal, Depends(principal)],
        organisation: str,
        start: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD, required")] = None,
        known_at: Annotated[str | None, Query(description="timestamp with offset")] = None,
        weighting: Annotated[str | None, Query(description="proportional or nav")] = None,
    ) -> Response:
        visible(request, who, organisation, Role.READER)
        first, last = period_parameters(start, until)
        asked = ReportAsked(
            first, last, moment_parameter("known_at", known_at), weighting_parameter(weighting)
        )
        # A warm report is answered on the event loop; anything else in a worker thread.
        body = asked.warm(backend, organisation)
        if body is None:
            body = await run_in_threadpool(asked.made, backend, organisation)
        return Response(body, media_type="application/json")

    @router.get(
        "/organisations/{organisation}/annual-report",
        summary="The annual report in html, pdf, xlsx or json",
        response_class=Response,
    )
    async def annual_report(
        request: Request,
        who: Annotated[Principal, Depends(principal)],
        organisation: str,
        year: Annotated[str | None, Query(description="the calendar year, required")] = None,
        lang: Annotated[str | None, Query(description="nb (default) or en")] = None,
        output_format: Annotated[
            str | None,
            Query(alias="format", description="html (default), pdf, xlsx or json"),
        ] = None,
    ) -> Response:
        visible(request, who, organisation, Role.READER)
        asked = AnnualAsked(
            year_parameter(year),
            choice_parameter("lang", lang, ANNUAL_LANGUAGES),
            choice_parameter("format", output_format, ANNUAL_FORMATS),
        )
        download = asked.warm(backend, organisation)
        if download is None:
            download = await run_in_threadpool(asked.made, backend, organisation)
        disposition = "inline" if asked.fmt in {"html", "json"} else "attachment"
        return Response(
            download.content,
            media_type=download.media_type,
            headers={"Content-Disposition": f'{disposition}; filename="{download.filename}"'},
        )

    if isinstance(backend, ApiBackend):
        _install_events(router, backend, settings, principal)

    app.include_router(router)

    @app.get("/healthz", summary="Liveness: answers without touching the store")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}


@attrs.frozen
class ReportAsked:
    start: dt.date
    until: dt.date
    known_at: dt.datetime | None
    weighting: Weighting

    def warm(self, backend: Backend, organisation: str) -> bytes | None:
        if not isinstance(backend, ApiBackend):
            return None
        return backend.warm_report_json(
            organisation,
            start=self.start,
            until=self.until,
            known_at=self.known_at,
            weighting=self.weighting,
        )

    def made(self, backend: Backend, organisation: str) -> bytes:
        _require_events(backend, organisation)
        if isinstance(backend, ApiBackend):
            return backend.report_json(
                organisation,
                start=self.start,
                until=self.until,
                known_at=self.known_at,
                weighting=self.weighting,
            )
        figures = backend.report(
            organisation,
            start=self.start,
            until=self.until,
            known_at=self.known_at,
            weighting=self.weighting,
        )
        return json_bytes(figures)


@attrs.frozen
class AnnualAsked:
    year: int
    lang: str
    fmt: str

    def warm(self, backend: Backend, organisation: str) -> Download | None:
        if not isinstance(backend, ApiBackend):
            return None
        return backend.warm_annual_report(
            organisation, year=self.year, lang=self.lang, fmt=self.fmt
        )

    def made(self, backend: Backend, organisation: str) -> Download:
        _require_events(backend, organisation)
        try:
            return backend.annual_report(organisation, year=self.year, lang=self.lang, fmt=self.fmt)
        except PdfUnavailableError as error:  # WeasyPrint's system libraries are missing
            raise ApiError(503, str(error)) from None


def _require_events(backend: Backend, organisation: str) -> None:
    """404 for an organisation without events: a report of it would be empty."""
    if isinstance(backend, ApiBackend):
        if not backend.holds_events(organisation):
            raise ApiError(404, NOT_FOUND)
    elif organisation not in backend.organisations(Principal("", Role.READER, organisation)):
        raise ApiError(404, NOT_FOUND)


def _install_error_answers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> Response:
        return JSONResponse({"error": error.message}, error.status, headers=error.headers)

    @app.exception_handler(BadParameterError)
    async def bad_parameter(_request: Request, error: BadParameterError) -> Response:
        return JSONResponse({"error": str(error)}, 400)


def _install_events(
    router: APIRouter,
    backend: ApiBackend,
    settings: WebSettings,
    principal: Authenticator,
) -> None:
    @router.post(
        "/organisations/{organisation}/events",
        summary="Import events-v1 (JSON Lines): all or nothing, idempotent by id",
        openapi_extra={"requestBody": {"content": {"application/x-ndjson": {}}, "required": True}},
    )
    async def import_events(
        request: Request, who: Annotated[Principal, Depends(principal)], organisation: str
    ) -> dict[str, int]:
        visible(request, who, organisation, Role.IMPORTER)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as body:
            await _read_body(request, body, settings.max_body_bytes)
            body.seek(0)
            try:
                result = await run_in_threadpool(backend.import_lines, organisation, body)
            except ImportRejectedError as rejected:
                return _rejected(rejected)  # type: ignore[return-value]
            except KeyFileError as problem:
                raise ApiError(503, f"the server cannot import: {problem}") from None
        return {"stored": result.stored, "already_stored": result.already_stored}

    @router.get(
        "/organisations/{organisation}/events",
        summary="Every event of the organisation as events-v1, streamed, in store order",
        response_class=StreamingResponse,
        responses={200: {"content": {"application/x-ndjson": {}}}},
    )
    def export_events(
        request: Request, who: Annotated[Principal, Depends(principal)], organisation: str
    ) -> Response:
        visible(request, who, organisation, Role.IMPORTER)
        if not backend.holds_events(organisation):
            raise ApiError(404, NOT_FOUND)
        lines = backend.export_lines(organisation)
        try:
            first = next(lines, None)  # a missing key is an error before the 200 is sent
        except KeyFileError as problem:
            raise ApiError(503, f"the server cannot export: {problem}") from None
        return StreamingResponse(
            _with_newlines(first, lines),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="{organisation}.jsonl"'},
        )


async def _read_body(request: Request, into: Any, limit: int) -> None:
    """Copy the body into ``into`` as it arrives; 413 as soon as it passes ``limit``."""
    declared = request.headers.get("content-length")
    too_large = ApiError(413, f"the body is larger than the limit of {limit} bytes")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        into.write(chunk)


def _rejected(rejected: ImportRejectedError) -> Response:
    """The importer's refusal as the CLI words it, with each bad line's number."""
    noun = "bad line" if rejected.total == 1 else "bad lines"
    return JSONResponse(
        {
            "error": f"{rejected.total} {noun}; nothing was stored",
            "total": rejected.total,
            "problems": [
                {"line": problem.line, "message": problem.message}
                for problem in rejected.problems[:SHOWN_PROBLEMS]
            ],
        },
        422,
    )


EXPORT_CHUNK_LINES = 512
"""Lines sent as one body chunk: each chunk of a streamed response is a hand-off between
the server's threads, so one per line made an export of thousands of lines crawl."""


def _with_newlines(first: str | None, rest: Iterator[str]) -> Iterator[bytes]:
    if first is None:
        return
    lines = itertools.chain([first], rest)
    while chunk := list(itertools.islice(lines, EXPORT_CHUNK_LINES)):
        chunk.append("")
        yield "\n".join(chunk).encode()


def client_address(request: Request) -> str:
    """The client's address (behind a proxy, as uvicorn's proxy headers give it)."""
    return request.client.host if request.client is not None else "unknown"
