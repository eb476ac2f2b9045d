"""The events-v1 codec, export/import round trips, and what the fingerprint notices."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_adapters import NewEvent
from orbit_adapters.events_v1 import decode_line, encode_line
from property_support import ALL_DATES, half_examples, memory_store, store_examples
from strategies import Line, field_changes, line_histories, private_changes, texts_of


@half_examples
@given(line_histories())
def test_decoding_an_encoded_event_gives_back_the_event_and_its_envelope(
    lines: list[Line],
) -> None:
    """``decode(encode(event))`` is the event with its participant, id and ``recorded_at``;
    encoding that again gives the same line, byte for byte."""
    for line in lines:
        recorded = line.recorded
        decoded = decode_line(line.text)

        assert decoded == NewEvent(
            recorded.event, recorded.participant, line.event_id, recorded.recorded_at
        )
        assert decoded.recorded_at is not None
        assert decoded.recorded_at.utcoffset() == recorded.recorded_at.utcoffset()
        assert encode_line(
            decoded.event, decoded.participant, line.event_id, decoded.recorded_at
        ) == (line.text)


@store_examples
@given(line_histories())
def test_export_then_import_into_an_empty_store_then_export_is_the_identity(
    lines: list[Line],
) -> None:
    """What a store exports imports into an empty SQLite store, which exports it again
    unchanged and gives the same fingerprint."""
    texts = texts_of(lines)

    with memory_store(texts) as original:
        exported = list(original.export_lines())
        fingerprint = original.fingerprint(until=ALL_DATES)
    with memory_store(line + "\n" for line in exported) as copy:
        again = list(copy.export_lines())
        copied_fingerprint = copy.fingerprint(until=ALL_DATES)

    assert exported == texts
    assert again == exported
    assert copied_fingerprint == fingerprint


@store_examples
@given(line_histories(), st.data())
def test_changing_any_single_field_of_any_replayed_event_changes_the_fingerprint(
    lines: list[Line], data: st.DataObject
) -> None:
    """Storing a valid history with one field of one event changed to another valid value
    (the id, ``recorded_at``, the date, the type, a ``data`` field set, changed or left
    out, or the participant, moving the event to another stream) gives another
    fingerprint than storing the original. Personal fields are the exception, below."""
    assume(lines)
    texts = texts_of(lines)
    index, changed = data.draw(field_changes(lines), label="changed line")
    changed_texts = [*texts[:index], changed, *texts[index + 1 :]]

    with memory_store(texts) as original, memory_store(changed_texts) as modified:
        assert modified._store.count() == len(texts)
        assert modified.fingerprint(until=ALL_DATES) != original.fingerprint(until=ALL_DATES)


def _has_participants(lines: list[Line]) -> bool:
    return any(line.recorded.participant is not None for line in lines)


@store_examples
@given(line_histories().filter(_has_participants), st.data())
def test_personal_fields_and_participant_keys_never_change_the_fingerprint(
    lines: list[Line], data: st.DataObject
) -> None:
    """Changing a personal field (birth year, municipality, referred by, department,
    employer, note, reason) or renaming a participant in all their events keeps the
    fingerprint: no figure depends on them, and a fingerprint printed before a
    participant is forgotten must still verify afterwards (docs/audit.md)."""
    changed_texts = data.draw(private_changes(lines), label="changed lines")

    with memory_store(texts_of(lines)) as original, memory_store(changed_texts) as modified:
        assert list(modified.export_lines()) == changed_texts
        assert modified.fingerprint(until=ALL_DATES) == original.fingerprint(until=ALL_DATES)
