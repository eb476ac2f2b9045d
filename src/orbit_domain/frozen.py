"""The converter that keeps a frozen value's mappings from changing after it is made."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any


def frozen_mapping(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only copy of ``mapping``.

    Typed loosely because mypy's attrs plugin does not solve a generic converter; the
    fields' own annotations still type every read.
    """
    return types.MappingProxyType(dict(mapping))
