"""`orbit import A.jsonl B.jsonl ...` or a folder: one process, each file all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from orbit_cli.main import cli


def referral(key: str, event_id: str) -> str:
    return json.dumps(
        {
            "type": "ParticipantReferred",
            "participant": key,
            "date": "2025-01-02",
            "data": {"programme": "AFT"},
            "recorded_at": "2025-01-02T10:00:00Z",
            "id": event_id,
        }
    )


def placement_without_referral(key: str) -> str:
    return json.dumps(
        {
            "type": "PlacementStarted",
            "participant": key,
            "date": "2025-01-03",
            "recorded_at": "2025-01-03T10:00:00Z",
        }
    )


def write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args])


def exported_ids(store: str) -> list[str]:
    result = run(store, "export")
    assert result.exit_code == 0, result.output
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_several_files_are_imported_in_order_with_a_line_each_and_a_summary(
    sqlite_url: str, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.jsonl", referral("A-1", "a-1"), referral("A-2", "a-2"))
    second = write(tmp_path / "b.jsonl", referral("B-1", "b-1"))
    again = write(tmp_path / "c.jsonl", referral("A-1", "a-1"))

    result = run(sqlite_url, "import", str(first), str(second), str(again))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{first}: stored 2 events, 0 already stored",
        f"{second}: stored 1 event, 0 already stored",
        f"{again}: stored 0 events, 1 already stored",
        "3 files of 3 imported: stored 3 events, 1 already stored",
    ]
    assert exported_ids(sqlite_url) == ["a-1", "a-2", "b-1"]


def test_a_folder_stands_for_its_jsonl_files_by_name(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "02.jsonl", referral("B-1", "b-1"))
    write(folder / "01.jsonl", referral("A-1", "a-1"))
    write(folder / "notes.txt", "not events")

    result = run(sqlite_url, "import", str(folder))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"{folder / '01.jsonl'}: stored 1 event, 0 already stored",
        f"{folder / '02.jsonl'}: stored 1 event, 0 already stored",
    ]
    assert exported_ids(sqlite_url) == ["a-1", "b-1"]


def test_a_rejected_file_stores_nothing_names_file_and_line_and_later_files_still_import(
    sqlite_url: str, tmp_path: Path
) -> None:
    good = write(tmp_path / "a.jsonl", referral("A-1", "a-1"))
    bad = write(tmp_path / "b.jsonl", referral("B-1", "b-1"), placement_without_referral("B-2"))
    later = write(tmp_path / "c.jsonl", referral("C-1", "c-1"))

    result = run(sqlite_url, "import", str(good), str(bad), str(later))

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{good}: stored 1 event, 0 already stored",
        f"{later}: stored 1 event, 0 already stored",
    ]
    assert result.stderr.splitlines() == [
        f"{bad}: line 2: PlacementStarted for B-2: no open journey",
        f"{bad}: 1 bad line; nothing was stored",
        "Error: 2 files of 3 imported: stored 2 events, 0 already stored; "
        f"1 file rejected, nothing of it stored: {bad}",
    ]
    assert exported_ids(sqlite_url) == ["a-1", "c-1"]


def test_when_every_file_is_rejected_no_store_is_left_behind(
    sqlite_url: str, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.jsonl", "not json")
    second = write(tmp_path / "b.jsonl", placement_without_referral("B-1"))

    result = run(sqlite_url, "import", str(first), str(second))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: 0 files of 2 imported: stored 0 events, 0 already stored; "
        f"2 files rejected, nothing of them stored: {first}, {second}"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.jsonl", "b.jsonl"]


def test_a_missing_file_stops_the_command_before_anything_is_imported(
    sqlite_url: str, tmp_path: Path
) -> None:
    good = write(tmp_path / "a.jsonl", referral("A-1", "a-1"))
    missing = tmp_path / "nope.jsonl"

    result = run(sqlite_url, "import", str(good), str(missing))

    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: No such file or directory\n"
    assert not (tmp_path / "orbit.db").exists()


def test_a_folder_without_jsonl_files_is_an_error(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()

    result = run(sqlite_url, "import", str(folder))

    assert result.exit_code == 1
    assert result.stderr == f"Error: {folder}: a folder without *.jsonl files\n"


def test_each_file_may_go_into_the_organisation_named_by_its_file_name(
    sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "organisations"
    write(folder / "org-a.jsonl", referral("P-1", "a-1"))
    write(folder / "org-b.jsonl", referral("P-1", "b-1"))  # the same key: another company's

    result = run(sqlite_url, "import", "--organisation-per-file", str(folder))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{folder / 'org-a.jsonl'}: stored 1 event, 0 already stored (organisation org-a)",
        f"{folder / 'org-b.jsonl'}: stored 1 event, 0 already stored (organisation org-b)",
        "2 files of 2 imported: stored 2 events, 0 already stored",
    ]
    assert run(sqlite_url, "organisations").stdout.splitlines() == ["org-a\t1", "org-b\t1"]


def test_a_file_name_that_names_no_organisation_stops_the_import_before_any_file(
    sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "organisations"
    write(folder / "a-good.jsonl", referral("P-1", "a-1"))
    write(folder / "b bad name.jsonl", referral("P-2", "b-1"))

    result = run(sqlite_url, "import", "--organisation-per-file", str(folder))

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {folder / 'b bad name.jsonl'}: not an organisation name: 'b bad name'"
    )
    assert result.stdout == ""
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()  # not even a store
