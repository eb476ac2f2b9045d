"""docs/audit.md's recipe recomputes orbit's fingerprint with nothing but the standard library,
and the orbit-fingerprint/2 of the same events, which reports printed before carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit_recipe import recompute
from orbit_cli.main import cli


def orbit(*args: str) -> str:
    result = CliRunner().invoke(cli, ["--store", "sqlite:///orbit.db", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("sample", "until", "known_at"),
    [
        ("sample-events.jsonl", "2024-12-31", "2024-06-30T00:00:00+00:00"),
        ("sample-events.jsonl", "2023-08-15", None),
        ("sample-events-r2.jsonl", "2024-12-31", "2024-09-30T00:00:00+00:00"),  # with facts
    ],
)
def test_the_audit_recipe_gives_the_reports_fingerprint_and_event_count(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sample_path: Path,
    sample: str,
    until: str,
    known_at: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    orbit("import", str(sample_path.parent / sample))
    orbit("export", "events.jsonl")
    options = ["--until", until, "--format", "json"]
    if known_at:
        options += ["--known-at", known_at]
    report = json.loads(orbit("replay", *options))

    recomputed = recompute(tmp_path / "events.jsonl", until, known_at)

    assert recomputed.events_replayed == report["events_replayed"]
    assert recomputed.fingerprint == report["fingerprint"]
    assert recomputed.fingerprint_2 != recomputed.fingerprint
