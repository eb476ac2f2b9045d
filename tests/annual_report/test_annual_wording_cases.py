"""The sentences' other cases: shorter waits, fewer seats, mixed scales, more complaints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from annual_report_data import seed_year, seed_year_before

from orbit_adapters.annual_report import AnnualConfig, build_annual_report
from orbit_adapters.annual_report.sections_organisation import FundingMonthLike


@attrs.frozen
class Month:
    programme: str
    month: str
    manedsverk: Decimal
    rate: int
    payment: int
    commitment: int


def sentences(
    current: dict[str, Any],
    previous: dict[str, Any] | None = None,
    language: str = "nb",
    funding: tuple[FundingMonthLike, ...] | None = None,
    funding_missing: tuple[str, ...] = (),
) -> dict[str, str]:
    report = build_annual_report(
        current,
        previous,
        AnnualConfig(),
        language=language,
        funding_months=funding,
        funding_missing=funding_missing,
        made_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        orbit_version="0",
        command="orbit",
    )
    return {s.key: s.text for section in report.sections for s in section.sentences}


def test_a_wait_rounded_down_is_just_over_and_a_short_one_is_in_days() -> None:
    report = seed_year()
    report["programmes"]["AFT"]["waiting"]["max_wait_days"] = 166
    over = sentences(report)["aft_longest_wait"]
    report["programmes"]["AFT"]["waiting"]["max_wait_days"] = 10
    days = sentences(report)["aft_longest_wait"]

    assert over == "Den lengste ventetiden før oppstart var i overkant av fem måneder (166 dager)."
    assert days == "Den lengste ventetiden før oppstart var ti dager."


def test_a_waiting_list_on_some_days_only_says_how_many() -> None:
    report = seed_year()
    report["programmes"]["AFT"]["waiting"]["days_with_waiting_list"] = 300

    assert sentences(report)["aft_waiting_list"] == (
        "AFT hadde personer på venteliste 300 av årets 366 dager."
    )


def test_seats_taken_away_and_a_single_change_at_new_year() -> None:
    report = seed_year()
    usage = report["programmes"]["VTA"]["seat_usage"]
    usage["allocated_before"] = 50.0
    usage["allocations"] = [
        {"from": "2024-01-01", "until": "2024-08-31", "seats": 46.0},
        {"from": "2024-09-15", "until": "2024-12-31", "seats": 43.0},
    ]
    fewer = sentences(report)["vta_added_seats"]
    usage["allocations"] = [{"from": "2024-01-01", "until": "2024-12-31", "seats": 52.0}]
    once = sentences(report)["vta_added_seats"]

    assert fewer == (
        "VTA startet året med fire færre plasser, mistet tre fra 15. september: "
        "sju færre plasser i alt."
    )
    assert once == "VTA startet året med to flere plasser enn ved utgangen av 2023."


def test_a_survey_answered_on_mixed_scales_is_given_in_points_of_100() -> None:
    report = seed_year()
    report["programmes"]["AFT"]["surveys"]["user"]["scale_max"] = None

    assert sentences(report)["survey_AFT_user"] == (
        "Brukerundersøkelsen i AFT ga et snitt på 90 av 100 (90 svar)."
    )


def test_complaints_in_several_programmes_and_training_in_english() -> None:
    report = seed_year()
    report["organisation"]["complaints"] = 3
    report["organisation"]["complaints_by_programme"] = {"AFT": 2, "none": 1}
    texts = sentences(report, seed_year_before(), "en")

    assert texts["complaints"] == "We received three complaints in 2024 (AFT two)."
    assert texts["staff_training"] == (
        "Our staff had 226 days of training in all in 2024, against 163 in 2023 (+63)."
    )


def test_a_payment_above_the_commitment_and_the_closures_deducted() -> None:
    funding = (Month("VTA", "2024-01", Decimal("54.5"), 16_231, 884_590, 746_626),)

    texts = sentences(seed_year(), funding=funding)

    assert texts["funding_VTA"].endswith(
        "en utbetaling på 884\u00a0590\u00a0kr mot et tilsagn på 746\u00a0626\u00a0kr: "
        "137\u00a0964\u00a0kr mer enn tilsagnet."
    )
    assert texts["closures"] == (
        "Dagene virksomheten var stengt, er trukket fra: 8. juli t.o.m. 26. juli (alle tiltak)."
    )


def test_a_programme_without_a_rate_is_named_with_the_key_that_would_add_it() -> None:
    funding = (Month("AFT", "2024-01", Decimal("70"), 20_205, 1_414_350, 1_515_375),)

    nb = sentences(seed_year(), funding=funding, funding_missing=("VTA",))
    en = sentences(seed_year(), language="en", funding=funding, funding_missing=("VTA",))

    assert nb["funding_missing_VTA"] == (
        "Utbetaling for VTA er ikke med: ingen sats for 2024; "
        "legg den til under [funding.rates] i konfigurasjonen."
    )
    assert en["funding_missing_VTA"] == (
        "Nav's payment for VTA is not included: no rate for 2024; "
        "add one under [funding.rates] in the configuration."
    )


def test_none_is_a_word_in_running_text_not_a_zero() -> None:
    current, before = seed_year(), seed_year_before()
    for report in (current, before):
        report["programmes"]["VTA"]["hospitering_participants"] = 0
        report["organisation"]["staff_training_days"] = 0.0
    current["programmes"]["VTA"]["new_starts"] = 0
    current["programmes"]["VTA"]["early_leavers"] = 0

    nb = sentences(current, before)
    en = sentences(current, before, language="en")
    alone = sentences(current)

    assert nb["vta_hospitering"] == (
        "I 2024 hadde ingen deltakere hospitering i ordinært arbeid, heller ikke i 2023."
    )
    assert en["vta_hospitering"] == (
        "In 2024, no participants had a work trial (hospitering) in an ordinary workplace, "
        "nor in 2023."
    )
    assert alone["vta_hospitering"] == "I 2024 hadde ingen deltakere hospitering."
    assert nb["vta_new_starts"] == "I 2024 begynte ingen nye deltakere i VTA."
    assert en["vta_new_starts"] == "In 2024, no new participants started in VTA."
    assert nb["staff_training"] == (
        "De ansatte hadde ingen dager med opplæring i 2024, heller ikke i 2023."
    )
    assert en["staff_training"] == "Our staff had no days of training in 2024, nor in 2023."
    assert alone["staff_training"] == "De ansatte hadde ingen dager med opplæring i 2024."


def test_none_against_some_the_year_before_names_both() -> None:
    current, before = seed_year(), seed_year_before()
    current["programmes"]["VTA"]["hospitering_participants"] = 0
    current["organisation"]["staff_training_days"] = 0.0

    nb = sentences(current, before)

    assert nb["vta_hospitering"] == (
        "I 2024 hadde ingen deltakere hospitering i ordinært arbeid, mot ti i 2023."
    )
    assert nb["staff_training"] == (
        "De ansatte hadde ingen dager med opplæring i 2024, mot 163 i 2023 (−163)."
    )


def test_an_aft_year_with_every_exit_on_one_side_says_none_for_the_other() -> None:
    report = seed_year()
    aft = report["programmes"]["AFT"]
    aft["exits"] = 5
    aft["exits_by_group"] = {
        "work": 3, "education": 2, "other_active": 0, "inactive": 0, "unknown": 0,
    }  # fmt: skip

    nb = sentences(report)["aft_exits_split"]
    en = sentences(report, language="en")["aft_exits_split"]
    aft["exits_by_group"] = {
        "work": 0, "education": 0, "other_active": 1, "inactive": 4, "unknown": 0,
    }  # fmt: skip
    nobody_placed = sentences(report)["aft_exits_split"]

    assert nb == (
        "Av disse gikk fem til arbeid eller utdanning (100\u00a0%), "
        "mens ingen fikk et annet resultat (0\u00a0%)."
    )
    assert en == (
        "Of these, five went to work or education (100%) and none had another outcome (0%)."
    )
    assert nobody_placed == (
        "Av disse gikk ingen til arbeid eller utdanning (0\u00a0%), "
        "mens fem fikk et annet resultat (100\u00a0%)."
    )


def test_small_allocations_over_several_spans_are_words_as_a_whole_year_is() -> None:
    report = seed_year()
    report["programmes"]["VTA"]["seat_usage"]["allocations"] = [
        {"from": "2024-03-01", "until": "2024-08-31", "seats": 5.0},
        {"from": "2024-09-01", "until": "2024-12-31", "seats": 8.0},
    ]

    nb = sentences(report)["allocations_VTA"]
    en = sentences(report, language="en")["allocations_VTA"]

    assert nb == (
        "VTA hadde fem tildelte plasser fra mars t.o.m. august og åtte fra september "
        "t.o.m. desember."
    )
    assert en == (
        "VTA had five allocated seats from March to August and eight from September to December."
    )


def test_one_new_vta_participant_is_not_spoken_of_as_several() -> None:
    report = seed_year()
    vta = report["programmes"]["VTA"]
    vta["new_starts"], vta["early_leavers"] = 1, 0
    stayed = sentences(report)["vta_new_starts"]
    stayed_en = sentences(report, language="en")["vta_new_starts"]
    vta["early_leavers"] = 1
    left = sentences(report)["vta_new_starts"]
    left_en = sentences(report, language="en")["vta_new_starts"]

    assert stayed == "I 2024 begynte én ny deltaker i VTA. Deltakeren sluttet ikke igjen samme år."
    assert stayed_en == (
        "In 2024, one new participant started in VTA. "
        "The participant did not leave again the same year."
    )
    assert left == "I 2024 begynte én ny deltaker i VTA. Deltakeren sluttet igjen i løpet av året."
    assert left_en == (
        "In 2024, one new participant started in VTA. The participant left again during the year."
    )
