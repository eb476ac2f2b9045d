"""docs/reports.md's worked example of the organisation block is what orbit computes."""

from __future__ import annotations

import datetime as dt
import json

from orbit_adapters.service import Orbit
from orbit_domain.period import Period


def line(type_name: str, date: str, at: str, event_id: str, **data: object) -> str:
    fields = {"type": type_name, "date": date, "data": data, "recorded_at": f"{at}T09:00:00Z"}
    return json.dumps({**fields, "id": event_id})


EXAMPLE = [
    line("ComplaintReceived", "2024-02-05", "2024-02-06", "c-1", programme="VTA"),
    line("StaffTrainingRecorded", "2024-03-15", "2024-03-18", "t-1", days=12.5),
    line("ComplaintReceived", "2024-05-14", "2024-05-15", "c-2"),
    line("ProviderClosed", "2024-07-08", "2024-06-01", "s-1", until="2024-07-28"),
    line("ProviderClosed", "2024-12-23", "2024-06-01", "s-2", until="2025-01-01", programme="AFT"),
    line("FactRetracted", "2024-02-05", "2024-09-02", "r-1", retracts="c-1"),
    line("ComplaintReceived", "2024-02-05", "2024-09-02", "c-1b", programme="AFT"),
    line("StaffTrainingRecorded", "2024-11-20", "2024-11-21", "t-2", days=10, topic="veiledning"),
]


def test_the_organisation_worked_example_of_docs_reports_is_what_orbit_computes() -> None:
    with Orbit.open("sqlite://") as orbit:
        orbit.import_lines(EXAMPLE)
        year = orbit.report(Period.year(2024)).to_json_dict()["organisation"]
        before = orbit.report(
            Period.year(2024), known_at=dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
        ).to_json_dict()["organisation"]
        next_year = orbit.report(Period.year(2025)).to_json_dict()["organisation"]

    assert year == {
        "complaints": 2,
        "complaints_by_programme": {"AFT": 1, "none": 1},
        "staff_training_days": 22.5,
        "closures": [
            {"from": "2024-07-08", "until": "2024-07-28", "programme": None},
            {"from": "2024-12-23", "until": "2024-12-31", "programme": "AFT"},
        ],
    }
    assert (before["complaints_by_programme"], before["staff_training_days"]) == (
        {"VTA": 1, "none": 1},
        12.5,
    )
    assert next_year["closures"] == [
        {"from": "2025-01-01", "until": "2025-01-01", "programme": "AFT"}
    ]
