"""Schema 3: the organisation leads the unique indexes; access tokens.

The unique constraints of ``orbit_events`` and ``orbit_participants`` began with random
keys (stream ids, event ids, keyed hashes), so that one organisation's inserts touched
random pages all over a large store's indexes (docs/performance.md). The same columns,
organisation first: what is unique stays exactly what it was. SQLite cannot change a
table's constraints in place, so there Alembic copies each table (batch mode); on
PostgreSQL they are dropped and added again.

``orbit_tokens`` holds the access tokens of ``orbit serve`` (docs/http-api.md).

``orbit_schema`` becomes 3, so that an orbit from before Alembic refuses the store.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "schema3"
down_revision = "schema2"
branch_labels = None
depends_on = None

# table -> (constraint, its columns in schema 2), each unique constraint changed here
_UNIQUE = {
    "orbit_events": (
        ("orbit_events_stream_version", ("stream", "organisation", "version")),
        ("orbit_events_event_id", ("event_id", "organisation")),
    ),
    "orbit_participants": (
        ("orbit_participants_lookup", ("lookup", "organisation")),
        ("orbit_participants_stream", ("stream", "organisation")),
    ),
}


def _organisation_first(columns: tuple[str, ...]) -> list[str]:
    return ["organisation", *(column for column in columns if column != "organisation")]


def upgrade() -> None:
    for table, constraints in _UNIQUE.items():
        with op.batch_alter_table(table) as batch:
            for name, columns in constraints:
                batch.drop_constraint(name, type_="unique")
                batch.create_unique_constraint(name, _organisation_first(columns))
    op.create_table(
        "orbit_tokens",
        sa.Column("token_id", sa.String(32), primary_key=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.Column("expires_us", sa.BigInteger(), nullable=True),
        sa.Column("revoked_us", sa.BigInteger(), nullable=True),
    )
    op.execute("UPDATE orbit_schema SET version = 3")


def downgrade() -> None:
    op.execute("UPDATE orbit_schema SET version = 2")
    op.drop_table("orbit_tokens")
    for table, constraints in _UNIQUE.items():
        with op.batch_alter_table(table) as batch:
            for name, columns in constraints:
                batch.drop_constraint(name, type_="unique")
                batch.create_unique_constraint(name, list(columns))
