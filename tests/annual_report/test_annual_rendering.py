"""One model, four renderings: strict HTML, a workbook of numbers, JSON, and PDF pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal

import attrs
import html5lib
import openpyxl
import pytest
from annual_report_data import seed_year, seed_year_before

from orbit_adapters.annual_report import FORMAT_VERSION, AnnualReport, build_annual_report
from orbit_adapters.annual_report.config import AnnualConfig, parse_config
from orbit_adapters.annual_report.render_html import render_html
from orbit_adapters.annual_report.render_json import render_json
from orbit_adapters.annual_report.render_xlsx import render_xlsx

CONFIG = parse_config(
    {
        "organisation_name": "OrbitArena <Arbeidsinkludering> & Co AS",
        "national_average": [
            {
                "year": 2024,
                "programme": "AFT",
                "source": "Arbeid & Inkludering, nøkkeltall 2024",
                "placement_rate": 0.49,
                "gender": {"female": 0.46, "male": 0.54},
            }
        ],
    },
    "orbit.toml",
)


@attrs.frozen
class StandInMonth:
    """A month of Nav's payment computation, as orbit_domain.funding will give it."""

    programme: str
    month: str
    manedsverk: Decimal
    rate: int
    payment: int
    commitment: int


FUNDING = tuple(
    StandInMonth("AFT", f"2024-{month:02d}", Decimal("70.12345"), 20_205, 1_416_844, 1_515_375)
    for month in range(1, 13)
)


def build(language: str = "nb", config: AnnualConfig = CONFIG) -> AnnualReport:
    return build_annual_report(
        seed_year(),
        seed_year_before(),
        config,
        language=language,
        funding_months=FUNDING,
        made_at=dt.datetime(2025, 3, 14, tzinfo=dt.UTC),
        orbit_version="0.1.0",
        command="orbit annual-report --year 2024 --known-at 2025-03-14T00:00:00Z",
    )


@pytest.fixture(scope="module")
def nb_report() -> AnnualReport:
    return build()


@pytest.fixture(scope="module")
def nb_html(nb_report: AnnualReport) -> str:
    return render_html(nb_report)


def test_the_html_parses_strictly_with_one_h1_and_an_h2_per_section(nb_html: str) -> None:
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(nb_html)

    assert len(document.findall(".//h1")) == 1
    headings = ["".join(heading.itertext()) for heading in document.findall(".//section/h2")]
    assert len(headings) == 12
    assert headings[1] == "2 Resultater i AFT"


def test_the_html_needs_no_network_and_escapes_configured_text(nb_html: str) -> None:
    references = re.findall(r'(?:src|href)="([^"]*)"|url\(([^)]*)\)', nb_html)
    for reference in (first or second for first, second in references):
        assert reference.startswith("#"), reference
    assert "<script" not in nb_html
    assert "OrbitArena &lt;Arbeidsinkludering&gt; &amp; Co AS" in nb_html


def test_every_chart_is_inline_svg_with_its_numbers_as_text(nb_html: str) -> None:
    charts = re.findall(r'<div class="chart" role="img" aria-label="([^"]*)"><svg', nb_html)

    assert len(charts) == 5  # two against the national average, three of seat usage
    assert any("Formidling: AFT hos oss (2024) 56" in label for label in charts)
    assert "Kilde for landsgjennomsnittet: Arbeid &amp; Inkludering, nøkkeltall 2024." in nb_html


def test_the_funding_section_shows_each_month_and_the_years_totals(
    nb_report: AnnualReport,
) -> None:
    funding = next(section for section in nb_report.sections if section.key == "funding")
    (table,) = funding.tables

    assert len(table.rows) == 13
    total = table.rows[-1]
    assert total[2].value == 12 * 1_416_844
    assert total[4].value == 12 * (1_515_375 - 1_416_844)
    assert total[1].text == "841,48140"  # månedsverk to five decimals, as Nav rounds them
    assert "1\u00a0182\u00a0372\u00a0kr mindre enn tilsagnet" in funding.sentences[0].text


def test_the_workbook_has_a_sheet_per_section_numbers_as_numbers_and_native_charts(
    nb_report: AnnualReport,
) -> None:
    content = render_xlsx(nb_report)

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[1] == "2 Resultater AFT"
    assert len(workbook.sheetnames) == 12
    values = [cell.value for row in workbook["2 Resultater AFT"].iter_rows() for cell in row]
    assert 108 in values  # all exits, as a number
    shares = [
        cell
        for row in workbook["2 Resultater AFT"].iter_rows()
        for cell in row
        if cell.number_format == "0%"
    ]
    assert [cell.value for cell in shares] == [0.56, 0.44, 1.0]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_english_sheet_names_are_english() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(build("en"))))

    assert workbook.sheetnames[1] == "2 Results AFT"


def test_the_json_is_the_model_with_its_version(nb_report: AnnualReport) -> None:
    document = json.loads(render_json(nb_report))

    assert document["format"].startswith("orbit-annual-report/1")
    assert document["format"] == FORMAT_VERSION
    aft = next(section for section in document["sections"] if section["key"] == "aft")
    split = next(sentence for sentence in aft["sentences"] if sentence["key"] == "aft_exits_split")
    assert split["values"] == {
        "work_or_education": 61,
        "work_or_education_share": 0.56,
        "other": 47,
        "other_share": 0.44,
    }


def test_the_same_model_gives_the_same_bytes_in_every_format() -> None:
    first, again = build(), build()

    assert render_html(first) == render_html(again)
    assert render_xlsx(first) == render_xlsx(again)
    assert render_json(first) == render_json(again)


def test_the_pdf_has_extractable_text_and_page_numbers(nb_report: AnnualReport) -> None:
    pytest.importorskip("weasyprint")
    import pypdf  # noqa: PLC0415

    from orbit_adapters.annual_report.render_pdf import render_pdf  # noqa: PLC0415

    content = render_pdf(nb_report)

    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    assert "108" in pages[1] or "108" in pages[0]
    assert f"Side 1 av {len(pages)}" in pages[0]
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]
