"""The seed's 2024 figures, each stated in the sentence a person would write it in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from annual_report_data import sample_report, seed_year, seed_year_before

from orbit_adapters.annual_report import AnnualConfig, AnnualReport, build_annual_report
from orbit_adapters.annual_report.config import parse_config

NBSP = "\u00a0"
MADE_AT = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
CONFIG = parse_config(
    {
        "organisation_name": "OrbitArena Arbeidsinkludering AS",
        "place": "Jessheim",
        "national_average": [
            {
                "year": 2024,
                "programme": "AFT",
                "source": "Arbeid & Inkludering, nøkkeltall 2024",
                "placement_rate": 0.49,
                "gender": {"female": 0.46, "male": 0.54},
            }
        ],
        "socioeconomic": {
            "saving_per_person_nok": 4_200_000,
            "years_in_work": 10,
            "source": "Samfunnsøkonomisk analyse AS",
        },
    },
    "orbit.toml",
)


def build(
    current: dict[str, Any],
    previous: dict[str, Any] | None,
    language: str = "nb",
    config: AnnualConfig = CONFIG,
) -> AnnualReport:
    return build_annual_report(
        current,
        previous,
        config,
        language=language,
        funding_months=None,
        made_at=MADE_AT,
        orbit_version="0.1.0",
        command="orbit annual-report --year 2024",
    )


@pytest.fixture(scope="module")
def nb() -> dict[str, str]:
    return sentences(build(seed_year(), seed_year_before()))


@pytest.fixture(scope="module")
def en() -> dict[str, str]:
    return sentences(build(seed_year(), seed_year_before(), "en"))


def sentences(report: AnnualReport) -> dict[str, str]:
    return {
        sentence.key: sentence.text for section in report.sections for sentence in section.sentences
    }


def test_aft_exits_and_the_two_subtotals_whose_shares_add_up_to_100(nb: dict[str, str]) -> None:
    assert nb["aft_exits"] == "AFT hadde 108 avganger i 2024."
    assert nb["aft_exits_split"] == (
        f"Av disse gikk 61 til arbeid eller utdanning (56{NBSP}%), "
        f"mens 47 fikk et annet resultat (44{NBSP}%)."
    )


def test_aft_seats_waiting_list_and_longest_wait(nb: dict[str, str]) -> None:
    assert nb["aft_seats_at_end"] == "Ved utgangen av 2024 hadde AFT 75 tildelte plasser."
    assert nb["aft_waiting_list"] == "AFT har alltid hatt personer på venteliste gjennom 2024."
    assert nb["aft_longest_wait"] == (
        "Den lengste ventetiden før oppstart var opp mot fire måneder (121 dager)."
    )


def test_the_placement_rate_against_navs_target_and_the_national_average(
    nb: dict[str, str],
) -> None:
    assert nb["target_AFT"] == (
        f"AFT hadde 56{NBSP}% formidling til arbeid og utdanning i 2024, "
        f"over Nav sitt målkrav på 50{NBSP}%."
    )
    assert nb["national_AFT"] == (
        f"Landsgjennomsnittet for formidling i AFT var 49{NBSP}% i 2024 "
        "(kilde: Arbeid & Inkludering, nøkkeltall 2024), og vi lå sju prosentpoeng over."
    )
    assert "Arbeid & Inkludering, nøkkeltall 2024" in nb["national_AFT"]


def test_vta_in_words(nb: dict[str, str]) -> None:
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
    assert nb["vta_exits"] == (
        "Sju deltakere avsluttet VTA i 2024: én til arbeid med lønnstilskudd, to til VTA i "
        "ordinær virksomhet, én til andre aktive løsninger, to med søknad om uføre- eller "
        "alderspensjon og én med ukjent resultat."
    )
    assert nb["vta_placement_rate"] == f"Formidlingsprosenten i VTA var dermed 43{NBSP}%."


def test_surveys_on_their_own_scale_against_the_year_before(nb: dict[str, str]) -> None:
    assert nb["survey_AFT_exit"] == (
        "Sluttundersøkelsen i AFT ga et snitt på 89 av 100 (40 svar), "
        "mot 86 i 2023: en liten økning."
    )
    assert nb["survey_AFT_user"].startswith("Brukerundersøkelsen i AFT ga et snitt på 5,4 av 6")
    assert nb["survey_VTA_user"].startswith("Brukerundersøkelsen i VTA ga et snitt på 5 av 6")


def test_courses_by_category_and_course_and_licences(nb: dict[str, str]) -> None:
    assert nb["category_computer_room"] == "Datarommet hadde 46 deltakere, av dem 1 fra VTA."
    assert "Migranorsk 15" in nb["courses"]
    assert nb["licences"] == "I 2024 ble det brukt 36 kurslisenser."


def test_from_passive_benefit_to_activity(nb: dict[str, str]) -> None:
    assert nb["aft_to_work_or_education"] == (
        "I 2024 gikk 61 personer til arbeid eller utdanning etter AFT."
    )
    assert f"66{NBSP}%" in nb["aft_activity_rate"]


def test_the_socio_economic_sentence_is_an_estimate(nb: dict[str, str]) -> None:
    assert "inntil 4,2 millioner kroner over ti år" in nb["socioeconomic_assumption"]
    assert "inntil" in nb["socioeconomic_estimate"]
    assert "anslag" in nb["socioeconomic_caveat"]


def test_quality_and_competence(nb: dict[str, str]) -> None:
    assert nb["complaints"] == "Vi mottok én klage i 2024, og den gjaldt AFT."
    assert nb["staff_training"] == (
        "De ansatte hadde til sammen 226 dager med opplæring i 2024, mot 163 i 2023 (+63)."
    )


def test_english_states_the_same_figures_in_english(en: dict[str, str]) -> None:
    assert en["aft_exits_split"] == (
        "Of these, 61 went to work or education (56%) and 47 had another outcome (44%)."
    )
    assert en["target_AFT"].endswith("above Nav's target of 50%.")
    assert (
        en["aft_longest_wait"]
        == "The longest wait before starting was almost four months (121 days)."
    )
    assert en["complaints"] == "We received one complaint in 2024, about AFT."
    assert en["vta_new_starts"].endswith("Three of them left again during the year.")


def test_every_section_is_there_in_order_and_configuration_only_parts_say_which_key() -> None:
    report = build(sample_report(), None, config=AnnualConfig())

    assert [section.number for section in report.sections] == list(range(1, 13))
    omitted = {section.key: section.omitted for section in report.sections if section.omitted}
    assert "[socioeconomic]" in (omitted["socioeconomic"] or "")
    texts = sentences(report)
    assert "[[national_average]]" in texts["national_average_missing"]


def test_a_year_without_a_rate_leaves_the_funding_section_out_naming_the_key() -> None:
    report = build(sample_report(), None, config=AnnualConfig(rates={}))

    funding = next(section for section in report.sections if section.key == "funding")
    assert funding.omitted is not None
    assert "[funding.rates]" in funding.omitted


def test_an_empty_year_says_so_in_words_rather_than_zeros() -> None:
    report = sample_report()
    report["programmes"] = {}

    texts = sentences(build(report, None, config=AnnualConfig()))

    assert texts["to_education"] == (
        "Ingen begynte på utdanning etter å ha avsluttet et av våre tiltak i 2024."
    )
    assert not [text for text in texts.values() if " 0 " in text]
