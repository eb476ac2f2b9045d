"""Privacy by design (issue 6): no personal data in the store's files, erasure that keeps
every statistic, and a master key that can be wrong, missing, rotated or half-rotated."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Table, create_engine, inspect, select, update

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.privacy import crypto, keyring
from orbit_adapters.privacy.master_key import KeyFileError, MasterKey
from orbit_adapters.service import Forgotten, Orbit, UnknownParticipantError
from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.schema import (
    erasures_table,
    events_table,
    keyring_table,
    participants_table,
)
from orbit_domain.period import Period
from privacy_journeys import journey, line

# Listed here rather than taken from orbit_domain.privacy, so that a field dropped from
# the domain's list by mistake makes these tests fail.
PERSONAL = frozenset(
    {"birth_year", "municipality", "referred_by", "department", "employer", "note", "reason"}
)
SCANNED_FIELDS = PERSONAL - {"birth_year"}  # a year's four digits are no evidence of a leak
FORGOTTEN = re.compile(r"forgotten-[0-9a-f]{32}")
NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
STAMP = "20250601T120000Z"
PERIODS = (
    Period.year(2024),
    Period.year(2023),
    Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)),
    Period(dt.date(2024, 2, 10), dt.date(2024, 2, 20)),
)
KNOWN_AT = (
    None,
    dt.datetime(2024, 6, 30, tzinfo=dt.UTC),
    dt.datetime(2020, 1, 1, tzinfo=dt.UTC),  # before the sample's first recorded_at
    NOW + dt.timedelta(days=1),  # after the erasure
)
ALL_TABLES = (events_table, participants_table, keyring_table, erasures_table)


def clock() -> dt.datetime:
    return NOW


def sample_events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines() if text]


def lines_of(events: list[dict[str, Any]], participant: str) -> list[int]:
    """The 1-based line numbers of ``participant``'s events."""
    return [n for n, event in enumerate(events, 1) if event.get("participant") == participant]


def raw_rows(url: str, table: Table) -> list[tuple[Any, ...]]:
    """Every row of ``table`` as the database holds it, read past orbit."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(select(table).order_by(*table.c))]
    finally:
        engine.dispose()


def column_index(table: Table, name: str) -> int:
    return list(table.c.keys()).index(name)


def all_raw_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    return {table.name: raw_rows(url, table) for table in ALL_TABLES}


def flip_a_byte_of_personal_data(url: str, event_id: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            where = events_table.c.event_id == event_id
            sealed = connection.execute(select(events_table.c.personal).where(where)).scalar_one()
            altered = bytearray(sealed)
            altered[len(altered) // 2] ^= 0x01
            connection.execute(update(events_table).where(where).values(personal=bytes(altered)))
    finally:
        engine.dispose()


def retired_keys(key_file: Path) -> set[str]:
    return {path.read_text() for path in key_file.parent.glob(f"{key_file.name}.retired-*")}


# ---------------------------------------------------------------- nothing personal in the files


@pytest.fixture
def seeded_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys, nonces and stream ids from a seeded generator, so the store's bytes are the
    same on every run: the sample's three-byte value "Nes" would otherwise turn up by
    chance in the 60 kB of ciphertext on roughly one run in two hundred. The cipher is real."""
    generator = random.Random(6)
    monkeypatch.setattr(crypto, "os", SimpleNamespace(urandom=generator.randbytes))
    monkeypatch.setattr(
        crypto, "secrets", SimpleNamespace(token_hex=lambda n: generator.randbytes(n).hex())
    )


@pytest.mark.usefixtures("seeded_randomness")
def _needle(secret: str) -> bytes:
    """What a leak of ``secret`` would put in a file. A given three bytes turn up by chance
    in the store's random bytes (about 150 KB of ciphertext, keys and digests) about once
    in a hundred imports of the sample, so a value that short ("Nes") is looked for as
    the JSON string orbit would have written; four bytes and more as they are."""
    encoded = secret.encode()
    return json.dumps(secret, ensure_ascii=False).encode() if len(encoded) < 4 else encoded


