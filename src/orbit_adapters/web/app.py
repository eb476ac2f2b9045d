"""The ASGI application of ``orbit serve``: the HTTP API, and the dashboard where installed."""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orbit_adapters.web.api import install_api
from orbit_adapters.web.backend import Backend
from orbit_adapters.web.settings import WebSettings

DASHBOARD_MODULE = "orbit_adapters.web.dashboard"

request_log = logging.getLogger("orbit.serve.requests")


def create_app(backend: Backend, settings: WebSettings | None = None) -> FastAPI:
    """The application over ``backend``; the dashboard is mounted when it is installed."""
    settings = settings or WebSettings()
    app = FastAPI(
        title="orbit",
        summary="Participant journeys as immutable events, and the statistics rebuilt from them.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.backend = backend
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid')}"}, 400)

    install_api(app, backend, settings)
    _mount_dashboard(app, backend, settings)
    app.add_middleware(RequestLog)
    return app


def _mount_dashboard(app: FastAPI, backend: Backend, settings: WebSettings) -> None:
    """``orbit_adapters.web.dashboard.mount(app, backend, settings)``, if it is there."""
    try:
        dashboard = importlib.import_module(DASHBOARD_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != DASHBOARD_MODULE:
            raise  # the dashboard is there but lacks something it needs: say so
        return
    dashboard.mount(app, backend, settings)


class RequestLog:
    """Logs each request: method, path (never the query), status, the token's id (never
    the token) and the organisation, as the routes left them in the request's state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            state: dict[str, Any] = scope.get("state", {})
            principal = state.get("principal")
            request_log.info(
                "%s %s %d token=%s organisation=%s %.1fms",
                scope["method"],
                scope["path"],
                status,
                principal.token_id if principal is not None else "-",
                state.get("organisation", "-"),
                (time.perf_counter() - started) * 1000,
            )
