"""`orbit demo`: a demo organisation in its own store, and its latest full year's report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from orbit_cli.main import cli

LAST_FULL_YEAR = dt.datetime.now(dt.UTC).year - 1


def demo(*args: str, store: str | None = None) -> Result:
    store_option = ["--store", store] if store else []
    return CliRunner().invoke(cli, [*store_option, "demo", "--participants", "60", *args])


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ORBIT_STORE", f"sqlite:///{tmp_path / 'real.db'}")


def test_demo_builds_its_own_store_and_prints_the_latest_full_years_report(
    tmp_path: Path,
) -> None:
    result = demo()

    assert result.exit_code == 0, result.output
    assert (tmp_path / "orbit-demo.db").exists()
    assert not (tmp_path / "real.db").exists()  # ORBIT_STORE is never the demo's target
    assert f"orbit report  {LAST_FULL_YEAR}-01-01 to {LAST_FULL_YEAR}-12-31" in result.stdout
    assert "AFT - Arbeidsforberedende trening" in result.stdout
    assert "Next, try:" in result.stderr
    assert "--known-at" in result.stderr


def test_running_the_demo_again_reports_the_same_figures() -> None:
    first = demo("--format", "json")
    again = demo("--format", "json")

    assert json.loads(first.stdout) == json.loads(again.stdout)
    assert json.loads(first.stdout)["format"] == "orbit-report/1"


def test_demo_writes_into_an_explicit_store(tmp_path: Path) -> None:
    result = demo(store=f"sqlite:///{tmp_path / 'mine.db'}")

    assert result.exit_code == 0
    assert (tmp_path / "mine.db").exists()
    assert "orbit --store sqlite:///" in result.stderr


def test_demo_refuses_a_store_that_holds_other_events(tmp_path: Path, sample_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'mine.db'}"
    CliRunner().invoke(cli, ["--store", store, "import", str(sample_path)])

    result = demo(store=store)

    assert result.exit_code == 1
    assert result.stderr.endswith(
        "already holds other events; orbit demo writes only into an empty store "
        "or its own earlier demo\n"
    )


def test_demo_refuses_an_in_memory_store(tmp_path: Path) -> None:
    result = demo(store="sqlite://")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sqlite:// is an in-memory store, gone when ")
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_demo_never_prints_the_password_of_its_store(postgres_url: str) -> None:
    with_password = make_url(postgres_url).set(password="hunter2")  # trust auth ignores it

    result = demo(store=with_password.render_as_string(hide_password=False))

    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.output
    assert f"{with_password.username}:***@" in result.stderr
