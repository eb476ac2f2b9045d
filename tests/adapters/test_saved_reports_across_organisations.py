"""A warm report across organisations reads every organisation's saved tallies at once,
and trusts none of them beyond the checks a single organisation's are held to."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from orbit_adapters.service import Orbit
from orbit_adapters.store.schema import checkpoints_table
from orbit_domain.period import Period

SAMPLE_LINES = (
    (Path(__file__).parent.parent / "conformance" / "data" / "sample-events.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
)
ORGANISATIONS = ("north", "south", "west")


def _store_of_three(url: str) -> Orbit:
    for organisation in ORGANISATIONS:
        with Orbit.open(url, organisation=organisation) as orbit:
            orbit.import_lines(SAMPLE_LINES)
    return Orbit.open(url, organisation=ORGANISATIONS[0])


def _events_read(orbit: Orbit) -> int:
    read: list[int] = []
    orbit.report_all_organisations(Period.year(2024), progress=read.append)
    return sum(read)


def test_organisation_names_are_every_organisation_in_name_order(store_url: str) -> None:
    with _store_of_three(store_url) as orbit:
        assert orbit._store.organisation_names() == sorted(orbit._store.organisations())
        assert orbit._store.organisation_names() == list(ORGANISATIONS)


def test_an_empty_store_has_no_organisation_names(sqlite_url: str) -> None:
    with Orbit.open(sqlite_url) as orbit:
        assert orbit._store.organisation_names() == []


def test_a_warm_report_across_organisations_reads_no_event(store_url: str) -> None:
    with _store_of_three(store_url) as orbit:
        cold = orbit.report_all_organisations(Period.year(2024), rebuild=True)

        assert _events_read(orbit) == 0
        assert orbit.report_all_organisations(Period.year(2024)) == cold


@pytest.mark.parametrize(
    "damage",
    [
        {"state": b"\x00broken"},  # the digest no longer matches
        {"anchor": "another-event"},  # as if the store were replaced
        {"position": 1},  # made from fewer events than are stored now
    ],
    ids=["digest", "anchor", "position"],
)
def test_saved_tallies_that_fail_a_check_are_not_used_but_made_again(
    sqlite_url: str, damage: dict[str, object]
) -> None:
    with _store_of_three(sqlite_url) as orbit:
        cold = orbit.report_all_organisations(Period.year(2024), rebuild=True)
        with orbit._store.engine.begin() as connection:
            connection.execute(
                update(checkpoints_table)
                .where(
                    checkpoints_table.c.organisation == "south",
                    checkpoints_table.c.name.startswith("tallies:"),
                )
                .values(**damage)
            )

        assert orbit.report_all_organisations(Period.year(2024)) == cold
        assert _events_read(orbit) == 0  # made again, so the next report is warm