def test_no_participant_key_or_personal_value_is_in_any_file_of_the_store(
    sqlite_url: str, sample_path: Path, tmp_path: Path
) -> None:
    events = sample_events(sample_path)
    keys = {event["participant"] for event in events if "participant" in event}
    values = {
        event["data"][name]
        for event in events
        for name in SCANNED_FIELDS
        if name in event.get("data", {})
    }
    assert len(keys) == 250
    assert {"Ullensaker", "Nes", "Kiwi", "declined"} <= values
    secrets = [_needle(secret) for secret in sorted(keys | values)]
    forgotten = ["P-100119", "P-100002", "P-100013"]

    def files() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted(tmp_path.iterdir())}

    def found(needles: list[bytes]) -> list[tuple[str, bytes]]:
        contents = files()
        return [
            (name, needle) for needle in needles for name in contents if needle in contents[name]
        ]

    with Orbit.open(sqlite_url, clock=clock) as orbit:
        orbit.import_file(sample_path)
        assert {"orbit.db", "orbit.db-wal", "orbit.db.key"} <= set(files())
        # The scan does see what is stored in the clear: the events' ids.
        assert len(found([events[0]["id"].encode(), events[-1]["id"].encode()])) >= 2
        assert found(secrets) == []

        entries_before = raw_rows(sqlite_url, participants_table)
        for key in forgotten:
            orbit.forget(key, reason="asked to be forgotten")
        erased = set(entries_before) - set(raw_rows(sqlite_url, participants_table))
        # A forgotten participant's wrapped data key and sealed key: gone from every
        # file (the WAL included), not just from the table.
        erased_entries = [
            bytes(row[column_index(participants_table, name)])
            for row in erased
            for name in ("data_key", "participant")
        ]
        assert len(erased_entries) == 2 * len(forgotten)

        assert found(secrets) == []
        assert found(erased_entries) == []

    with Orbit.open(sqlite_url, clock=clock) as reopened:
        exported = "\n".join(reopened.export_lines())
        assert "Ullensaker" in exported  # the others' personal data still opens
        assert found(secrets) == []
        assert found(erased_entries) == []


# ---------------------------------------------------------------- erasure keeps every statistic


def chosen_for_erasure(events: list[dict[str, Any]]) -> list[str]:
    """Three participants who exited in 2024 and three others who had a hospitering."""
    exited_2024 = sorted(
        {
            e["participant"]
            for e in events
            if e["type"] == "ParticipantExited" and e["date"].startswith("2024")
        }
    )
    hospitering = sorted(
        {e["participant"] for e in events if e["type"] == "HospiteringStarted"} - set(exited_2024)
    )
    return exited_2024[:3] + hospitering[:3]


def all_reports(orbit: Orbit) -> dict[tuple[Period, dt.datetime | None], dict[str, Any]]:
    return {
        (period, known_at): orbit.report(period, known_at=known_at).to_json_dict()
        for period in PERIODS
        for known_at in KNOWN_AT
    }


def test_forgetting_participants_changes_no_report_and_no_fingerprint(
    store_url: str, sample_path: Path
) -> None:
    events = sample_events(sample_path)
    forgotten = chosen_for_erasure(events)
    theirs = [e for e in events if e.get("participant") in forgotten]
    assert any(e["date"].startswith("2024") for e in theirs)
    assert {"employer", "municipality"} <= {name for e in theirs for name in e.get("data", {})}

    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_file(sample_path)
        reports_before = all_reports(orbit)
        fingerprints_before = {
            (period.end, known_at): report["fingerprint"]
            for (period, known_at), report in reports_before.items()
        }
        export_before = list(orbit.export_lines())

        erased = {key: orbit.forget(key, reason="erasure request") for key in forgotten}

        assert erased == {key: Forgotten(len(lines_of(events, key))) for key in forgotten}
        assert all_reports(orbit) == reports_before
        assert {
            (until, known_at): orbit.fingerprint(until=until, known_at=known_at)
            for until, known_at in fingerprints_before
        } == fingerprints_before
        export_after = list(orbit.export_lines())

    # Not a comparison of empty reports: 2024's replays events, the one before any has none.
    year_2024 = reports_before[(Period.year(2024), None)]
    assert year_2024["events_replayed"] > 0
    assert reports_before[(Period.year(2024), KNOWN_AT[2])]["events_replayed"] == 0

    text_after = "\n".join(export_after)
    assert [key for key in forgotten if key in text_after] == []
    assert len(export_after) == len(export_before)
    pseudonyms: dict[str, set[str]] = {key: set() for key in forgotten}
    for before_text, after_text in zip(export_before, export_after, strict=True):
        before, after = json.loads(before_text), json.loads(after_text)
        if before.get("participant") not in forgotten:
            assert after_text == before_text
            continue
        assert FORGOTTEN.fullmatch(after["participant"])
        pseudonyms[before["participant"]].add(after["participant"])
        assert after.get("data", {}) == {
            name: value for name, value in before.get("data", {}).items() if name not in PERSONAL
        }
        envelope = ("type", "date", "recorded_at", "id")
        assert [after[name] for name in envelope] == [before[name] for name in envelope]
    assert all(len(names) == 1 for names in pseudonyms.values())
    assert len(set.union(*pseudonyms.values())) == len(forgotten)


