"""``orbit serve``: the application on uvicorn, over a store opened once."""

# ruff: noqa: PLC0415 (FastAPI and uvicorn are the optional extra 'serve': imported to run)

from __future__ import annotations

import logging

from orbit_adapters.web.settings import WebSettings

INSTALL_HINT = "orbit serve needs FastAPI and uvicorn: pip install 'orbit[serve]'"


SHUTDOWN_GRACE_SECONDS = 10


class ServeUnavailableError(RuntimeError):
    """The ``serve`` extra is not installed; the message says how to install it."""


def check_serve_installed() -> None:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise ServeUnavailableError(INSTALL_HINT) from None


def run_server(
    url: str,
    *,
    host: str,
    port: int,
    key_file: str | None = None,
    settings: WebSettings | None = None,
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Serve the store at ``url`` until interrupted.

    Client addresses come from ``X-Forwarded-For`` only when the request comes from one
    of ``forwarded_allow_ips`` (the reverse proxy), so the rate limit sees real clients.
    """
    check_serve_installed()
    import uvicorn

    from orbit_adapters.web.app import create_app
    from orbit_adapters.web.orbit_backend import OrbitBackend

    settings = settings or WebSettings.from_environment()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    backend = OrbitBackend.open(url, settings, key_file=key_file)
    try:
        app = create_app(backend, settings)
        uvicorn.run(
            app,
            host=host,
            port=port,
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
            access_log=False,  # RequestLog logs each request, with the token's id
            timeout_keep_alive=30,  # clients reuse connections; 5 s races them on a busy host
            # On SIGTERM, requests still running get this long to finish; then it stops.
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            log_level="info",
        )
    finally:
        backend.close()
