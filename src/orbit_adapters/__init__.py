"""orbit as a library: ``Orbit``, and the types its methods take, return and raise.

Open a store from a SQLAlchemy URL with ``Orbit.open(url)``; see docs/embedding.md.
These names are orbit's public surface for an embedding service, and each is typed.
Everything else in ``orbit_adapters`` is internal and may change (the command line
imports a few modules besides, named in docs/architecture.md). The domain's values
(events, ``Period``, ``Weighting``, ``Report``) are re-exported here, so that a service
needs this one module.

The names are imported on first use (PEP 562): importing a submodule, as every
``orbit`` command does, then loads only what that submodule needs (a report does not
load the importer), while ``from orbit_adapters import Orbit`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orbit_adapters.envelopes import EventRecord, NewEvent
    from orbit_adapters.importing import ImportRejectedError, ImportResult, LineProblem
    from orbit_adapters.privacy.master_key import KeyFileError
    from orbit_adapters.service import Forgotten, Orbit, UnknownParticipantError
    from orbit_adapters.store.engine import StoreError
    from orbit_adapters.store.event_store import ConcurrencyConflictError, check_organisation_name
    from orbit_adapters.store.presence import NoStoreError, NotAnOrbitStoreError
    from orbit_adapters.store.revision import NewerStoreError, OutdatedStoreError
    from orbit_adapters.store.upgrade import StoreUpgrade, upgrade_store
    from orbit_domain.errors import InvalidValueError
    from orbit_domain.events import (
        ComplaintReceived,
        CourseCompleted,
        CourseStarted,
        Event,
        ExitCorrected,
        FactRetracted,
        Gender,
        HospiteringEnded,
        HospiteringKind,
        HospiteringStarted,
        ParticipantExited,
        ParticipantReferred,
        PercentageChanged,
        PlacementStarted,
        ProviderClosed,
        ReferralWithdrawn,
        SeatsAllocated,
        StaffTrainingRecorded,
        SurveyAnswered,
        Waitlisted,
    )
    from orbit_domain.outcomes import Outcome
    from orbit_domain.period import Period
    from orbit_domain.report import Report
    from orbit_domain.weighting import Weighting

_MODULE_OF = {
    **dict.fromkeys(("EventRecord", "NewEvent"), "orbit_adapters.envelopes"),
    **dict.fromkeys(
        ("ImportRejectedError", "ImportResult", "LineProblem"), "orbit_adapters.importing"
    ),
    "KeyFileError": "orbit_adapters.privacy.master_key",
    **dict.fromkeys(("Forgotten", "Orbit", "UnknownParticipantError"), "orbit_adapters.service"),
    "StoreError": "orbit_adapters.store.engine",
    **dict.fromkeys(
        ("ConcurrencyConflictError", "check_organisation_name"), "orbit_adapters.store.event_store"
    ),
    **dict.fromkeys(("NoStoreError", "NotAnOrbitStoreError"), "orbit_adapters.store.presence"),
    **dict.fromkeys(("NewerStoreError", "OutdatedStoreError"), "orbit_adapters.store.revision"),
    **dict.fromkeys(("StoreUpgrade", "upgrade_store"), "orbit_adapters.store.upgrade"),
    "InvalidValueError": "orbit_domain.errors",
    **dict.fromkeys(
        (
            "ComplaintReceived",
            "CourseCompleted",
            "CourseStarted",
            "Event",
            "ExitCorrected",
            "FactRetracted",
            "Gender",
            "HospiteringEnded",
            "HospiteringKind",
            "HospiteringStarted",
            "ParticipantExited",
            "ParticipantReferred",
            "PercentageChanged",
            "PlacementStarted",
            "ProviderClosed",
            "ReferralWithdrawn",
            "SeatsAllocated",
            "StaffTrainingRecorded",
            "SurveyAnswered",
            "Waitlisted",
        ),
        "orbit_domain.events",
    ),
    "Outcome": "orbit_domain.outcomes",
    "Period": "orbit_domain.period",
    "Report": "orbit_domain.report",
    "Weighting": "orbit_domain.weighting",
}

__all__ = [
    "ComplaintReceived",
    "ConcurrencyConflictError",
    "CourseCompleted",
    "CourseStarted",
    "Event",
    "EventRecord",
    "ExitCorrected",
    "FactRetracted",
    "Forgotten",
    "Gender",
    "HospiteringEnded",
    "HospiteringKind",
    "HospiteringStarted",
    "ImportRejectedError",
    "ImportResult",
    "InvalidValueError",
    "KeyFileError",
    "LineProblem",
    "NewEvent",
    "NewerStoreError",
    "NoStoreError",
    "NotAnOrbitStoreError",
    "Orbit",
    "Outcome",
    "OutdatedStoreError",
    "ParticipantExited",
    "ParticipantReferred",
    "PercentageChanged",
    "Period",
    "PlacementStarted",
    "ProviderClosed",
    "ReferralWithdrawn",
    "Report",
    "SeatsAllocated",
    "StaffTrainingRecorded",
    "StoreError",
    "StoreUpgrade",
    "SurveyAnswered",
    "UnknownParticipantError",
    "Waitlisted",
    "Weighting",
    "check_organisation_name",
    "upgrade_store",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
