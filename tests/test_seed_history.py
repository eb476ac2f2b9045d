"""The seed history gives the seed annual report's figures, imported through the public API.

Percentages are compared as the annual report prints them: whole percent, rounded half up.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from orbit_adapters import ImportResult, Orbit
from orbit_domain.period import Period
from seed_history import (
    OUTCOMES,
    SEED_YEAR,
    seed_history_lines,
    seed_organisation_fact_lines,
)

WORK_OR_EDUCATION = OUTCOMES[:5]
INACTIVE_OR_UNKNOWN = OUTCOMES[6:]

Json = dict[str, Any]


def whole_percent(part: float, whole: float) -> int:
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31))


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return seed_history_lines(with_facts=False)


@pytest.fixture(scope="module")
def imported(lines: list[str]) -> Iterator[tuple[Orbit, ImportResult]]:
    """A fresh in-memory store holding the seed history, and what its import said."""
    with Orbit.open("sqlite://") as orbit:
        yield orbit, orbit.import_lines(lines)


@pytest.fixture(scope="module")
def seeded(imported: tuple[Orbit, ImportResult]) -> Orbit:
    return imported[0]


@pytest.fixture(scope="module")
def reports(seeded: Orbit) -> dict[int, Json]:
    return {number: seeded.report(year(number)).to_json_dict() for number in (2023, SEED_YEAR)}


@pytest.fixture(scope="module")
def aft(reports: dict[int, Json]) -> Json:
    figures: Json = reports[SEED_YEAR]["programmes"]["AFT"]
    return figures


@pytest.fixture(scope="module")
def vta(reports: dict[int, Json]) -> Json:
    figures: Json = reports[SEED_YEAR]["programmes"]["VTA"]
    return figures


def test_the_import_takes_every_line_of_the_seed_history(
    lines: list[str], imported: tuple[Orbit, ImportResult]
) -> None:
    assert imported[1] == ImportResult(stored=len(lines), already_stored=0)


def test_aft_had_108_exits_61_of_them_to_work_or_education(aft: Json) -> None:
    by_outcome = aft["exits_by_outcome"]
    placed = sum(by_outcome[code] for code in WORK_OR_EDUCATION)
    rest = aft["exits"] - placed

    assert (aft["exits"], placed, rest) == (108, 61, 47)
    assert whole_percent(placed, aft["exits"]) == whole_percent(aft["placement_rate"], 1) == 56
    assert whole_percent(rest, aft["exits"]) == 44


def test_aft_moved_66_percent_into_activity_with_10_other_active(aft: Json) -> None:
    assert aft["exits_by_outcome"]["other_active"] == 10
    assert whole_percent(aft["activity_rate"], 1) == 66
    assert sum(aft["exits_by_outcome"][code] for code in INACTIVE_OR_UNKNOWN) == 37


def test_aft_exits_spread_over_every_outcome_code(aft: Json) -> None:
    counts = aft["exits_by_outcome"]

    assert all(counts[code] > 0 for code in OUTCOMES)
    assert max(counts.values()) <= 0.25 * aft["exits"]


def test_aft_had_75_seats_allocated_every_month_of_2024(aft: Json) -> None:
    months = aft["seat_usage"]["months"]

    assert [month["allocated"] for month in months] == [75] * 12
    assert 0.85 < aft["seat_usage"]["utilisation"] < 1


def test_aft_longest_wait_of_2024_starts_is_121_days_though_2023_had_a_longer(
    reports: dict[int, Json], aft: Json
) -> None:
    assert aft["waiting"]["max_wait_days"] == 121
    assert round(121 / (365.25 / 12)) == 4  # "opp mot 4 måneder"
    assert reports[2023]["programmes"]["AFT"]["waiting"]["max_wait_days"] == 150


def waiting_days(lines: list[str], programme: str) -> set[dt.date]:
    """Days at whose end a journey of ``programme`` was waitlisted, neither placed nor withdrawn.

    Computed from the lines alone, as events-v1 defines a journey, to check the history's
    design apart from orbit's projections.
    """
    waiting_since: dict[str, tuple[str, dt.date | None]] = {}
    days: set[dt.date] = set()

    def stop(participant: str, until: dt.date) -> None:
        referred_to, since = waiting_since.pop(participant, (None, None))
        if referred_to == programme and since is not None:
            days.update(since + dt.timedelta(n) for n in range((until - since).days))

    for line in map(json.loads, lines):
        participant, day = line.get("participant"), dt.date.fromisoformat(line["date"])
        match line["type"]:
            case "ParticipantReferred":
                waiting_since[participant] = (line["data"]["programme"], None)
            case "Waitlisted":
                waiting_since[participant] = (waiting_since[participant][0], day)
            case "PlacementStarted" | "ReferralWithdrawn":
                stop(participant, day)
    for participant in list(waiting_since):
        stop(participant, dt.date(SEED_YEAR + 1, 1, 1))
    return days


def test_aft_had_a_waiting_list_at_the_end_of_every_day_of_2024(
    lines: list[str], aft: Json
) -> None:
    seed_year = year(SEED_YEAR)
    every_day = {seed_year.start + dt.timedelta(n) for n in range(366)}

    assert every_day <= waiting_days(lines, "AFT")
    assert aft["waiting"]["at_end"] > 0


def test_vta_served_64_participants(vta: Json) -> None:
    assert vta["participants_served"] == 64


def test_vta_seats_grew_from_40_to_46_51_and_53_13_extra_in_all(
    reports: dict[int, Json], vta: Json
) -> None:
    allocated = [month["allocated"] for month in vta["seat_usage"]["months"]]
    december_before = reports[2023]["programmes"]["VTA"]["seat_usage"]["months"][-1]

    assert allocated == [46] * 6 + [51] * 4 + [53] * 2
    assert december_before["allocated"] == 40
    assert (allocated[0] - 40, allocated[6] - allocated[5], allocated[10] - allocated[9]) == (
        6,
        5,
        2,
    )
    assert allocated[-1] - 40 == 13


def test_vta_had_13_hospitering_participants_against_10_the_year_before(
    reports: dict[int, Json], vta: Json
) -> None:
    assert vta["hospitering_participants"] == 13
    assert reports[2023]["programmes"]["VTA"]["hospitering_participants"] == 10


def test_vta_had_18_new_starts_of_whom_3_left_early(vta: Json) -> None:
    assert (vta["new_starts"], vta["early_leavers"]) == (18, 3)


def test_vta_had_7_exits_3_of_them_to_work(vta: Json) -> None:
    placed = sum(vta["exits_by_outcome"][code] for code in WORK_OR_EDUCATION)

    assert (vta["exits"], placed) == (7, 3)
    assert whole_percent(vta["placement_rate"], 1) == 43


def test_the_surveys_have_the_seed_means(reports: dict[int, Json], aft: Json, vta: Json) -> None:
    exit_survey, user_survey = aft["surveys"]["exit"], aft["surveys"]["user"]
    exit_survey_before = reports[2023]["programmes"]["AFT"]["surveys"]["exit"]

    assert (exit_survey["scale_max"], exit_survey["mean_score"]) == (100, pytest.approx(89))
    assert exit_survey_before["mean_score"] == pytest.approx(86)
    assert (user_survey["scale_max"], user_survey["mean_score"]) == (6, pytest.approx(5.4))
    vta_survey = vta["surveys"]["vta_user"]
    assert (vta_survey["scale_max"], vta_survey["mean_score"]) == (6, pytest.approx(5))


def test_the_courses_have_the_seed_participants_and_licences(aft: Json, vta: Json) -> None:
    aft_courses, vta_courses = aft["courses"], vta["courses"]
    computer_room = [
        c["by_category"]["computer_room"]["participants"] for c in (aft_courses, vta_courses)
    ]

    assert sum(computer_room) == 46
    assert computer_room[1] == 1
    assert aft_courses["by_course"]["migranorsk"]["participants"] == 15
    assert aft_courses["by_category"]["language"]["participants"] == 15
    assert "migranorsk" not in vta_courses["by_course"]
    assert aft_courses["licences_used"] + vta_courses["licences_used"] == 36


def test_the_corrected_exit_counts_as_first_recorded_until_the_correction_is_recorded(
    lines: list[str], seeded: Orbit
) -> None:
    parsed = [json.loads(line) for line in lines]
    correction = next(
        line
        for line in parsed
        if line["type"] == "ExitCorrected" and line["date"].startswith(str(SEED_YEAR))
    )
    recorded = dt.datetime.fromisoformat(correction["recorded_at"])

    def outcomes(known_at: dt.datetime) -> Json:
        report = seeded.report(year(SEED_YEAR), known_at=known_at).to_json_dict()
        by_outcome: Json = report["programmes"]["AFT"]["exits_by_outcome"]
        return by_outcome

    before, after = outcomes(recorded - dt.timedelta(seconds=1)), outcomes(recorded)

    assert correction["data"]["outcome"] == "work_subsidised"
    assert (before["unknown"], before["work_subsidised"]) == (
        after["unknown"] + 1,
        after["work_subsidised"] - 1,
    )


def streams(lines: list[str]) -> dict[str, list[Json]]:
    found: dict[str, list[Json]] = defaultdict(list)
    for line in map(json.loads, lines):
        found[line.get("participant", "#organisation")].append(line)
    return found


def test_the_history_is_realistic_in_what_the_figures_do_not_show(lines: list[str]) -> None:
    by_stream = streams(lines)
    types = Counter(json.loads(line)["type"] for line in lines)
    referrals = {
        key: [e["data"]["programme"] for e in events if e["type"] == "ParticipantReferred"]
        for key, events in by_stream.items()
    }
    vta_percentages = [
        e["data"].get("percentage", 100)
        for key, events in by_stream.items()
        for e in events
        if e["type"] == "PlacementStarted" and referrals[key][-1] == "VTA"
    ]

    assert sum(len(programmes) > 1 for programmes in referrals.values()) >= 4  # re-entries
    assert ["AFT", "VTA"] in referrals.values()  # from AFT to VTA
    assert min(vta_percentages) < 50
    assert sum(percentage < 100 for percentage in vta_percentages) > len(vta_percentages) / 4
    assert types["ReferralWithdrawn"] >= 30
    assert types["ExitCorrected"] >= 2
    assert types["HospiteringStarted"] >= 40
    assert types["PercentageChanged"] >= 40


def test_the_history_is_a_file_in_recording_order_with_unique_ids(lines: list[str]) -> None:
    parsed = [json.loads(line) for line in lines]
    ids = [line["id"] for line in parsed]
    recorded = [dt.datetime.fromisoformat(line["recorded_at"]) for line in parsed]

    assert len(set(ids)) == len(ids)
    assert recorded == sorted(recorded)
    assert max(line["date"] for line in parsed) <= f"{SEED_YEAR}-12-31"
    assert seed_history_lines(with_facts=False) == lines


def test_the_organisation_facts_are_in_the_history_only_with_facts(lines: list[str]) -> None:
    facts = seed_organisation_fact_lines()
    with_facts = seed_history_lines()

    assert sorted(with_facts) == sorted(lines + facts)
    assert not set(facts) & set(lines)


def test_the_organisation_facts_have_the_seed_sums_once_a_retraction_applies() -> None:
    facts = [json.loads(line) for line in seed_organisation_fact_lines()]
    retracted = {f["data"]["retracts"] for f in facts if f["type"] == "FactRetracted"}
    counting = [f for f in facts if f["type"] != "FactRetracted" and f["id"] not in retracted]

    def in_year(event_type: str, number: int) -> list[Json]:
        return [f for f in counting if f["type"] == event_type and f["date"][:4] == str(number)]

    assert len(retracted) == 1
    assert len(in_year("ComplaintReceived", SEED_YEAR)) == 1
    assert sum(f["data"]["days"] for f in in_year("StaffTrainingRecorded", SEED_YEAR)) == 226
    assert sum(f["data"]["days"] for f in in_year("StaffTrainingRecorded", 2023)) == 163
    assert [f["date"][5:7] for f in in_year("ProviderClosed", SEED_YEAR)] == ["07", "12"]


def seed_reports(*, known_at: dt.datetime | None = None) -> dict[int, Json]:
    """2023's and 2024's reports of the whole seed history, organisation facts included."""
    with Orbit.open("sqlite://") as orbit:
        orbit.import_lines(seed_history_lines())
        return {
            number: orbit.report(year(number), known_at=known_at).to_json_dict()
            for number in (2023, SEED_YEAR)
        }


def test_the_seed_has_the_revision_2_programme_figures() -> None:
    report = seed_reports()[SEED_YEAR]
    aft, vta = report["programmes"]["AFT"], report["programmes"]["VTA"]
    groups = aft["exits_by_group"]

    assert (groups["work"] + groups["education"], groups["other_active"]) == (61, 10)
    assert groups["inactive"] + groups["unknown"] == 47 - 10
    assert aft["waiting"]["days_with_waiting_list"] == 366
    assert vta["seat_usage"]["allocated_before"] == 40
    assert vta["seat_usage"]["allocations"] == [
        {"from": "2024-01-01", "until": "2024-06-30", "seats": 46},
        {"from": "2024-07-01", "until": "2024-10-31", "seats": 51},
        {"from": "2024-11-01", "until": "2024-12-31", "seats": 53},
    ]


def test_the_seed_has_one_complaint_226_training_days_and_two_closures() -> None:
    reports = seed_reports()
    organisation = reports[SEED_YEAR]["organisation"]
    # Between the complaint registered in error and its retraction a week later.
    before_retraction = seed_reports(known_at=dt.datetime(2024, 9, 15, tzinfo=dt.UTC))

    assert organisation["complaints"] == 1
    assert before_retraction[SEED_YEAR]["organisation"]["complaints"] == 2
    assert organisation["staff_training_days"] == 226
    assert reports[2023]["organisation"]["staff_training_days"] == 163
    assert [(c["from"], c["until"], c["programme"]) for c in organisation["closures"]] == [
        ("2024-07-08", "2024-07-28", None),
        ("2024-12-24", "2024-12-31", None),
    ]
