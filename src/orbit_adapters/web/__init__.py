"""orbit's inbound HTTP adapter: ``orbit serve``, the HTTP API and the dashboard.

FastAPI and uvicorn are an optional extra (``pip install 'orbit[serve]'``). Importing this
package needs neither: the names below are loaded on first use (PEP 562), so the CLI's
``orbit tokens`` works without them and ``orbit serve`` can say what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from orbit_adapters.web.backend import ApiBackend, Backend, Download, Principal, Role

if TYPE_CHECKING:
    from orbit_adapters.web.server import ServeUnavailableError, run_server
    from orbit_adapters.web.settings import SettingsError, WebSettings
    from orbit_adapters.web.tokens import NewToken, TokenInfo, Tokens, UnknownTokenError

_MODULE_OF = {
    **dict.fromkeys(("ServeUnavailableError", "run_server"), "server"),
    **dict.fromkeys(("SettingsError", "WebSettings"), "settings"),
    **dict.fromkeys(("NewToken", "TokenInfo", "Tokens", "UnknownTokenError"), "tokens"),
}

__all__ = [
    "ApiBackend",
    "Backend",
    "Download",
    "NewToken",
    "Principal",
    "Role",
    "ServeUnavailableError",
    "SettingsError",
    "TokenInfo",
    "Tokens",
    "UnknownTokenError",
    "WebSettings",
    "run_server",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
