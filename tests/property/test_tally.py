"""Tallies (orbit_domain.projections.tally) merge across disjoint sets of participants:
the report across organisations is computed from one tally per organisation."""

from __future__ import annotations

import math

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    fold,
    merge_tallies,
    programme_reports,
    programme_tallies,
)
from orbit_domain.projections.tally import exact, exact_to_float
from orbit_domain.weighting import Weighting
from property_support import half_examples
from reference_merge import merge_timelines
from strategies import allocation_streams, history_streams, interleaved, periods, weightings

_finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(st.lists(_finite, max_size=30), st.data())
def test_exact_sums_give_math_fsum_whatever_the_order(
    values: list[float], data: st.DataObject
) -> None:
    """fsum is exactly rounded, so an exact sum must give the same float, in any order."""
    assume(math.isfinite(sum(abs(value) for value in values)))  # fsum's own overflow
    shuffled = data.draw(st.permutations(values), label="order")
    assert exact_to_float(sum(exact(value) for value in shuffled)) == math.fsum(values)


@half_examples
@given(history_streams(), st.data(), periods(), weightings)
def test_the_merged_tallies_of_organisations_give_the_report_of_all_their_journeys(
    streams: list[list[Recorded]],
    data: st.DataObject,
    period: Period,
    weighting: Weighting,
) -> None:
    """Split a store's streams between organisations in any way, another organisation
    allocating seats too: merging their tallies in any order gives, to the bit, the tally
    and the figures of one fold over every journey and allocation."""
    streams = [*streams, data.draw(allocation_streams(), label="other allocations")]
    owners = data.draw(st.lists(st.integers(0, 2), min_size=len(streams), max_size=len(streams)))
    owners[-1] = 3  # the other organisation's allocations
    organisations: dict[str, list[Recorded]] = {}
    for owner, stream in zip(owners, streams, strict=True):
        organisations.setdefault(f"org-{owner}", []).extend(stream)
    folds = {
        name: fold(EMPTY_TIMELINES, data.draw(interleaved([events]), label=name))
        for name, events in organisations.items()
    }
    tallies = [programme_tallies(timelines, period, weighting) for timelines in folds.values()]
    tallies = data.draw(st.permutations(tallies), label="merge order")

    merged = merge_tallies(tallies)

    everything = merge_timelines(folds)
    assert merged == programme_tallies(everything, period, weighting)
    reports = {programme: tally.report() for programme, tally in merged.items()}
    assert reports == programme_reports(everything, period, weighting)