# ---------------------------------------------------------------- the master key file


def test_a_sqlite_store_gets_its_key_file_beside_it_readable_by_its_owner_only(
    sqlite_url: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "orbit.db.key"
    assert not key_file.exists()

    with Orbit.open(sqlite_url) as orbit:
        assert orbit.key_file == key_file
    content = key_file.read_text()
    with Orbit.open(sqlite_url) as again:
        again.import_lines(journey("K-1", "k"))

    assert key_file.stat().st_mode & 0o777 == 0o600
    assert content.startswith("orbit-master-key/1 ")
    assert key_file.read_text() == content


def test_an_in_memory_store_works_without_any_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ORBIT_KEY_FILE", raising=False)

    with Orbit.open("sqlite://") as orbit:
        orbit.import_lines(journey("M-1", "m"))
        exported = list(orbit.export_lines())
        forgotten = orbit.forget("M-1")
        with pytest.raises(KeyFileError, match=r"^an in-memory store's key cannot be rotated$"):
            orbit.rotate_master_key()
        after = list(orbit.export_lines())

    assert json.loads(exported[0])["data"]["municipality"] == "Hammerfest"
    assert forgotten == Forgotten(5)
    assert FORGOTTEN.fullmatch(json.loads(after[0])["participant"])
    assert list(tmp_path.iterdir()) == []


def test_a_store_opened_with_another_stores_key_file_is_refused_and_left_untouched(
    store_url: str, tmp_path: Path
) -> None:
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(journey("W-1", "w"))
        assert orbit.key_file is not None
        own_key = orbit.key_file
    other_key = tmp_path / "elsewhere" / "other.db.key"
    other_key.parent.mkdir()
    Orbit.open(f"sqlite:///{other_key.parent / 'other.db'}", key_file=other_key).close()
    rows_before = all_raw_rows(store_url)
    files_before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}

    with pytest.raises(KeyFileError) as refused:
        Orbit.open(store_url, key_file=other_key)

    assert re.fullmatch(
        rf"{re.escape(str(other_key))} is not the master key of "
        r"(SQLite file .*orbit\.db|postgresql database '.*' on .*)",
        str(refused.value),
    )
    assert all_raw_rows(store_url) == rows_before
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files_before
    with Orbit.open(store_url) as orbit:  # its own key still opens it
        assert orbit.key_file == own_key
        assert len(list(orbit.export_lines())) == 5


