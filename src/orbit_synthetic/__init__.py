"""Realistic synthetic events-v1 histories of one organisation, deterministic per seed.

For demos, benchmarks and tests; see ``docs/demo-data.md`` for what they look like.
"""

from orbit_synthetic.history import (
    FIRST_YEAR,
    LAST_YEAR,
    GeneratedEvent,
    generate_events,
    generate_history,
    organisation_seed,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "GeneratedEvent",
    "generate_events",
    "generate_history",
    "organisation_seed",
]
