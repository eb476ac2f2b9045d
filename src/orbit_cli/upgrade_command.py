"""``orbit upgrade``: move the store to this orbit's schema."""

from __future__ import annotations

import click

from orbit_cli.context import CliState, pass_state, refuse_in_memory
from orbit_cli.safe_text import printable


@click.command("upgrade")
@pass_state
def upgrade_command(state: CliState) -> None:
    """Move the store to this orbit's schema (in one transaction; a SQLite store is copied
    beside itself first). Every other command refuses a store of an older schema."""
    from orbit_adapters import upgrade_store  # noqa: PLC0415 (lazy: the group stays light)

    refuse_in_memory(state.store_url)
    done = upgrade_store(state.store_url)
    if not done.upgraded:
        click.echo(printable(f"{done.store} is at {done.after} already: nothing to do"))
        return
    click.echo(printable(f"upgraded {done.store} from {done.before} to {done.after}"))
    if done.backup is not None:
        click.echo(
            printable(
                f"the store as it was is kept in {done.backup}: delete it once the upgrade "
                "is checked (it still holds what a later `orbit forget` erases)"
            )
        )