def test_a_store_whose_key_file_is_gone_names_the_missing_file_and_makes_no_new_key(
    store_url: str,
) -> None:
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(journey("G-1", "g"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
    key_file.unlink()
    rows_before = all_raw_rows(store_url)

    with pytest.raises(KeyFileError) as refused:
        Orbit.open(store_url)

    assert str(refused.value).startswith(f"master key file {key_file} is missing: ")
    assert "pass --key-file or set ORBIT_KEY_FILE" in str(refused.value)
    assert not key_file.exists()
    assert all_raw_rows(store_url) == rows_before


@pytest.mark.postgres
def test_a_postgresql_store_without_a_key_file_asks_for_key_file_or_orbit_key_file(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORBIT_KEY_FILE")

    with pytest.raises(KeyFileError) as refused:
        Orbit.open(postgres_url)

    assert "needs the path of its master key file: pass --key-file or set ORBIT_KEY_FILE" in str(
        refused.value
    )
    engine = create_engine(postgres_url)
    try:
        assert inspect(engine).get_table_names() == []  # refused before creating anything
    finally:
        engine.dispose()


# ---------------------------------------------------------------- rotation


def test_rotating_the_master_key_rewraps_the_keys_and_leaves_every_event_as_it_was(
    store_url: str,
) -> None:
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(text for n in range(40) for text in journey(f"J-{n}", f"j{n}"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
        old_key = key_file.read_text()
        export_before = list(orbit.export_lines())
        events_before = raw_rows(store_url, events_table)
        entries_before = raw_rows(store_url, participants_table)

        retired = orbit.rotate_master_key()

        assert list(orbit.export_lines()) == export_before
    assert retired == key_file.with_name(f"{key_file.name}.retired-{STAMP}")
    assert retired.read_text() == old_key
    assert key_file.read_text() != old_key
    assert [path.stat().st_mode & 0o777 for path in (key_file, retired)] == [0o600, 0o600]
    assert not key_file.with_name(f"{key_file.name}.new").exists()
    assert raw_rows(store_url, events_table) == events_before
    entries_after = raw_rows(store_url, participants_table)
    assert len(entries_after) == 40
    data_key = column_index(participants_table, "data_key")
    assert [row[:data_key] for row in entries_after] == [row[:data_key] for row in entries_before]
    assert {row[data_key] for row in entries_after}.isdisjoint(
        row[data_key] for row in entries_before
    )
    with Orbit.open(store_url) as reopened:
        assert list(reopened.export_lines()) == export_before
    with pytest.raises(KeyFileError, match="is not the master key of"):
        Orbit.open(store_url, key_file=retired)


def test_rotating_from_one_organisation_rewraps_every_organisations_keys(store_url: str) -> None:
    with Orbit.open(store_url, organisation="south") as south:
        south.import_lines(journey("S-1", "s"))
        south_before = list(south.export_lines())
    with Orbit.open(store_url, organisation="north", clock=clock) as north:
        north.import_lines(journey("N-1", "n"))
        north.rotate_master_key()

    with Orbit.open(store_url, organisation="south") as south:
        assert list(south.export_lines()) == south_before
        assert south.forget("S-1") == Forgotten(5)


@pytest.mark.parametrize("failing_rename", [1, 2], ids=["old key not retired", "new key not moved"])
def test_a_rotation_interrupted_after_its_commit_still_opens_and_the_next_completes_it(
    store_url: str, monkeypatch: pytest.MonkeyPatch, failing_rename: int
) -> None:
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(journey("I-1", "i"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
        old_key = key_file.read_text()
        export_before = list(orbit.export_lines())
        with monkeypatch.context() as patch:
            patch.setattr(keyring, "_move", crashing_on_call(failing_rename, keyring._move))
            with pytest.raises(OSError, match="simulated crash"):
                orbit.rotate_master_key()
    pending = key_file.with_name(f"{key_file.name}.new")
    new_key = pending.read_text()
    assert new_key != old_key

    with Orbit.open(store_url) as reopened:  # the committed key is found where it waits
        assert list(reopened.export_lines()) == export_before
    with Orbit.open(store_url) as rotating:
        rotating.rotate_master_key()
    assert not pending.exists()
    assert {old_key, new_key} <= retired_keys(key_file)
    with Orbit.open(store_url) as again:
        assert list(again.export_lines()) == export_before


def crashing_on_call(failing: int, move: Callable[[Path, Path], None]) -> Callable[..., None]:
    calls = 0

    def crash_or_move(source: Path, target: Path) -> None:
        nonlocal calls
        calls += 1
        if calls == failing:
            raise OSError("simulated crash")
        move(source, target)

    return crash_or_move


@pytest.mark.parametrize("how", ["the re-wrap failed", "it died before re-wrapping"])
def test_a_rotation_that_never_committed_keeps_the_old_key_and_the_next_drops_its_new_one(
    store_url: str, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    original_rewrap = keyring._rewrap
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(journey("U-1", "u"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
        old_key = key_file.read_text()
        export_before = list(orbit.export_lines())
        rows_before = all_raw_rows(store_url)
        pending = key_file.with_name(f"{key_file.name}.new")
        if how == "the re-wrap failed":
            monkeypatch.setattr(keyring, "_rewrap", rewrap_then_crash(keyring._rewrap))
            with pytest.raises(RuntimeError, match="simulated crash"):
                orbit.rotate_master_key()
        else:
            MasterKey.generate().write(pending)
    assert pending.exists()
    assert all_raw_rows(store_url) == rows_before

    with Orbit.open(store_url) as reopened:
        assert list(reopened.export_lines()) == export_before
    assert key_file.read_text() == old_key
    assert retired_keys(key_file) == set()
    # Opening never deletes a key file (a rotation may be running elsewhere); the next
    # rotation, holding the write lock, knows the leftover is stale and replaces it.
    monkeypatch.setattr(keyring, "_rewrap", original_rewrap)
    with Orbit.open(store_url) as rotating:
        rotating.rotate_master_key()
    assert not pending.exists()
    with Orbit.open(store_url) as reopened:
        assert list(reopened.export_lines()) == export_before


def rewrap_then_crash(rewrap: Callable[..., None]) -> Callable[..., None]:
    def crash_before_commit(*arguments: Any) -> None:
        rewrap(*arguments)
        raise RuntimeError("simulated crash")

    return crash_before_commit


def test_a_store_opened_while_a_rotation_runs_does_not_lose_the_new_master_key(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrap = keyring._rewrap
    openers: list[threading.Thread] = []

    def rewrap_while_another_process_opens_the_store(*arguments: Any) -> None:
        opener = threading.Thread(target=lambda: Orbit.open(store_url).close())
        openers.append(opener)
        opener.start()
        opener.join(timeout=5)  # a fix may make the opener wait for the rotation instead
        rewrap(*arguments)

    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(journey("R-1", "r"))
        export_before = list(orbit.export_lines())
        monkeypatch.setattr(keyring, "_rewrap", rewrap_while_another_process_opens_the_store)
        orbit.rotate_master_key()
    for opener in openers:
        opener.join()

    with Orbit.open(store_url) as reopened:
        assert list(reopened.export_lines()) == export_before


def test_two_rotations_in_one_second_keep_the_key_that_opens_an_older_backup(
    sqlite_url: str, tmp_path: Path
) -> None:
    with Orbit.open(sqlite_url, clock=clock) as orbit:
        orbit.import_lines(journey("B-1", "b"))
        assert orbit.key_file is not None
        key_file = orbit.key_file
        export_before = list(orbit.export_lines())
    backup = tmp_path / "backup" / "orbit.db"
    backup.parent.mkdir()
    shutil.copyfile(tmp_path / "orbit.db", backup)

    with Orbit.open(sqlite_url, clock=clock) as orbit:
        orbit.rotate_master_key()
        orbit.rotate_master_key()

    exports = []
    for retired in sorted(key_file.parent.glob(f"{key_file.name}.retired-*")):
        try:
            with Orbit.open(f"sqlite:///{backup}", key_file=retired) as restored:
                exports.append(list(restored.export_lines()))
        except KeyFileError:
            continue
    assert exports == [export_before]


# ---------------------------------------------------------------- forgetting


def test_forgetting_twice_does_nothing_the_second_time_and_says_when_it_happened(
    store_url: str,
) -> None:
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(journey("T-1", "t") + journey("T-2", "u"))

        first = orbit.forget("T-1", reason="asked by the participant")
        export_after_first = list(orbit.export_lines())
        second = orbit.forget("T-1", reason="asked again")

        assert list(orbit.export_lines()) == export_after_first
    assert first == Forgotten(5)
    assert second == Forgotten(5, already_on="2025-06-01")
    erasures = raw_rows(store_url, erasures_table)
    reason = column_index(erasures_table, "reason")
    assert [row[reason] for row in erasures] == ["asked by the participant"]


def test_forgetting_an_unknown_participant_is_a_clear_error_and_changes_nothing(
    store_url: str,
) -> None:
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_lines(journey("T-1", "t"))
        rows_before = all_raw_rows(store_url)

        with pytest.raises(UnknownParticipantError) as unknown:
            orbit.forget("T-404")

    assert str(unknown.value) == "no participant T-404 in organisation default"
    assert all_raw_rows(store_url) == rows_before


def test_forgetting_in_one_organisation_leaves_the_same_key_in_another_intact(
    store_url: str,
) -> None:
    lines = journey("O-1", "o")
    only_in_south = line("ParticipantReferred", "S-1", "2024-06-01", "s-1", programme="VTA")
    with Orbit.open(store_url, organisation="south") as south:
        south.import_lines([*lines, only_in_south])
        south_before = list(south.export_lines())
    with Orbit.open(store_url, organisation="north", clock=clock) as north:
        north.import_lines(lines)

        assert north.forget("O-1") == Forgotten(5)
        north_after = [json.loads(text) for text in north.export_lines()]
        with pytest.raises(
            UnknownParticipantError, match=r"^no participant S-1 in organisation north$"
        ):
            north.forget("S-1")

    assert all(FORGOTTEN.fullmatch(event["participant"]) for event in north_after)
    with Orbit.open(store_url, organisation="south", clock=clock) as south:
        assert list(south.export_lines()) == south_before
        assert json.loads(south_before[0])["data"]["municipality"] == "Hammerfest"
        assert south.forget("O-1") == Forgotten(5)  # not "already forgotten"


def test_reimporting_a_forgotten_participants_events_is_refused_and_allowed_only_as_a_new_stream(
    store_url: str, sample_path: Path
) -> None:
    events = sample_events(sample_path)
    participant = "P-100021"  # a journey still open at the end of the sample
    assert not any(
        e["type"] in {"ParticipantExited", "ReferralWithdrawn"}
        for e in events
        if e.get("participant") == participant
    )
    theirs = lines_of(events, participant)
    with Orbit.open(store_url, clock=clock) as orbit:
        orbit.import_file(sample_path)
        orbit.forget(participant)
        rows_before = all_raw_rows(store_url)

        with pytest.raises(ImportRejectedError) as rejected:
            orbit.import_file(sample_path)

        assert rejected.value.total == len(theirs) == 36
        assert [problem.line for problem in rejected.value.problems] == theirs
        for problem in rejected.value.problems:
            assert "this participant was forgotten on 2025-06-01" in problem.message
        assert all_raw_rows(store_url) == rows_before

        referral = line(
            "ParticipantReferred", participant, "2025-05-02", "again-1", programme="VTA"
        )
        with pytest.raises(ImportRejectedError):
            orbit.import_lines([referral])
        with pytest.raises(ImportRejectedError) as old_ids:
            orbit.import_file(sample_path, allow_forgotten="came back")
        assert "is stored for a participant who has been forgotten" in str(
            old_ids.value.problems[0]
        )
        assert all_raw_rows(store_url) == rows_before
        result = orbit.import_lines([referral], allow_forgotten="came back in May")
        exported = [json.loads(text) for text in orbit.export_lines()]

    assert (result.stored, result.already_stored) == (1, 0)
    assert exported[-1]["participant"] == participant
    assert exported[-1]["id"] == "again-1"
    old_stream = {e["participant"] for e in exported if e["id"] == events[theirs[0] - 1]["id"]}
    assert len(old_stream) == 1
    assert FORGOTTEN.fullmatch(old_stream.pop())
    assert sum(e.get("participant") == participant for e in exported) == 1


# ---------------------------------------------------------------- messages and tampering


def test_a_rejected_import_names_participant_and_line_but_no_personal_value(
    sqlite_url: str,
) -> None:
    personal_values = [
        "Hammerfest",
        "Nav Alta",
        "1981",
        "Snekkeri",
        "Rema Alta",
        "Tromsø",
        "sykdom",
    ]
    lines = [
        *journey("V-1", "v")[:2],
        line(
            "ParticipantReferred",
            "V-1",
            "2024-02-01",
            "v-3",
            programme="VTA",
            municipality="Hammerfest",
            referred_by="Nav Alta",
        ),
        line("PlacementStarted", "V-2", "2024-01-10", "x-1", department="Snekkeri"),
        line("HospiteringStarted", "V-3", "2024-02-01", "x-2", employer="Rema Alta"),
        line(
            "ParticipantExited",
            "V-4",
            "2024-04-30",
            "x-3",
            outcome="vto",
            note="flyttet til Tromsø",
        ),
        line("ReferralWithdrawn", "V-1", "2024-05-01", "v-9", reason="sykdom i familien"),
        line("ParticipantReferred", "V-5", "2024-01-02", "x-4", programme="AFT", birth_year="1981"),
    ]

    with Orbit.open(sqlite_url) as orbit, pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines(lines)

    problems = [str(problem) for problem in rejected.value.problems]
    assert problems == [
        "line 3: ParticipantReferred for V-1: a journey is already open",
        "line 4: PlacementStarted for V-2: no open journey",
        "line 5: HospiteringStarted for V-3: no open journey",
        "line 6: ParticipantExited for V-4: no open journey",
        "line 7: ReferralWithdrawn for V-1: already placed",
        "line 8: ParticipantReferred for V-5: field 'data.birth_year' must be an integer",
    ]
    assert [value for value in personal_values if value in "\n".join(problems)] == []


def test_a_tampered_personal_value_fails_the_export_with_a_clear_error_but_not_a_report(
    store_url: str,
) -> None:
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(journey("A-1", "a"))
        report_before = orbit.report(Period.year(2024))
    flip_a_byte_of_personal_data(store_url, "a-3")

    with Orbit.open(store_url) as orbit:
        with pytest.raises(StoreError) as altered:
            list(orbit.export_lines())
        assert orbit.report(Period.year(2024)) == report_before

    assert (
        str(altered.value) == "the personal data of event a-3 does not open: the store was altered"
    )
