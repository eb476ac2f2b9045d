"""The fingerprint's hot loop builds each canonical line by hand: it must be the line the
definition (docs/audit.md) builds with a JSON encoder, whatever the ids and moments."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from orbit_adapters.read_model.fingerprint import FINGERPRINT_START, Fingerprint
from orbit_adapters.store.rows import ORGANISATION_STREAM, ReplayRow

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _recorded_at(microseconds: int) -> str:
    moment = EPOCH + dt.timedelta(microseconds=microseconds)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond:06d}Z" if moment.microsecond else "Z")


def _by_definition(rows: list[ReplayRow]) -> str:
    chain = FINGERPRINT_START
    first_of: dict[str, str] = {}
    for _, stream, _, event_id, event_type, date, recorded_us, data in rows:
        line: dict[str, object] = {"type": event_type}
        if stream != ORGANISATION_STREAM:
            line["stream"] = first_of.setdefault(stream, event_id)
        line["date"] = date
        if data != "{}":
            line["data"] = json.loads(data)
        line["recorded_at"] = _recorded_at(recorded_us)
        line["id"] = event_id
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        chain = hashlib.sha256(chain + text.encode() + b"\n").digest()
    return chain.hex()


ODD_IDS = ['quote"d', "back\\slash", "blå", "tab\there", "line\u2028separator"]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_a_page_with_one_id_that_needs_escaping_chains_the_defined_lines(odd: str) -> None:
    rows: list[ReplayRow] = [
        (1, "s-1", 1, "a-1", "ParticipantReferred", "2024-01-02", 1_704_153_600_000_000, "{}"),
        (2, "s-1", 2, odd, "Waitlisted", "2024-01-03", 1_704_240_000_000_001, "{}"),
        (3, ORGANISATION_STREAM, 1, "o-1", "SeatsAllocated", "2024-01-01", 59_999_999,
         '{"programme":"AFT","seats":12}'),
        (4, "s-2", 1, odd + "-first", "ParticipantReferred", "2024-02-01", 86_399_000_000, "{}"),
        (5, "s-2", 2, "plain", "Waitlisted", "2024-02-02", 1_706_832_000_500_000, "{}"),
    ]  # fmt: skip
    whole_page, row_by_row = Fingerprint(), Fingerprint()

    whole_page.add_rows(rows)
    for row in rows:
        row_by_row.add_rows([row])

    assert whole_page.hexdigest() == row_by_row.hexdigest() == _by_definition(rows)
    assert whole_page.events == len(rows)


def test_moments_before_1970_are_written_as_the_definition_writes_them() -> None:
    rows: list[ReplayRow] = [(1, "s", 1, "e", "ParticipantReferred", "1969-12-31", -1, "{}")]
    fingerprint = Fingerprint()

    fingerprint.add_rows(rows)

    assert fingerprint.hexdigest() == _by_definition(rows)
