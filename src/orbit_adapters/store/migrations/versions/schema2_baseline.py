"""Schema 2, the baseline: the tables as orbit made them before Alembic.

A store made then has no version table: store/upgrade.py recognises it by
``orbit_schema`` (version 2) and stamps it with this revision. Running this revision
makes such a store from nothing (the tests build schema-2 stores on PostgreSQL this
way). Frozen as it was: later changes go in later revisions, never here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "schema2"
down_revision = None
branch_labels = None
depends_on = None

_POSITION = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "orbit_events",
        sa.Column("position", _POSITION, primary_key=True),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("recorded_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("personal", sa.LargeBinary(), nullable=True),
        sa.UniqueConstraint(
            "stream", "organisation", "version", name="orbit_events_stream_version"
        ),
        sa.UniqueConstraint("event_id", "organisation", name="orbit_events_event_id"),
    )
    op.create_index(
        "orbit_events_organisation_position", "orbit_events", ["organisation", "position"]
    )
    schema = op.create_table("orbit_schema", sa.Column("version", sa.Integer(), nullable=False))
    op.create_table(
        "orbit_keyring",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "orbit_participants",
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("lookup", sa.String(64), nullable=False),
        sa.Column("stream", sa.String(32), nullable=False),
        sa.Column("data_key", sa.LargeBinary(), nullable=False),
        sa.Column("participant", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("lookup", "organisation", name="orbit_participants_lookup"),
        sa.UniqueConstraint("stream", "organisation", name="orbit_participants_stream"),
    )
    op.create_table(
        "orbit_erasures",
        sa.Column("position", _POSITION, primary_key=True),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("lookup", sa.String(64), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("recorded_us", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
    )
    op.create_table(
        "orbit_readmissions",
        sa.Column("position", _POSITION, primary_key=True),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("lookup", sa.String(64), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("recorded_us", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "orbit_checkpoints",
        sa.Column("organisation", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("anchor", sa.String(128), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "orbit_fingerprint_checkpoints",
        sa.Column("organisation", sa.String(64), primary_key=True),
        sa.Column("until", sa.String(10), primary_key=True),
        sa.Column("known_at_us", sa.BigInteger(), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("anchor", sa.String(128), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("chain", sa.LargeBinary(), nullable=False),
    )
    op.bulk_insert(schema, [{"version": 2}])


def downgrade() -> None:
    for table in (
        "orbit_fingerprint_checkpoints",
        "orbit_checkpoints",
        "orbit_readmissions",
        "orbit_erasures",
        "orbit_participants",
        "orbit_keyring",
        "orbit_schema",
        "orbit_events",
    ):
        op.drop_table(table)
