"""`orbit funding` as a user runs it: formats, rates, knowledge time, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli

# AFT: P-1 full time from 2024 to 30 September 2025 (the exit recorded on 15 October);
# P-3 at 50 % from December 2025. VTA: P-2 at 40 % from 16 June 2024, 60 % from July.
# Seats: AFT 2 from 2024, VTA 1 from June 2024.
HISTORY = [
    ("SeatsAllocated", None, "2024-01-01", {"programme": "AFT", "seats": 2}, "2023-12-01"),
    ("ParticipantReferred", "P-1", "2023-12-01", {"programme": "AFT"}, "2023-12-01"),
    ("PlacementStarted", "P-1", "2024-01-01", {"percentage": 100}, "2024-01-01"),
    ("ParticipantReferred", "P-2", "2024-05-01", {"programme": "VTA"}, "2024-05-01"),
    ("SeatsAllocated", None, "2024-06-01", {"programme": "VTA", "seats": 1}, "2024-05-20"),
    ("PlacementStarted", "P-2", "2024-06-16", {"percentage": 40}, "2024-06-16"),
    ("PercentageChanged", "P-2", "2024-07-01", {"percentage": 60}, "2024-07-01"),
    ("ParticipantExited", "P-1", "2025-09-30", {"outcome": "work_unsubsidised"}, "2025-10-15"),
    ("ParticipantReferred", "P-3", "2025-11-01", {"programme": "AFT"}, "2025-11-01"),
    ("PlacementStarted", "P-3", "2025-12-01", {"percentage": 50}, "2025-12-01"),
]


def history_lines() -> list[str]:
    lines = []
    for number, (event_type, participant, date, data, recorded) in enumerate(HISTORY, start=1):
        line: dict[str, Any] = {"type": event_type, "date": date, "data": data}
        if participant is not None:
            line["participant"] = participant
        line |= {"recorded_at": f"{recorded}T12:00:00Z", "id": f"funding-{number}"}
        lines.append(json.dumps(line))
    return lines


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, "-q", *args])


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    path = tmp_path / "funding.jsonl"
    path.write_text("\n".join(history_lines()) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(store_url: str, history_file: Path) -> str:
    """The history in a store on each database orbit supports."""
    assert run(store_url, "import", str(history_file)).exit_code == 0
    return store_url


@pytest.fixture
def sqlite_store(sqlite_url: str, history_file: Path) -> str:
    assert run(sqlite_url, "import", str(history_file)).exit_code == 0
    return sqlite_url


def funding_json(store: str, *args: str) -> dict[str, Any]:
    result = run(store, "funding", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def month_of(document: dict[str, Any], programme: str, month: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = document["months"]
    (found,) = [row for row in rows if row["programme"] == programme and row["month"] == month]
    return found


def test_the_table_shows_each_month_and_the_years_totals_with_spaced_thousands(
    sqlite_store: str,
) -> None:
    result = run(sqlite_store, "funding", "--year", "2024")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "orbit funding  2024-01 to 2024-12, as Nav computes its claim"
    aft = lines.index("AFT - Arbeidsforberedende trening")
    assert lines[aft + 2 : aft + 4] == [
        "  month       månedsverk     rate      payment   commitment  difference",
        "  2024-01        1.00000   20 205       20 205       40 410      20 205",
    ]
    assert lines[aft + 15] == (
        "  total         12.00000               242 460      484 920     242 460"
    )
    vta = lines.index("VTA - Varig tilrettelagt arbeid")
    assert lines[vta + 3 : vta + 5] == [
        "  2024-05        0.00000   16 231            0            0           0",
        "  2024-06        0.25000   16 231        4 058       16 231      12 173",
    ]


def test_the_json_has_every_month_the_totals_and_the_fingerprint(store: str) -> None:
    document = funding_json(store, "--year", "2024")

    assert document["format"] == "orbit-funding/1"
    assert document["period"] == {"from": "2024-01-01", "until": "2024-12-31"}
    assert len(document["fingerprint"]) == 64
    assert [row["month"] for row in document["months"] if row["programme"] == "VTA"] == [
        f"2024-{month:02d}" for month in range(5, 13)
    ]
    assert month_of(document, "VTA", "2024-06") == {
        "programme": "VTA",
        "month": "2024-06",
        "manedsverk": 0.25,
        "rate": 16_231,
        "payment": 4_058,
        "commitment": 16_231,
        "difference": 12_173,
    }
    assert document["totals"][0] == {
        "programme": "AFT",
        "manedsverk": 12.0,
        "payment": 242_460,
        "commitment": 484_920,
        "difference": 242_460,
    }
    assert document["participants"] == []
    assert document["missing_rates"] == []


def test_the_same_events_give_the_same_funding_on_every_store(
    store: str, sqlite_store: str
) -> None:
    options = ("--year", "2025", "--by-participant")

    assert funding_json(store, *options) == funding_json(sqlite_store, *options)


def test_by_participant_lists_each_participation_by_its_key(store: str) -> None:
    document = funding_json(store, "--month", "2026-01", "--by-participant")

    assert document["participants"] == [
        {"participant": "P-3", "programme": "AFT", "month": "2026-01", "manedsverk": 0.5},
        {"participant": "P-2", "programme": "VTA", "month": "2026-01", "manedsverk": 1.0},
    ]


def test_a_forgotten_participant_keeps_a_line_without_their_key(sqlite_store: str) -> None:
    before = funding_json(sqlite_store, "--month", "2025-08", "--by-participant")
    assert run(sqlite_store, "forget", "P-2").exit_code == 0

    after = funding_json(sqlite_store, "--month", "2025-08", "--by-participant")

    assert after["months"] == before["months"]
    keys = [line["participant"] for line in after["participants"]]
    assert keys[0] == "P-1"
    assert keys[1].startswith("forgotten-")
    assert "P-2" not in keys


def test_the_csv_by_participant_has_one_row_per_participation(sqlite_store: str) -> None:
    result = run(
        sqlite_store, "funding", "--month", "2025-08", "--by-participant", "--format", "csv"
    )

    assert result.exit_code == 0, result.output
    fingerprint = funding_json(sqlite_store, "--month", "2025-08")["fingerprint"]
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["programme", "month", "participant", "manedsverk", "fingerprint"],
        ["AFT", "2025-08", "P-1", "1.00000", fingerprint],
        ["VTA", "2025-08", "P-2", "1.00000", fingerprint],
    ]


def test_the_csv_has_one_row_per_programme_and_month(sqlite_store: str) -> None:
    result = run(sqlite_store, "funding", "--month", "2024-06", "--format", "csv")

    assert result.exit_code == 0, result.output
    fingerprint = funding_json(sqlite_store, "--month", "2024-06")["fingerprint"]
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][-1] == "fingerprint"
    assert rows[1:] == [
        ["AFT", "2024-06", "1.00000", "20205", "20205", "40410", "20205", fingerprint],
        ["VTA", "2024-06", "0.25000", "16231", "4058", "16231", "12173", fingerprint],
    ]


def test_the_table_by_participant_ends_with_the_claims_lines(sqlite_store: str) -> None:
    result = run(sqlite_store, "funding", "--month", "2024-06", "--by-participant")

    assert result.exit_code == 0, result.output
    assert [line.split() for line in result.stdout.splitlines()[-3:]] == [
        ["month", "programme", "participant", "månedsverk"],
        ["2024-06", "AFT", "P-1", "1.00000"],
        ["2024-06", "VTA", "P-2", "0.25000"],
    ]


def test_known_at_gives_the_funding_before_a_late_exit_was_recorded(sqlite_store: str) -> None:
    then = funding_json(sqlite_store, "--month", "2025-10", "--known-at", "2025-10-10T00:00:00Z")
    now = funding_json(sqlite_store, "--month", "2025-10")

    assert month_of(then, "AFT", "2025-10")["manedsverk"] == 1.0
    assert month_of(now, "AFT", "2025-10")["manedsverk"] == 0.0
    assert then["known_at"] == "2025-10-10T00:00:00+00:00"
    assert then["fingerprint"] != now["fingerprint"]


def test_the_programme_option_keeps_one_programme(sqlite_store: str) -> None:
    document = funding_json(
        sqlite_store, "--year", "2025", "--programme", "VTA", "--by-participant"
    )

    assert {row["programme"] for row in document["months"]} == {"VTA"}
    assert {line["programme"] for line in document["participants"]} == {"VTA"}
    assert [total["programme"] for total in document["totals"]] == ["VTA"]


def test_configured_rates_replace_the_defaults_and_rate_options_replace_both(
    sqlite_store: str, tmp_path: Path
) -> None:
    config = tmp_path / "arsrapport.toml"
    config.write_text(
        'organisation_name = "Ignored here"\n[funding.rates]\n2024 = { AFT = 30000, VTA = 1 }\n',
        encoding="utf-8",
    )

    document = funding_json(
        sqlite_store, "--month", "2024-07", "--config", str(config), "--rate", "VTA=20000"
    )

    assert month_of(document, "AFT", "2024-07")["payment"] == 30_000
    assert month_of(document, "VTA", "2024-07")["payment"] == 20_000


def test_a_period_without_any_rate_is_a_one_line_error(sqlite_store: str) -> None:
    result = run(sqlite_store, "funding", "--year", "2027")

    assert result.exit_code == 1
    assert result.output == (
        "Error: no funding rate for AFT 2027, VTA 2027: give one with --rate PROGRAMME=NOK "
        "or [funding.rates] in --config\n"
    )


def test_a_programme_without_a_rate_is_left_out_and_named(sqlite_store: str) -> None:
    result = run(sqlite_store, "funding", "--year", "2027", "--rate", "AFT=22000")

    assert result.exit_code == 0, result.output
    assert "AFT - Arbeidsforberedende trening" in result.stdout
    assert "VTA - Varig" not in result.stdout
    assert result.stdout.endswith(
        "No rate for VTA in 2027: its funding is left out "
        "(give one with --rate VTA=NOK or [funding.rates] in --config).\n"
    )


def test_before_its_first_referral_or_allocation_a_programme_has_no_months(
    sqlite_store: str,
) -> None:
    document = funding_json(sqlite_store, "--year", "2023")

    assert [(row["programme"], row["month"]) for row in document["months"]] == [("AFT", "2023-12")]
    assert document["missing_rates"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: give either --year YYYY or --month YYYY-MM (see 'orbit funding --help')"),
        (
            ("--year", "2024", "--month", "2024-01"),
            "Error: give either --year YYYY or --month YYYY-MM",
        ),
        (("--month", "2024-13"), "'2024-13' is not a month of the form YYYY-MM"),
        (("--month", "2024-1"), "'2024-1' is not a month of the form YYYY-MM"),
        (("--year", "2027"), "Error: no funding rate for AFT 2027, VTA 2027"),
        (("--year", "2024", "--rate", "AFT"), "Error: --rate: 'AFT' is not PROGRAMME=NOK"),
        (("--year", "2024", "--rate", "AFT=1.5"), "--rate AFT=1.5: must be whole kroner above 0"),
        (("--year", "2024", "--rate", "aft=1"), "'aft' is not a programme code"),
        (("--year", "2024", "--programme", "XYZ"), "unknown programme 'XYZ': this period has"),
    ],
)
def test_bad_options_are_one_line_errors(
    sqlite_store: str, args: tuple[str, ...], message: str
) -> None:
    result = run(sqlite_store, "funding", *args)

    assert result.exit_code != 0
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[funding.rates]\n2024 = { AFT = 0 }\n", "funding.rates.2024.AFT: must be whole kroner"),
        ("[funding.rates]\n24 = { AFT = 1 }\n", "funding.rates.24: '24' is not a year"),
        ("[funding.rates]\n2024 = { aft = 1 }\n", "'aft' is not a programme code"),
        ("[funding]\nsats = 1\n", "funding.sats: unknown key (only rates is known)"),
        ("funding = 1\n", "funding: must be a table"),
        ("[funding.rates\n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_is_a_one_line_error_naming_the_file_and_key(
    sqlite_store: str, tmp_path: Path, config: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(config, encoding="utf-8")

    result = run(sqlite_store, "funding", "--year", "2024", "--config", str(path))

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: ")
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_configuration_that_is_not_utf8_is_a_one_line_error(
    sqlite_store: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes("[funding.rates]\n2024 = { AFT = 1 }\n".encode("utf-16"))

    result = run(sqlite_store, "funding", "--year", "2024", "--config", str(path))

    assert result.exit_code == 1
    assert result.output == f"Error: {path}: not UTF-8 (TOML files are UTF-8)\n"


def test_a_month_before_any_referral_or_allocation_has_nothing_to_fund(
    sqlite_url: str, tmp_path: Path
) -> None:
    later = tmp_path / "later.jsonl"
    later.write_text("\n".join(history_lines()[:1]) + "\n", encoding="utf-8")  # AFT, 2024
    assert run(sqlite_url, "import", str(later)).exit_code == 0

    result = run(sqlite_url, "funding", "--month", "2023-06", "--rate", "AFT=19500")

    assert result.exit_code == 0, result.output
    assert "No programme has a referral or an allocation in this period yet." in result.stdout


def test_a_missing_store_is_a_one_line_error_and_stays_missing(sqlite_url: str) -> None:
    result = run(sqlite_url, "funding", "--month", "2025-01")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no orbit store at ")
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_participant_keys_without_the_master_key_are_a_one_line_error(
    sqlite_store: str, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(sqlite_store.removeprefix("sqlite:///")).read_bytes())

    result = run(f"sqlite:///{copy}", "funding", "--month", "2024-06", "--by-participant")

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: master key file {copy}.key is missing")
    assert len(result.output.strip().splitlines()) == 1


CLOSURES = [
    # AFT closed 1-10 July 2024; everyone 15-16 July, registered in error and retracted.
    {"type": "ProviderClosed", "date": "2024-07-01",
     "data": {"until": "2024-07-10", "programme": "AFT"},
     "recorded_at": "2024-06-01T12:00:00Z", "id": "closed-1"},
    {"type": "ProviderClosed", "date": "2024-07-15", "data": {"until": "2024-07-16"},
     "recorded_at": "2024-06-02T12:00:00Z", "id": "closed-2"},
    {"type": "FactRetracted", "date": "2024-07-15", "data": {"retracts": "closed-2"},
     "recorded_at": "2024-08-01T12:00:00Z", "id": "closed-3"},
]  # fmt: skip


def test_the_stores_closures_are_deducted_and_a_retracted_one_only_before_its_retraction(
    store: str, tmp_path: Path
) -> None:
    closures = tmp_path / "closures.jsonl"
    closures.write_text("".join(json.dumps(line) + "\n" for line in CLOSURES), encoding="utf-8")
    assert run(store, "import", str(closures)).exit_code == 0

    now = funding_json(store, "--month", "2024-07")
    before_retraction = funding_json(
        store, "--month", "2024-07", "--known-at", "2024-07-20T00:00:00Z"
    )

    # P-1 is placed all of July at 100 %: 21 of 31 days, and 19 while 15-16 July counted.
    assert month_of(now, "AFT", "2024-07")["manedsverk"] == 0.67742
    assert month_of(before_retraction, "AFT", "2024-07")["manedsverk"] == 0.6129
    # VTA was closed only on the retracted days: P-2 (60 %, counted whole) lost two.
    assert month_of(now, "VTA", "2024-07")["manedsverk"] == 1.0
    assert month_of(before_retraction, "VTA", "2024-07")["manedsverk"] == 0.93548
