"""Several organisations' fold states as one: the reference merged tallies are held to.

A report across organisations merges per-organisation tallies (merge_tallies and
merge_organisation_tallies); the properties require what one tally over the journeys of
every organisation gives, and this builds those journeys.
"""

from __future__ import annotations

from collections.abc import KeysView, Mapping

from orbit_domain.events import SeatsAllocated
from orbit_domain.projections import JourneyTimeline, Timelines
from orbit_domain.projections.organisation import OrganisationFacts


def merge_timelines(organisations: Mapping[str, Timelines]) -> Timelines:
    """One state for several organisations' folds, for figures across them all.

    Participant keys are made distinct per organisation (the same key in two
    organisations is two people), and each organisation's allocations stay its own, so
    seats add up across organisations. Keys that no two organisations share are kept.
    """
    journeys: dict[str, tuple[JourneyTimeline, ...]] = {}
    allocations: dict[str, tuple[SeatsAllocated, ...]] = {}
    shared = _shared_keys([timelines.journeys.keys() for timelines in organisations.values()])
    for name, timelines in organisations.items():
        for participant, participant_journeys in timelines.journeys.items():
            if participant not in shared:
                journeys[participant] = participant_journeys
                continue
            key = f"{name}/{participant}"
            journeys[key] = tuple(j._replace(participant=key) for j in participant_journeys)
        for stream, stream_allocations in timelines.allocations.items():
            allocations[f"{name}/{stream}"] = stream_allocations
    facts = [timelines.facts for timelines in organisations.values()]
    return Timelines(
        journeys=journeys,
        allocations=allocations,
        events_folded=sum(timelines.events_folded for timelines in organisations.values()),
        facts=OrganisationFacts(
            complaints=tuple(c for one in facts for c in one.complaints),
            trainings=tuple(t for one in facts for t in one.trainings),
            closures=tuple(c for one in facts for c in one.closures),
        ),
    )


def _shared_keys(key_sets: list[KeysView[str]]) -> set[str]:
    seen: set[str] = set()
    shared: set[str] = set()
    for keys in key_sets:
        shared |= seen & keys
        seen |= keys
    return shared
