"""From events to sentences: the seed history's annual report states the seed's figures.

The other sentence tests start from hand-made report dicts; this one starts from the
events of ``tests/seed_history.py``, replayed by the store, so it checks the whole flow:
events → report-v1 (2024 and 2023, same knowledge time) → document → text.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from orbit_adapters.annual_report import (
    AnnualConfig,
    AnnualReport,
    build_annual_report,
    funding_result,
)
from orbit_adapters.service import Orbit
from orbit_cli.annual_report_command import write_annual_report
from orbit_domain.period import Period
from seed_history import seed_history_lines

NBSP = "\u00a0"
KNOWN_AT = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def seeded() -> Orbit:
    orbit = Orbit.open("sqlite://")
    orbit.import_lines(seed_history_lines())
    return orbit


def document(orbit: Orbit, language: str) -> AnnualReport:
    config = AnnualConfig()
    funded = funding_result(orbit, 2024, KNOWN_AT, config)
    return build_annual_report(
        orbit.report(Period.year(2024), known_at=KNOWN_AT).to_json_dict(),
        orbit.report(Period.year(2023), known_at=KNOWN_AT).to_json_dict(),
        config,
        language=language,
        funding_months=funded.months,
        funding_missing=tuple(missing.programme for missing in funded.missing_rates),
        made_at=KNOWN_AT,
        orbit_version="0.1.0",
        command="orbit annual-report --year 2024",
    )


def sentences(report: AnnualReport) -> dict[str, str]:
    return {s.key: s.text for section in report.sections for s in section.sentences}


@pytest.fixture(scope="module")
def nb(seeded: Orbit) -> dict[str, str]:
    return sentences(document(seeded, "nb"))


def test_aft_exits_seats_waiting_list_and_wait(nb: dict[str, str]) -> None:
    assert nb["aft_exits"] == "AFT hadde 108 avganger i 2024."
    assert nb["aft_exits_split"] == (
        f"Av disse gikk 61 til arbeid eller utdanning (56{NBSP}%), "
        f"mens 47 fikk et annet resultat (44{NBSP}%)."
    )
    assert nb["aft_seats_at_end"] == "Ved utgangen av 2024 hadde AFT 75 tildelte plasser."
    assert nb["aft_waiting_list"] == "AFT har alltid hatt personer på venteliste gjennom 2024."
    assert nb["aft_longest_wait"] == (
        "Den lengste ventetiden før oppstart var opp mot fire måneder (121 dager)."
    )
    assert nb["target_AFT"] == (
        f"AFT hadde 56{NBSP}% formidling til arbeid og utdanning i 2024, "
        f"over Nav sitt målkrav på 50{NBSP}%."
    )


def test_vta_seats_hospitering_starts_exits_and_rate(nb: dict[str, str]) -> None:
    assert nb["vta_served"] == "VTA hadde 64 deltakere i 2024, på 46–53 plasser (månedsverk)."
    assert nb["vta_added_seats"] == (
        "VTA startet året med 6 ekstra plasser, fikk 5 til fra juli og 2 til fra november: "
        "13 ekstra plasser i alt."
    )
    assert nb["vta_hospitering"] == (
        "I 2024 hadde 13 deltakere hospitering i ordinært arbeid, mot 10 i 2023."
    )
    assert nb["vta_new_starts"] == (
        "I 2024 begynte 18 nye deltakere i VTA. Tre av disse sluttet igjen i løpet av året."
    )
    assert nb["vta_exits"].startswith("Sju deltakere avsluttet VTA i 2024: ")
    assert nb["vta_placement_rate"] == f"Formidlingsprosenten i VTA var dermed 43{NBSP}%."


def test_surveys_courses_and_activity(nb: dict[str, str]) -> None:
    assert nb["survey_AFT_exit"].startswith("Sluttundersøkelsen i AFT ga et snitt på 89 av 100 ")
    assert nb["survey_AFT_exit"].endswith("mot 86 i 2023: en liten økning.")
    assert nb["survey_AFT_user"].startswith("Brukerundersøkelsen i AFT ga et snitt på 5,4 av 6")
    vta_survey = next(text for key, text in nb.items() if key.startswith("survey_VTA_"))
    assert " ga et snitt på 5 av 6 " in vta_survey
    assert nb["category_computer_room"] == "Datarommet hadde 46 deltakere, av dem 1 fra VTA."
    assert "Migranorsk 15" in nb["courses"]
    assert nb["licences"] == "I 2024 ble det brukt 36 kurslisenser."
    assert nb["aft_to_work_or_education"] == (
        "I 2024 gikk 61 personer til arbeid eller utdanning etter AFT."
    )
    assert f"66{NBSP}%" in nb["aft_activity_rate"]


def test_one_complaint_and_226_training_days_against_163(nb: dict[str, str]) -> None:
    assert nb["complaints"].startswith("Vi mottok én klage i 2024")
    assert nb["staff_training"] == (
        "De ansatte hadde til sammen 226 dager med opplæring i 2024, mot 163 i 2023 (+63)."
    )


def test_the_funding_section_deducts_the_seeds_closures(nb: dict[str, str]) -> None:
    assert nb["closures"].startswith("Dagene virksomheten var stengt, er trukket fra: 8. juli")
    assert nb["funding_AFT"].startswith("Beregnet slik Nav gjør det, med en sats på 20")


def test_the_json_document_names_the_fingerprints_of_both_years(
    seeded: Orbit, tmp_path: Path
) -> None:
    path = write_annual_report(
        seeded, 2024, output_format="json", known_at=KNOWN_AT, output=tmp_path / "a.json"
    )
    written = json.loads(path.read_text(encoding="utf-8"))

    fingerprints = {source["year"]: source["fingerprint"] for source in written["sources"]}
    assert fingerprints == {
        2024: seeded.report(Period.year(2024), known_at=KNOWN_AT).fingerprint,
        2023: seeded.report(Period.year(2023), known_at=KNOWN_AT).fingerprint,
    }
    assert written["format"].startswith("orbit-annual-report/1")
