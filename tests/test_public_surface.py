"""orbit's public surface: what ``orbit_adapters`` exports, and what docs/embedding.md uses.

An embedding service imports from ``orbit_adapters`` (and, to follow orbit's events,
``orbit_adapters.eventsourcing``): these tests keep that surface small, sorted and
whole, and hold the documentation's examples to it.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import orbit_adapters
from orbit_adapters import Orbit
from orbit_domain.events import EVENT_TYPES

EMBEDDING_DOCS = Path(__file__).parent.parent / "docs" / "embedding.md"
PUBLIC_MODULES = ("orbit_adapters", "orbit_adapters.eventsourcing")
"""The modules docs/embedding.md names public; each lists its public names in ``__all__``."""

INTERNALS = ("EventStore", "StoredEvent", "WireEvent", "decode_line", "encode_line", "StoredRow")


def test_all_is_sorted_and_every_name_in_it_can_be_imported() -> None:
    assert orbit_adapters.__all__ == sorted(orbit_adapters.__all__)
    for name in orbit_adapters.__all__:
        assert getattr(orbit_adapters, name) is not None, name


def test_the_surface_holds_what_an_embedding_service_uses() -> None:
    wanted = {
        "Orbit",
        "NewEvent",
        "EventRecord",
        "Period",
        "Weighting",
        "Report",
        "Forgotten",
        "ImportResult",
        "StoreError",
        "ImportRejectedError",
        "ConcurrencyConflictError",
        "UnknownParticipantError",
        *EVENT_TYPES,
    }
    assert wanted <= set(orbit_adapters.__all__)


@pytest.mark.parametrize("name", INTERNALS)
def test_internals_are_not_exported(name: str) -> None:
    assert name not in orbit_adapters.__all__
    with pytest.raises(AttributeError):
        getattr(orbit_adapters, name)


def test_the_exported_errors_are_exceptions() -> None:
    errors = [name for name in orbit_adapters.__all__ if name.endswith("Error")]
    assert errors
    for name in errors:
        assert issubclass(getattr(orbit_adapters, name), Exception), name


def test_orbit_keeps_its_store_and_master_key_to_itself() -> None:
    public = {name for name in dir(Orbit) if not name.startswith("_")}
    assert not public & {"store", "master_key"}


def python_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown.read_text(encoding="utf-8"), re.DOTALL)


def orbit_imports(source: str) -> list[tuple[str, str | None]]:
    """Every (module, name) the code imports from orbit's packages; name None for
    ``import module``."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            found.extend((node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
    return [(module, name) for module, name in found if module.startswith("orbit")]


def public_import_problems(source: str) -> list[str]:
    problems = []
    for module, name in orbit_imports(source):
        if module not in PUBLIC_MODULES:
            problems.append(f"{module} is not a public module")
        elif name is not None and name not in importlib.import_module(module).__all__:
            problems.append(f"{name} is not in {module}.__all__")
    return problems


def test_the_embedding_docs_import_only_public_names() -> None:
    blocks = python_blocks(EMBEDDING_DOCS)
    assert blocks
    assert all(orbit_imports(block) for block in blocks)
    assert [problem for block in blocks for problem in public_import_problems(block)] == []


def test_the_docs_check_catches_an_internal_import() -> None:
    source = (
        "from orbit_adapters import Orbit, EventStore\n"
        "from orbit_adapters.events_v1 import decode_line\n"
        "import orbit_domain.period\n"
    )
    assert public_import_problems(source) == [
        "EventStore is not in orbit_adapters.__all__",
        "orbit_adapters.events_v1 is not a public module",
        "orbit_domain.period is not a public module",
    ]


def test_events_are_read_inside_a_with_block(orbit: Orbit) -> None:
    orbit.import_lines(
        [
            '{"type":"SeatsAllocated","date":"2024-01-01","id":"a-1",'
            '"recorded_at":"2024-01-01T00:00:00Z","data":{"programme":"AFT","seats":3}}'
        ]
    )
    with orbit.events() as records:
        (record,) = records
    assert isinstance(record, orbit_adapters.EventRecord)
    assert (record.event_id, record.participant, record.event.TYPE) == (
        "a-1",
        None,
        "SeatsAllocated",
    )
    with pytest.raises(TypeError):
        iter(orbit.events())  # type: ignore[call-overload]
