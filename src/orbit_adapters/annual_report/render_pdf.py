"""The annual report on A4 pages: WeasyPrint lays out the same HTML."""

from __future__ import annotations

from orbit_adapters.annual_report.model import AnnualReport
from orbit_adapters.annual_report.render_html import render_html

PANGO_HINT = (
    "PDF output needs WeasyPrint's system libraries (Pango): install them, e.g. "
    "'apt install libpango-1.0-0 libpangoft2-1.0-0' or 'brew install pango', "
    "or choose --format html"
)


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the system libraries it loads are missing; the message says what to install."""


def render_pdf(report: AnnualReport) -> bytes:
    try:
        import weasyprint  # noqa: PLC0415 (loads Pango through ctypes: only for --format pdf)
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(
            f"{PANGO_HINT} ({type(error).__name__}: {error})".splitlines()[0]
        ) from None
    document = weasyprint.HTML(string=render_html(report)).render()
    pdf: bytes = document.write_pdf(
        # A fixed identifier rather than one from the time: the same report, the same bytes.
        pdf_identifier=f"orbit-{report.year}-{report.language}".encode(),
        pdf_tags=True,  # a tagged PDF: headings, tables and reading order for screen readers
    )
    return pdf
