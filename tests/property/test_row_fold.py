"""Replay folds stored rows directly (orbit_adapters.read_model.row_fold); the domain
folds events. Both must give the same state from the same store, at any split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from orbit_adapters.read_model.row_fold import _APPLY, _APPLY_FACT, MEMO_LIMIT, _Memo, fold_rows
from orbit_adapters.row_events import row_event
from orbit_adapters.store.replay_rows import replay_pages
from orbit_adapters.store.rows import ORGANISATION_STREAM, POSITION, StoredRow, from_microseconds
from orbit_domain.events import EVENT_TYPES
from orbit_domain.history import Recorded
from orbit_domain.projections import EMPTY_TIMELINES, TimelinesBuilder, fold
from property_support import memory_store, store_examples
from strategies import Line, interleaved, line_streams, texts_of


def _recorded(row: StoredRow) -> Recorded:
    """The row as the domain's fold, the reference, takes it: its event built again."""
    participant = None if row.stream == ORGANISATION_STREAM else row.stream
    return Recorded(participant, from_microseconds(row.recorded_us), row_event(row), row.event_id)


def test_every_stored_event_type_has_a_row_fold() -> None:
    assert set(_APPLY) | set(_APPLY_FACT) == set(EVENT_TYPES)
    assert not set(_APPLY) & set(_APPLY_FACT)


@store_examples
@given(line_streams(), st.data())
def test_folding_stored_rows_equals_folding_their_events_from_any_checkpoint(
    streams: list[list[Line]], data: st.DataObject
) -> None:
    """The rows folded from a checkpoint at any position give the state the domain's
    fold of the same stored events gives."""
    lines = texts_of(data.draw(interleaved(streams), label="store order"))
    with memory_store(lines) as orbit:
        store = orbit._store
        with store.reading() as reader:
            events = [_recorded(row) for row in reader.rows()]
            rows = [
                row
                for page in replay_pages(reader.connection, store.organisation, page_size=7)
                for row in page
            ]
    split = data.draw(st.integers(0, len(rows)), label="checkpoint")

    checkpoint = fold(EMPTY_TIMELINES, events[:split])
    builder = TimelinesBuilder(checkpoint)
    fold_rows(builder, rows[split:])

    assert builder.build() == fold(EMPTY_TIMELINES, events)
    assert [row[POSITION] for row in rows] == sorted(row[POSITION] for row in rows)


def test_a_memo_makes_each_text_once_and_starts_again_past_its_limit() -> None:
    made: list[str] = []

    def make(text: str) -> int:
        made.append(text)
        return len(text)

    memo = _Memo(make)
    assert [memo["ab"], memo["ab"], memo["abc"]] == [2, 2, 3]
    assert made == ["ab", "abc"]

    for number in range(MEMO_LIMIT + 10):
        assert memo[str(number)] == len(str(number))
    assert len(memo) <= MEMO_LIMIT
    assert memo["ab"] == 2
