"""The organisation block's invariants: additive over periods, audit-true, mergeable.

Histories come from the strategies' organisation stream: allocations, complaints, staff
training and closures for any date, and retractions of earlier facts, some recorded
months after their fact.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_adapters.read_model.state_codec import decode_state, encode_state
from orbit_adapters.read_model.tally_codec import TalliedReplay, decode_tallied, encode_tallied
from orbit_domain.events import FactRetracted, ProviderClosed
from orbit_domain.history import Recorded
from orbit_domain.organisation import Closure, OrganisationFigures
from orbit_domain.period import ONE_DAY, Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    build_report,
    fold,
    select_replayed,
)
from orbit_domain.projections.organisation import (
    merge_organisation_tallies,
    organisation_tally,
)
from property_support import half_examples
from reference_merge import merge_timelines
from strategies import adjacent_periods, histories, known_ats, organisation_streams, periods


def organisation(
    history: list[Recorded], period: Period, known_at: dt.datetime | None = None
) -> OrganisationFigures:
    return build_report(history, period, known_at=known_at).organisation


def split_at(closures: tuple[Closure, ...], first_day_of_second: dt.date) -> list[Closure]:
    """Each closure that spans the boundary cut into the part before it and the part after."""
    parts = []
    for closure in closures:
        if closure.start < first_day_of_second <= closure.end:
            parts.append(Closure(closure.start, first_day_of_second - ONE_DAY, closure.programme))
            parts.append(Closure(first_day_of_second, closure.end, closure.programme))
        else:
            parts.append(closure)
    return parts


@half_examples
@given(histories(max_participants=2), st.data(), known_ats)
def test_complaints_days_and_closures_over_a_period_are_those_of_its_parts_joined(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """Split a period in two: complaints (per programme) and staff days add up (exactly,
    as tallies), and the whole's closures, cut at the boundary, are the parts' closures
    side by side."""
    first, second = data.draw(adjacent_periods(history), label="parts")
    whole_period = Period(first.start, second.end)
    whole = organisation(history, whole_period, known_at)
    one = organisation(history, first, known_at)
    other = organisation(history, second, known_at)

    by_programme = dict(one.complaints_by_programme)
    for programme, count in other.complaints_by_programme.items():
        by_programme[programme] = by_programme.get(programme, 0) + count
    assert whole.complaints_by_programme == by_programme
    assert whole.complaints == one.complaints + other.complaints
    assert math.isclose(
        whole.staff_training_days, one.staff_training_days + other.staff_training_days
    )
    assert sorted(split_at(whole.closures, second.start)) == sorted(
        (*one.closures, *other.closures)
    )
    facts = fold(EMPTY_TIMELINES, select_replayed(history, second.end, known_at)).facts
    joined = organisation_tally(facts, first).merge(organisation_tally(facts, second))
    assert organisation_tally(facts, whole_period).training_days == joined.training_days


@half_examples
@given(organisation_streams(), periods(), st.data())
def test_a_retracted_fact_counts_as_known_before_its_retraction_and_never_after(
    stream: list[Recorded], period: Period, data: st.DataObject
) -> None:
    """With ``known_at`` just before a retraction's ``recorded_at`` the report is that of
    the history without the retraction (nor anything recorded after it); from its
    ``recorded_at`` on, it is that of the history without the fact."""
    retractions = [r for r in stream if isinstance(r.event, FactRetracted)]
    assume(retractions)
    retraction = data.draw(st.sampled_from(retractions), label="retraction")
    assert isinstance(retraction.event, FactRetracted)
    retracted_id = retraction.event.retracts
    just_before = retraction.recorded_at - dt.timedelta(microseconds=1)
    at = retraction.recorded_at

    known_before = [r for r in stream if r.recorded_at <= just_before]
    never_registered = [
        r
        for r in stream
        if r.event_id != retracted_id
        and not (isinstance(r.event, FactRetracted) and r.event.retracts == retracted_id)
    ]
    known_at_it = [r for r in never_registered if r.recorded_at <= at]

    assert organisation(stream, period, just_before) == organisation(known_before, period)
    assert organisation(stream, period, at) == organisation(known_at_it, period)
    assert organisation(stream, period) == organisation(never_registered, period)


@half_examples
@given(st.lists(organisation_streams(), min_size=1, max_size=3), periods(), st.data())
def test_the_merged_tallies_of_organisations_give_the_block_of_all_their_facts(
    streams: list[list[Recorded]], period: Period, data: st.DataObject
) -> None:
    """Complaints and staff days add up across organisations in any merge order, to the
    bit, and every organisation's closures are listed."""
    folds = {f"org-{n}": fold(EMPTY_TIMELINES, stream) for n, stream in enumerate(streams)}
    tallies = [organisation_tally(timelines.facts, period) for timelines in folds.values()]
    tallies = data.draw(st.permutations(tallies), label="merge order")

    merged = merge_organisation_tallies(tallies).figures()

    assert merged == organisation_tally(merge_timelines(folds).facts, period).figures()
    assert len(merged.closures) == sum(len(t.closures) for t in tallies)


@half_examples
@given(histories(max_participants=2), periods())
def test_the_fold_state_and_the_tallies_keep_the_facts_through_their_codecs(
    history: list[Recorded], period: Period
) -> None:
    timelines = fold(EMPTY_TIMELINES, history)
    tallied = TalliedReplay(0, "", {}, organisation_tally(timelines.facts, period))

    assert decode_state(encode_state(timelines)) == timelines
    assert decode_tallied(encode_tallied(tallied, "key"), "key") == tallied


def test_generated_organisation_streams_reach_what_these_properties_need() -> None:
    """Retractions recorded months after their fact, and closures across a year end:
    without them the properties above could pass without testing anything."""
    found: set[str] = set()

    @given(organisation_streams())
    def collect(stream: list[Recorded]) -> None:
        recorded_at = {r.event_id: r.recorded_at for r in stream}
        for r in stream:
            event = r.event
            if isinstance(event, FactRetracted):
                lag = r.recorded_at - recorded_at[event.retracts]
                found.add("retracted at once" if lag <= dt.timedelta(days=1) else "later")
            elif isinstance(event, ProviderClosed) and event.date.year < event.until.year:
                found.add("closed over new year")

    collect()
    assert found == {"retracted at once", "later", "closed over new year"}
