"""``orbit annual-report`` end to end on a small store."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from orbit_cli.main import cli

EPOCH = "1741939200"  # 2025-03-14T08:00:00Z


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, sample_path_module: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'orbit.db'}"
    # The sample is recorded up to 2032: --allow-future, since this fixture outlives the
    # per-test widening of the clock-skew tolerance (tests/conftest.py).
    imported = CliRunner().invoke(
        cli, ["--store", url, "import", "--allow-future", str(sample_path_module)]
    )
    assert imported.exit_code == 0, imported.output
    return url


@pytest.fixture(scope="module")
def sample_path_module() -> Path:
    return Path(__file__).parents[1] / "conformance" / "data" / "sample-events.jsonl"


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def annual_report(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-q", "--store", store, "annual-report", *args])


def test_it_writes_the_default_file_prints_its_path_and_gives_the_same_bytes_again(
    store: str, tmp_path: Path
) -> None:
    first = annual_report(store, "--year", "2024")
    content = (tmp_path / "arsrapport-2024.html").read_bytes()
    again = annual_report(store, "--year", "2024")

    assert first.exit_code == 0, first.output
    assert first.stdout == "arsrapport-2024.html\n"
    assert (tmp_path / "arsrapport-2024.html").read_bytes() == content
    assert again.exit_code == 0
    assert "14. mars 2025" in content.decode()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["arsrapport-2024.html"]


def test_json_carries_both_years_fingerprints_and_the_reproducing_command(
    store: str, tmp_path: Path
) -> None:
    result = annual_report(
        store, "--year", "2024", "--lang", "en", "--format", "json",
        "--known-at", "2024-06-30T00:00:00Z",
    )  # fmt: skip
    document = json.loads((tmp_path / "annual-report-2024.json").read_text())
    report = CliRunner().invoke(
        cli, ["--store", store, "report", "--year", "2024", "--format", "json",
              "--known-at", "2024-06-30T00:00:00Z"],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert document["format"].startswith("orbit-annual-report/1")
    assert [source["year"] for source in document["sources"]] == [2024, 2023]
    assert document["sources"][0]["fingerprint"] == json.loads(report.stdout)["fingerprint"]
    assert document["command"] == (
        "orbit annual-report --year 2024 --known-at 2024-06-30T00:00:00Z --lang en --format json"
    )
    about = document["sections"][0]["sentences"][0]["text"]
    assert "as they were recorded by 30 June 2024, 00:00 UTC" in about


def test_the_reproducing_command_of_a_report_made_without_known_at_gives_its_fingerprints(
    tmp_path: Path,
) -> None:
    # Recorded after SOURCE_DATE_EPOCH (2025-03-14): the made-on date is no knowledge time
    # that reproduces what the report replayed; the last recorded_at replayed is.
    (tmp_path / "facts.jsonl").write_text(
        '{"type": "StaffTrainingRecorded", "date": "2024-05-01", '
        '"recorded_at": "2026-01-01T10:00:00.250000Z", "data": {"days": 2}}\n'
    )
    store = f"sqlite:///{tmp_path / 'orbit.db'}"
    imported = CliRunner().invoke(cli, ["--store", store, "import", "facts.jsonl"])
    result = annual_report(store, "--year", "2024", "--format", "json")
    made = json.loads((tmp_path / "arsrapport-2024.json").read_text())
    arguments = [*made["command"].split()[1:], "--output", "again.json"]
    again = CliRunner().invoke(cli, ["-q", "--store", store, *arguments])
    remade = json.loads((tmp_path / "again.json").read_text())

    assert imported.exit_code == 0, imported.output
    assert result.exit_code == 0, result.output
    assert again.exit_code == 0, again.output
    assert remade["sources"] == made["sources"]


def test_the_reproducing_command_quotes_a_configuration_path_with_a_space(
    store: str, tmp_path: Path
) -> None:
    (tmp_path / "board 2024.toml").write_text('organisation_name = "Acme AS"\n')

    result = annual_report(
        store, "--year", "2024", "--format", "json", "--config", "board 2024.toml",
        "--known-at", "2024-06-30T00:00:00Z",
    )  # fmt: skip
    command = json.loads((tmp_path / "arsrapport-2024.json").read_text())["command"]

    assert result.exit_code == 0, result.output
    assert shlex.split(command)[-2:] == ["--config", "board 2024.toml"]


def test_an_existing_file_is_replaced_whole(store: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"an older report")

    result = annual_report(store, "--year", "2024", "--format", "xlsx", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(target)
    assert target.read_bytes().startswith(b"PK")
    assert [path.name for path in target.parent.iterdir()] == ["report.xlsx"]


def test_a_symbolic_link_stays_a_link_and_its_target_gets_the_report(
    store: str, tmp_path: Path
) -> None:
    # As export: a rename over what --output names would replace a link, a hard link or
    # a device node (as root, /dev/null) instead of writing into it.
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    hard = tmp_path / "hard.json"
    hard.hardlink_to(target)

    result = annual_report(store, "--year", "2024", "--format", "json", "--output", str(link))

    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(target.read_text())["format"].startswith("orbit-annual-report/1")
    assert hard.read_text() == target.read_text()
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "hard.json",
        "link.json",
        "target.json",
    ]


def test_an_output_in_a_missing_folder_is_one_line_naming_it(store: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.html"

    result = annual_report(store, "--year", "2024", "--output", str(target))

    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: no such file or directory\n"


def test_a_bad_configuration_is_one_line_and_writes_nothing(store: str, tmp_path: Path) -> None:
    (tmp_path / "orbit.toml").write_text("[targets]\nAFT = { placement_rate = 1.5 }\n")

    result = annual_report(store, "--year", "2024", "--config", "orbit.toml")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: orbit.toml: targets.AFT.placement_rate: "
        "1.5 is a share above 1 (write 0.49 for 49 %)\n"
    )
    assert not (tmp_path / "arsrapport-2024.html").exists()


def test_without_weasyprints_libraries_pdf_says_what_to_install_and_html_still_works(
    store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango could not be loaded

    pdf = annual_report(store, "--year", "2024", "--format", "pdf")
    html = annual_report(store, "--year", "2024")

    assert pdf.exit_code == 1
    assert pdf.stderr.startswith("Error: PDF output needs WeasyPrint's system libraries (Pango)")
    assert len(pdf.stderr.splitlines()) == 1
    assert not (tmp_path / "arsrapport-2024.pdf").exists()
    assert html.exit_code == 0


def test_help_loads_none_of_the_document_libraries() -> None:
    script = (
        "import json, sys\nfrom orbit_cli.main import cli\n"
        "cli.main(['annual-report', '--help'], prog_name='orbit', standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules = set(json.loads(finished.stdout.strip().splitlines()[-1]))

    heavy = {"jinja2", "babel", "matplotlib", "weasyprint", "xlsxwriter", "orbit_adapters"}
    assert not heavy & {name.split(".")[0] for name in modules}


def test_the_demo_writes_its_annual_report_and_ends_with_its_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--store", f"sqlite:///{tmp_path / 'demo.db'}", "demo", "--participants", "40"]
    )

    assert result.exit_code == 0, result.output
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.endswith(".html")
    written = tmp_path / last_line.rsplit(" ", 1)[-1]
    assert written.name.startswith("arsrapport-")
    assert "<h1>Årsrapport" in written.read_text(encoding="utf-8")


def test_the_norwegian_colophon_names_the_knowledge_time(store: str, tmp_path: Path) -> None:
    result = annual_report(
        store, "--year", "2024", "--format", "json", "--known-at", "2024-07-01T02:00:00+02:00"
    )

    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "arsrapport-2024.json").read_text())
    about = document["sections"][0]["sentences"][0]["text"]
    assert about == (
        "Rapporten er laget 14. mars 2025 med orbit "
        f"{document['orbit_version']}, ut fra hendelsene slik de var registrert "
        "per 1. juli 2024 kl. 00.00 UTC."
    )


def test_a_bad_source_date_epoch_is_one_line(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")

    result = annual_report(store, "--year", "2024")

    assert result.exit_code == 1
    assert (
        result.stderr == "Error: SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds\n"
    )
