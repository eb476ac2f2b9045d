"""docs/embedding.md's eventsourcing example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

EMBEDDING = Path(__file__).parent.parent / "docs" / "embedding.md"


def test_the_active_participants_example_runs_and_resumes_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", EMBEDDING.read_text(encoding="utf-8"), re.DOTALL)
    (example,) = [block for block in blocks if "ProjectionRunner" in block]

    exec(compile(example, "docs/embedding.md", "exec"), {"__name__": "embedding_example"})

    assert capsys.readouterr().out.splitlines() == ["{'AFT': 2, 'VTA': 1}"]
    assert (tmp_path / "active-view.db").exists()
