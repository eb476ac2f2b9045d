"""``app``, configured from the environment, for any ASGI server.

    ORBIT_STORE=postgresql+psycopg://orbit@db/orbit ORBIT_KEY_FILE=/etc/orbit/master.key \\
        uvicorn orbit_adapters.web.asgi:app --proxy-headers

``ORBIT_STORE`` (default ``sqlite:///orbit.db``) names an existing store; ``ORBIT_KEY_FILE``
its master key (imports and exports need it, reports do not); ``ORBIT_SERVE_*`` the
settings (``WebSettings.from_environment``). The store is opened on import.
"""

from __future__ import annotations

import logging
import os

from orbit_adapters.store.engine import DEFAULT_STORE_URL
from orbit_adapters.web.app import create_app
from orbit_adapters.web.orbit_backend import OrbitBackend
from orbit_adapters.web.settings import WebSettings

if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
settings = WebSettings.from_environment()
backend = OrbitBackend.open(
    os.environ.get("ORBIT_STORE") or DEFAULT_STORE_URL,
    settings,
    key_file=os.environ.get("ORBIT_KEY_FILE") or None,
)
app = create_app(backend, settings)
app.router.add_event_handler("shutdown", backend.close)
