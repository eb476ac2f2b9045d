"""The annual report (årsrapport): a document model built from report-v1, and its renderings.

Nothing here is imported by ``orbit`` until ``orbit annual-report`` runs: Jinja2,
Babel, matplotlib, WeasyPrint and XlsxWriter take a while to load.
"""

from orbit_adapters.annual_report.builder import build_annual_report
from orbit_adapters.annual_report.config import AnnualConfig, ConfigError, load_config
from orbit_adapters.annual_report.model import FORMAT_VERSION, AnnualReport
from orbit_adapters.annual_report.produce import (
    MEDIA_TYPES,
    SourceDateEpochError,
    annual_report_document,
    default_filename,
    funding_result,
    render_document,
)
from orbit_adapters.annual_report.sections_organisation import FundingMonthLike

__all__ = [
    "FORMAT_VERSION",
    "MEDIA_TYPES",
    "AnnualConfig",
    "AnnualReport",
    "ConfigError",
    "FundingMonthLike",
    "SourceDateEpochError",
    "annual_report_document",
    "build_annual_report",
    "default_filename",
    "funding_result",
    "load_config",
    "render_document",
]
