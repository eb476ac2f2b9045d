"""The layers' import rules (docs/architecture.md, "What may import what"), read from source.

Each rule reads the ``import`` statements of a source tree, those inside functions and
``if TYPE_CHECKING:`` blocks too, and lists its violations as
``path:line: what and why``. tests/test_layering.py runs them on ``src/`` and on trees
with a violation planted, so that each rule is shown to catch what it names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

DOMAIN_MAY_IMPORT = frozenset(
    {
        "__future__",
        "abc",
        "attrs",
        "bisect",
        "collections",
        "collections.abc",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "math",
        "numbers",
        "operator",
        "re",
        "statistics",
        "string",
        "types",
        "typing",
        "unicodedata",
    }
)
"""The standard library's pure modules (computation on values in memory) and attrs.

Not ``json``: it is pure too, but encoding is translation, the adapters' work; the
domain hands out plain dicts (``to_json_dict``)."""

DOMAIN_MAY_USE_OF = {"sys": frozenset({"float_info"})}
"""Modules the domain may import for the named attributes only: ``sys.float_info.max``
caps sums, and nothing else of ``sys`` (streams, exit, path) is the domain's."""

STORE_PACKAGE = "orbit_adapters.store"
CODEC_MODULE = "orbit_adapters.events_v1"

FACADE = "orbit_adapters"
CLI_MAY_IMPORT_MODULES = frozenset(
    {
        "orbit_adapters.annual_report",
        "orbit_adapters.annual_report.render_html",
        "orbit_adapters.annual_report.render_json",
        "orbit_adapters.annual_report.render_pdf",
        "orbit_adapters.annual_report.render_xlsx",
        "orbit_adapters.events_v1",
        "orbit_adapters.national_id",
        "orbit_adapters.store.engine",
        "orbit_adapters.web",
        "orbit_synthetic",
    }
)
"""Besides the facade, the adapter modules the CLI may import (docs/architecture.md
says why each); from one with an ``__all__``, only the names it lists."""
CLI_GUARDED_PACKAGES = frozenset({FACADE, "orbit_synthetic"})
"""The packages whose modules the CLI may import only as listed above."""


class Import(NamedTuple):
    path: str
    """The importing file, relative to the tree's root."""
    line: int
    module: str
    """The module imported from, absolute."""
    names: tuple[str, ...]
    """The names of ``from module import ...``; none for ``import module``."""


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> Iterator[Import]:
    relative = path.relative_to(root).as_posix()
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), relative)
    statements = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    for node in sorted(statements, key=lambda statement: statement.lineno):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(relative, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield Import(relative, node.lineno, module, tuple(a.name for a in node.names))


def sources(root: Path, package: str) -> list[Path]:
    return sorted((root / package.replace(".", "/")).rglob("*.py"))


def domain_violations(root: Path) -> list[str]:
    """Imports of ``orbit_domain`` outside itself, the pure standard library and attrs."""
    found: list[str] = []
    for path in sources(root, "orbit_domain"):
        for imported in imports_of(path, root):
            top = imported.module.partition(".")[0]
            if top == "orbit_domain" or imported.module in DOMAIN_MAY_IMPORT:
                continue
            allowed = DOMAIN_MAY_USE_OF.get(imported.module)
            if allowed is not None and set(imported.names) <= allowed:
                continue  # ``import sys`` has no names: its uses are checked below
            found.append(f"{imported.path}:{imported.line}: the domain imports {imported.module}")
        found.extend(_restricted_uses(path, root))
    return found


def _restricted_uses(path: Path, root: Path) -> Iterator[str]:
    """Attributes used of the modules the domain may import for some attributes only."""
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), relative)
    bound = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name in DOMAIN_MAY_USE_OF
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr not in DOMAIN_MAY_USE_OF[bound[node.value.id]]
        ):
            module = bound[node.value.id]
            yield f"{relative}:{node.lineno}: the domain uses {module}.{node.attr}"


def store_violations(root: Path) -> list[str]:
    """Store modules that import the events-v1 codec, directly or through other modules."""
    graph = _import_graph(root)
    found: list[str] = []
    for module in sorted(graph):
        if module != STORE_PACKAGE and not module.startswith(f"{STORE_PACKAGE}."):
            continue
        route = _route(graph, module, CODEC_MODULE)
        if route is not None:
            found.append(f"{module} imports the codec: {' -> '.join(route)}")
    return found


ADAPTERS_MAY_NOT_IMPORT = frozenset({"orbit_cli", "orbit_synthetic"})
"""The adapters serve the command line and the generator, never the other way round."""


def adapter_violations(root: Path) -> list[str]:
    """Adapter imports of the command line or of the synthetic data generator."""
    return [
        f"{imported.path}:{imported.line}: the adapters import {imported.module}, "
        "which builds on them"
        for path in sources(root, "orbit_adapters")
        for imported in imports_of(path, root)
        if imported.module.partition(".")[0] in ADAPTERS_MAY_NOT_IMPORT
    ]


def _import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the tree and the modules of the tree it imports."""
    paths = list(root.rglob("*.py"))
    known = {module_name(path, root) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        targets = graph.setdefault(module_name(path, root), set())
        for imported in imports_of(path, root):
            targets.add(imported.module)
            targets.update(f"{imported.module}.{name}" for name in imported.names)
        targets &= known
    return graph


def _route(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The modules from ``start`` to ``goal`` along imports, or None if there is none."""
    came_from: dict[str, str | None] = {start: None}
    waiting = [start]
    while waiting:
        module = waiting.pop(0)
        if module == goal:
            route = [module]
            while (previous := came_from[route[-1]]) is not None:
                route.append(previous)
            return route[::-1]
        for target in sorted(graph.get(module, ())):
            if target not in came_from:
                came_from[target] = module
                waiting.append(target)
    return None


def cli_violations(root: Path) -> list[str]:
    """CLI imports of ``orbit_adapters`` or ``orbit_synthetic`` past the facade and the
    modules listed for it."""
    public = {
        module: _declared_all(root / (module.replace(".", "/") + ".py"))
        or _declared_all(root / module.replace(".", "/") / "__init__.py")
        for module in {FACADE, *CLI_MAY_IMPORT_MODULES}
    }
    found: list[str] = []
    for path in sources(root, "orbit_cli"):
        for imported in imports_of(path, root):
            if imported.module.partition(".")[0] not in CLI_GUARDED_PACKAGES:
                continue
            if imported.module != FACADE and imported.module not in CLI_MAY_IMPORT_MODULES:
                found.append(
                    f"{imported.path}:{imported.line}: the CLI imports {imported.module}, "
                    f"which is not public: import from {FACADE}"
                )
                continue
            exported = public[imported.module]
            if exported is None:
                continue
            for name in imported.names:
                if name not in exported:
                    found.append(
                        f"{imported.path}:{imported.line}: the CLI imports {name} from "
                        f"{imported.module}, whose __all__ does not list it"
                    )
    return found


def _declared_all(path: Path) -> frozenset[str] | None:
    """The names of a module's literal ``__all__``, or None if it has none."""
    if not path.is_file():
        return None
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return frozenset(
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
    return None
