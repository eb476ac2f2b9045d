"""A participant journey whose events carry personal fields, for the privacy tests."""

from __future__ import annotations

import json

PERSONAL_VALUES = ("Hammerfest", "Nav Alta", "1981", "Snekkeri", "Rema Alta", "Tromsø", "sykdom")


def line(event_type: str, participant: str, date: str, event_id: str, **data: object) -> str:
    return json.dumps(
        {
            "type": event_type,
            "participant": participant,
            "date": date,
            "data": data,
            "recorded_at": f"{date}T10:00:00Z",
            "id": event_id,
        }
    )


def journey(participant: str, prefix: str) -> list[str]:
    """A whole 2024 journey carrying every personal field but ``reason``."""
    return [
        line(
            "ParticipantReferred",
            participant,
            "2024-01-02",
            f"{prefix}-1",
            programme="AFT",
            birth_year=1981,
            municipality="Hammerfest",
            referred_by="Nav Alta",
        ),
        line("PlacementStarted", participant, "2024-01-10", f"{prefix}-2", department="Snekkeri"),
        line("HospiteringStarted", participant, "2024-02-01", f"{prefix}-3", employer="Rema Alta"),
        line("HospiteringEnded", participant, "2024-03-01", f"{prefix}-4"),
        line(
            "ParticipantExited",
            participant,
            "2024-04-30",
            f"{prefix}-5",
            outcome="work_unsubsidised",
            note="flyttet til Tromsø",
        ),
    ]
