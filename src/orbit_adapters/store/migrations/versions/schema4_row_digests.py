"""Schema 4: each event row keeps the digest of its canonical line (orbit-fingerprint/3).

The fingerprint chained a canonical line built from each replayed row, a quarter of a
cold replay's time (docs/performance.md). orbit-fingerprint/3 chains per-row digests
instead, each computed once when the row is written. This revision adds the column,
fills it for every stored row, then makes it required, all inside the upgrade's one
transaction (store/upgrade.py).

The digest is defined by store/row_digest.py, which this revision uses as it is: it is
part of the definition of orbit-fingerprint/3 (docs/audit.md), so it cannot change
without a new form and a new revision.

Saved fingerprint chains and saved report tallies hold /2 fingerprints: they are
deleted, and the next report rebuilds them (the events are the source of truth).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from orbit_adapters.store.row_digest import row_digest

revision = "schema4"
down_revision = "schema3"
branch_labels = None
depends_on = None

ORGANISATION_STREAM = "#organisation"
PAGE = 10_000

_events = sa.table(
    "orbit_events",
    sa.column("position", sa.BigInteger()),
    sa.column("organisation", sa.String()),
    sa.column("stream", sa.String()),
    sa.column("event_id", sa.String()),
    sa.column("type", sa.String()),
    sa.column("date", sa.String()),
    sa.column("recorded_us", sa.BigInteger()),
    sa.column("data", sa.Text()),
    sa.column("digest", sa.LargeBinary()),
)


def upgrade() -> None:
    op.add_column("orbit_events", sa.Column("digest", sa.LargeBinary(), nullable=True))
    _fill_digests(op.get_bind())
    with op.batch_alter_table("orbit_events") as batch:
        batch.alter_column("digest", existing_type=sa.LargeBinary(), nullable=False)
    _drop_saved_fingerprints()


def downgrade() -> None:
    _drop_saved_fingerprints()
    with op.batch_alter_table("orbit_events") as batch:
        batch.drop_column("digest")


def _fill_digests(connection: sa.Connection) -> None:
    """Every row's digest, a page of rows at a time in store order, so that the first
    row met of each participant's stream is its first event (the stream's reference)."""
    first_event_of: dict[tuple[str, str], str] = {}
    read = sa.select(
        _events.c.position,
        _events.c.organisation,
        _events.c.stream,
        _events.c.event_id,
        _events.c.type,
        _events.c.date,
        _events.c.recorded_us,
        _events.c.data,
    ).order_by(_events.c.position)
    write = (
        sa.update(_events)
        .where(_events.c.position == sa.bindparam("at"))
        .values(digest=sa.bindparam("row_digest"))
    )
    after = None
    while True:
        page = read if after is None else read.where(_events.c.position > after)
        rows = connection.execute(page.limit(PAGE)).all()
        if not rows:
            return
        digests = []
        for position, organisation, stream, event_id, event_type, date, recorded_us, data in rows:
            reference = None
            if stream != ORGANISATION_STREAM:
                reference = first_event_of.setdefault((organisation, stream), event_id)
            digest = row_digest(reference, event_id, event_type, date, recorded_us, data)
            digests.append({"at": position, "row_digest": digest})
        connection.execute(write, digests)
        after = rows[-1].position


def _drop_saved_fingerprints() -> None:
    op.execute("DELETE FROM orbit_fingerprint_checkpoints")
    op.execute("DELETE FROM orbit_checkpoints WHERE name LIKE 'tallies:%'")
