"""The annual report as one self-contained HTML file: styles and charts inline."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from orbit_adapters.annual_report.charts import chart_svg
from orbit_adapters.annual_report.model import AnnualReport


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("orbit_adapters.annual_report", "templates"),
        autoescape=True,  # every text comes from data; the .j2 suffix would not switch it on
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(report: AnnualReport) -> str:
    """The document as HTML; the charts are drawn here, from the model's chart data."""
    decimal_comma = report.language == "nb"
    charts = {
        chart.key: Markup(chart_svg(chart, decimal_comma=decimal_comma))
        for section in report.sections
        for chart in section.charts
    }
    template = _environment().get_template("annual_report.html.j2")
    return template.render(report=report, labels=report.labels, charts=charts)
