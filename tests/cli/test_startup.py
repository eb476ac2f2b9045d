"""What an ``orbit`` process imports: each command loads only what it needs.

A warm report for one organisation must finish in well under a second, and Python's
start-up with every module orbit has took 0.5-0.6 s of it (docs/performance.md).
These tests run a fresh interpreter, since this one has imported everything already.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import orbit_adapters
import orbit_domain
from orbit_adapters.store.engine import DEFAULT_STORE_URL
from orbit_adapters.store.event_store import DEFAULT_ORGANISATION
from orbit_cli import main
from orbit_cli.main import cli

# Run orbit's command line in a fresh interpreter, then print the modules it loaded.
_RUN_AND_LIST_MODULES = """
import json, sys
from orbit_cli.main import cli
cli.main(sys.argv[1:], prog_name="orbit", standalone_mode=False)
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded_by(*args: str) -> set[str]:
    finished = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    last_line = finished.stdout.strip().splitlines()[-1]
    return set(json.loads(last_line))


def loaded(modules: set[str], package: str) -> set[str]:
    return {name for name in modules if name == package or name.startswith(f"{package}.")}


def test_the_group_shows_the_adapters_defaults() -> None:
    assert main.DEFAULT_STORE_URL == DEFAULT_STORE_URL
    assert main.DEFAULT_ORGANISATION == DEFAULT_ORGANISATION


@pytest.mark.parametrize(
    "args", [("--help",), ("report", "--help"), ("funding", "--help"), ("generate", "--help")]
)
def test_help_loads_neither_the_store_nor_the_domain(args: tuple[str, ...]) -> None:
    modules = modules_loaded_by(*args)

    assert not loaded(modules, "sqlalchemy")
    assert not loaded(modules, "orbit_adapters")
    assert loaded(modules, "orbit_domain") <= {"orbit_domain", "orbit_domain.weighting"}


def test_a_report_loads_neither_the_importer_nor_the_generator(
    sqlite_url: str, sample_path: Path
) -> None:
    imported = CliRunner().invoke(cli, ["--store", sqlite_url, "import", str(sample_path)])
    assert imported.exit_code == 0

    modules = modules_loaded_by("-q", "--store", sqlite_url, "report", "--year", "2023")

    assert "sqlalchemy" in modules  # the report did run
    assert "orbit_adapters.importing" not in modules
    assert "orbit_domain.journey" not in modules
    assert not loaded(modules, "orbit_synthetic")
    assert not loaded(modules, "orbit_cli.printers") - {
        "orbit_cli.printers",
        "orbit_cli.printers.table_printer",
    }


def test_every_public_name_of_the_lazy_facade_resolves() -> None:
    names = orbit_adapters.__all__

    for name in names:
        assert getattr(orbit_adapters, name) is not None
    assert set(names) <= set(dir(orbit_adapters))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = orbit_adapters.no_such_name


def test_the_domain_package_imports_nothing() -> None:
    """``orbit_domain`` re-exports nothing, so importing one of its modules loads no other."""
    modules = modules_loaded_by("--help")

    assert loaded(modules, "orbit_domain") == {"orbit_domain", "orbit_domain.weighting"}
    assert orbit_domain.__file__ is not None
    body = ast.parse(Path(orbit_domain.__file__).read_text(encoding="utf-8")).body
    assert [type(node) for node in body] == [ast.Expr]  # the docstring, nothing else


def test_only_the_orbit_command_tunes_the_garbage_collector() -> None:
    """``main()`` (the ``orbit`` command) raises the full-collection threshold; importing
    the CLI or the library, or calling ``cli`` as an embedder or a test does, does not."""
    script = """
import gc, sys
before = gc.get_threshold()
import orbit_adapters.service, orbit_cli.main
assert gc.get_threshold() == before, gc.get_threshold()
sys.argv = ["orbit", "--version"]
try:
    orbit_cli.main.main()
except SystemExit:
    pass
print(before[0], before[1], *gc.get_threshold())
"""
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stderr
    young, middle, *after = map(int, finished.stdout.split()[-5:])

    assert after == [young, middle, main.FULL_COLLECTION_AFTER]
