"""The annual report (årsrapport): a document model built from report-v1, and its renderings.

Nothing here is imported by ``orbit`` until ``orbit annual-report`` runs: Jinja2,
Babel, matplotlib, WeasyPrint and XlsxWriter take a while to load.
"""

from orbit_adapters.annual_report.builder import build_annual_report
from orbit_adapters.annual_report.config import AnnualConfig, ConfigError, load_config
from orbit_adapters.annual_report.model import FORMAT_VERSION, AnnualReport
from orbit_adapters.annual_report.sections_organisation import FundingMonthLike

__all__ = [
    "FORMAT_VERSION",
    "AnnualConfig",
    "AnnualReport",
    "ConfigError",
    "FundingMonthLike",
    "build_annual_report",
    "load_config",
]
