"""The participant directory keeps a bounded number of ciphers; which ones changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from orbit_adapters.privacy import directory
from orbit_adapters.service import Orbit


def test_an_import_with_few_ciphers_kept_stores_and_opens_what_one_with_many_does(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every participant's cipher is dropped and made again many times over (the sample
    has hundreds of participants), and every personal value still opens as imported."""
    lines = sample_path.read_text(encoding="utf-8").splitlines()
    default = directory.SEALERS_KEPT
    exported = {}
    for kept in (default, 2):
        monkeypatch.setattr(directory, "SEALERS_KEPT", kept)
        with Orbit.open(f"sqlite:///{tmp_path / f'kept-{kept}.db'}") as orbit:
            orbit.import_lines(lines)
            exported[kept] = list(orbit.export_lines())
    assert len(exported[2]) == len(lines)
    assert exported[2] == exported[default]
