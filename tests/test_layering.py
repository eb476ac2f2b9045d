"""The layers keep their import rules, and each rule catches a violation planted for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from layering import adapter_violations, cli_violations, domain_violations, store_violations

SRC = Path(__file__).resolve().parent.parent / "src"


def plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_domain_imports_only_the_pure_standard_library_and_attrs() -> None:
    assert domain_violations(SRC) == []


def test_the_store_does_not_import_the_events_v1_codec() -> None:
    assert store_violations(SRC) == []


def test_the_adapters_import_neither_the_command_line_nor_the_generator() -> None:
    assert adapter_violations(SRC) == []


def test_an_adapter_importing_the_generator_or_the_command_line_is_caught(
    tmp_path: Path,
) -> None:
    root = plant(
        tmp_path,
        {
            "orbit_adapters/service.py": (
                "from orbit_synthetic import generate_history\n"
                "def run():\n"
                "    import orbit_cli.main\n"
            ),
        },
    )

    assert adapter_violations(root) == [
        "orbit_adapters/service.py:1: the adapters import orbit_synthetic, which builds on them",
        "orbit_adapters/service.py:3: the adapters import orbit_cli.main, which builds on them",
    ]


def test_the_command_line_imports_only_the_public_surface_of_the_adapters() -> None:
    assert cli_violations(SRC) == []


@pytest.mark.parametrize(
    ("source", "violation"),
    [
        ("import os\n", "1: the domain imports os"),
        ("from pathlib import Path\n", "1: the domain imports pathlib"),
        ("import json\n", "1: the domain imports json"),
        ("def f():\n    import uuid\n", "2: the domain imports uuid"),
        (
            "from sqlalchemy import select\n",
            "1: the domain imports sqlalchemy",
        ),
        (
            "from orbit_adapters import Orbit\n",
            "1: the domain imports orbit_adapters",
        ),
        ("import importlib\n", "1: the domain imports importlib"),
        (
            "import sys\nsys.stdout.write('x')\n",
            "2: the domain uses sys.stdout",
        ),
        ("from sys import exit\n", "1: the domain imports sys"),
    ],
)
def test_a_domain_module_importing_io_or_another_layer_is_caught(
    tmp_path: Path, source: str, violation: str
) -> None:
    root = plant(tmp_path, {"orbit_domain/__init__.py": "", "orbit_domain/rules.py": source})

    assert domain_violations(root) == [f"orbit_domain/rules.py:{violation}"]


def test_the_domain_may_use_pure_modules_attrs_its_own_and_the_largest_float(
    tmp_path: Path,
) -> None:
    root = plant(
        tmp_path,
        {
            "orbit_domain/__init__.py": "",
            "orbit_domain/rules.py": (
                "import math\nimport sys\nimport attrs\nfrom collections.abc import Mapping\n"
                "from . import events\nfrom orbit_domain.events import Event\n"
                "CAP = sys.float_info.max\n"
            ),
            "orbit_domain/events.py": "import datetime as dt\n",
        },
    )

    assert domain_violations(root) == []


def test_a_store_module_importing_the_codec_is_caught_also_through_another_module(
    tmp_path: Path,
) -> None:
    root = plant(
        tmp_path,
        {
            "orbit_adapters/__init__.py": "",
            "orbit_adapters/events_v1.py": "",
            "orbit_adapters/helpers.py": "from orbit_adapters.events_v1 import decode_line\n",
            "orbit_adapters/store/__init__.py": "",
            "orbit_adapters/store/rows.py": "from orbit_adapters import events_v1\n",
            "orbit_adapters/store/event_store.py": "from ..helpers import decode\n",
            "orbit_adapters/store/engine.py": "import sqlalchemy\n",
        },
    )

    assert store_violations(root) == [
        "orbit_adapters.store.event_store imports the codec: orbit_adapters.store.event_store"
        " -> orbit_adapters.helpers -> orbit_adapters.events_v1",
        "orbit_adapters.store.rows imports the codec: orbit_adapters.store.rows"
        " -> orbit_adapters.events_v1",
    ]


def test_the_command_line_reaching_past_the_public_surface_is_caught(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "orbit_adapters/__init__.py": '__all__ = ["Orbit", "StoreError"]\n',
            "orbit_adapters/service.py": "",
            "orbit_synthetic/__init__.py": '__all__ = ["generate_history"]\n',
            "orbit_cli/commands.py": (
                "from orbit_adapters import Orbit, StoreError\n"
                "from orbit_synthetic import generate_history\n"
                "def run():\n"
                "    from orbit_adapters.service import Orbit\n"
                "    from orbit_adapters import EventStore\n"
                "    from orbit_synthetic import draws\n"
                "    import orbit_adapters.store.event_store\n"
            ),
        },
    )

    assert cli_violations(root) == [
        "orbit_cli/commands.py:4: the CLI imports orbit_adapters.service, which is not public:"
        " import from orbit_adapters",
        "orbit_cli/commands.py:5: the CLI imports EventStore from orbit_adapters, whose"
        " __all__ does not list it",
        "orbit_cli/commands.py:6: the CLI imports draws from orbit_synthetic, whose"
        " __all__ does not list it",
        "orbit_cli/commands.py:7: the CLI imports orbit_adapters.store.event_store, which is"
        " not public: import from orbit_adapters",
    ]
