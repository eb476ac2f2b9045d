"""orbit's inbound HTTP adapter: ``orbit serve``, the HTTP API and (later) the dashboard.

FastAPI and uvicorn are an optional extra (``pip install 'orbit[serve]'``); importing
``orbit_adapters.web.backend`` needs neither, so the CLI can name the roles without them.
"""

from orbit_adapters.web.backend import Backend, Download, Principal, Role

__all__ = ["Backend", "Download", "Principal", "Role"]
