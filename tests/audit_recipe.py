"""docs/audit.md's recipe, run as written on an export: what an auditor would compute."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import NamedTuple

AUDIT = Path(__file__).parent.parent / "docs" / "audit.md"


class Recomputed(NamedTuple):
    events_replayed: int
    fingerprint: str  # orbit-fingerprint/3, what orbit prints now
    fingerprint_2: str  # orbit-fingerprint/2, what orbit printed before schema 4


def recipe() -> str:
    (script,) = re.findall(r"```python\n(.*?)```", AUDIT.read_text(encoding="utf-8"), re.DOTALL)
    return str(script)


def recompute(export: Path, until: str, known_at: str | None) -> Recomputed:
    """The recipe's output for the export file ``export``, with its two settings changed
    as the document tells the auditor to (``known_at`` with an offset, or None)."""
    script = recipe()
    script = script.replace('UNTIL = "2024-12-31"', f"UNTIL = {until!r}")
    moment = "None" if known_at is None else f"dt.datetime.fromisoformat({known_at!r})"
    script = re.sub(r"KNOWN_AT = .*\n", f"KNOWN_AT = {moment}\n", script, count=1)
    script = script.replace('open("events.jsonl"', f"open({str(export)!r}")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(script, "docs/audit.md", "exec"), {})
    replayed, fingerprint, fingerprint_2 = printed.getvalue().split()
    return Recomputed(int(replayed), fingerprint, fingerprint_2)
