"""The dashboard: server-rendered pages for a company's staff, over the same Backend as the API.

``mount(app, backend, settings)`` adds its routes to the FastAPI application. The pages
work without JavaScript; charts are the annual report's inline SVG, each with its
numbers as text and as a table.
"""

from orbit_adapters.web.dashboard.routes import DashboardSettings, mount

__all__ = ["DashboardSettings", "mount"]
