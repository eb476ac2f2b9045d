"""The code in the docs runs: an example a user copies must work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"


def python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), re.DOTALL)


def test_the_embedding_example_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (example,) = python_blocks(DOCS / "embedding.md")

    exec(compile(example, "docs/embedding.md", "exec"), {})

    assert (tmp_path / "embedded-example.db").exists()
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4
    assert printed[1].startswith("2 P-1 ParticipantReferred(")
