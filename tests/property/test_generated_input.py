"""The generators the properties rely on do what they promise (else a property is vacuous)."""

from __future__ import annotations

import datetime as dt

from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from property_support import ALL_DATES, has_same_day_reentry, placements, store_examples
from strategies import (
    FullMonth,
    Line,
    field_changes,
    full_month_placements,
    histories,
    line_histories,
    store_problem,
    surely_invalid_lines,
    texts_of,
)

_first_found = settings(phases=[Phase.generate], max_examples=1000, database=None)
"""For ``find``: any example will do, so no shrinking."""


@store_examples
@given(line_histories())
def test_generated_lines_form_a_store_the_import_checks_accept(lines: list[Line]) -> None:
    assert store_problem(texts_of(lines)) is None


@given(surely_invalid_lines)
def test_lines_every_store_must_reject_fail_the_import_checks(line: str | bytes) -> None:
    assert store_problem([line]) is not None


@store_examples
@given(line_histories().filter(bool), st.data())
def test_a_field_change_turns_one_line_into_another_that_keeps_the_store_valid(
    lines: list[Line], data: st.DataObject
) -> None:
    texts = texts_of(lines)
    index, changed = data.draw(field_changes(lines))

    assert changed != texts[index]
    assert store_problem([*texts[:index], changed, *texts[index + 1 :]]) is None


@given(full_month_placements())
def test_a_full_month_placement_covers_every_day_of_its_month(case: FullMonth) -> None:
    (placement,) = placements(case.history, ALL_DATES)

    assert placement.programme == case.programme
    assert placement.is_active_on(case.month.first_day)
    assert placement.is_active_on(case.month.last_day)


def test_generated_histories_include_same_day_reentries() -> None:
    """Without them the stock-and-flow identity's correction term would go untested."""

    def reenters(history: list[Recorded]) -> bool:
        return has_same_day_reentry(placements(history, ALL_DATES))

    assert reenters(find(histories(), reenters, settings=_first_found))


def test_generated_histories_include_exits_on_the_last_day_of_a_month() -> None:
    def exit_at_month_end(history: list[Recorded]) -> bool:
        return any(
            p.end is not None and (p.end + dt.timedelta(days=1)).day == 1
            for p in placements(history, ALL_DATES)
        )

    assert exit_at_month_end(find(histories(), exit_at_month_end, settings=_first_found))
