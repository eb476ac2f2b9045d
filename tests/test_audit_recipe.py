"""docs/audit.md's recipe recomputes orbit's fingerprint with nothing but the standard library."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from orbit_cli.main import cli

AUDIT = Path(__file__).parent.parent / "docs" / "audit.md"


def recipe() -> str:
    (script,) = re.findall(r"```python\n(.*?)```", AUDIT.read_text(encoding="utf-8"), re.DOTALL)
    return str(script)


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
    capsys: pytest.CaptureFixture[str],
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
    script = recipe().replace('UNTIL = "2024-12-31"', f"UNTIL = {until!r}")
    moment = "None" if known_at is None else f"dt.datetime.fromisoformat({known_at!r})"
    script = re.sub(r"KNOWN_AT = .*\n", f"KNOWN_AT = {moment}\n", script, count=1)
    capsys.readouterr()

    exec(compile(script, "docs/audit.md", "exec"), {})

    replayed, fingerprint = capsys.readouterr().out.split()
    assert int(replayed) == report["events_replayed"]
    assert fingerprint == report["fingerprint"]
