"""A store written by a newer orbit, holding an event type this orbit does not know."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from orbit_cli.main import cli
from privacy_journeys import journey


def test_a_report_over_an_event_type_this_orbit_does_not_know_is_one_line(
    tmp_path: Path,
) -> None:
    database = tmp_path / "orbit.db"
    store = f"sqlite:///{database}"
    source = "".join(f"{line}\n" for line in journey("N-1", "n"))
    assert CliRunner().invoke(cli, ["--store", store, "import", "-"], input=source).exit_code == 0
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE orbit_events SET type = 'ParticipantPromoted' WHERE event_id = 'n-2'"
        )

    result = CliRunner().invoke(cli, ["--store", store, "report", "--year", "2024"])

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the store holds events of type 'ParticipantPromoted', which this orbit does "
        "not know: a newer orbit wrote them, so upgrade orbit to read this store\n"
    )
