"""``orbit forget`` and ``orbit keys rotate``: erasure and key management (docs/privacy.md)."""

from __future__ import annotations

import re

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.safe_text import printable
from orbit_cli.wording import counted


@click.command("forget")
@click.argument("participant")
@click.option("--reason", help="Why, for the erasure log (no personal data, please).")
@pass_state
def forget_command(state: CliState, participant: str, reason: str | None) -> None:
    """Erase PARTICIPANT's personal data; every statistic stays as it is.

    Their data key and their lookup entry are destroyed, so their personal fields can
    never be read again and nothing links their events to their key. The events keep
    their statistical fields, so every report and fingerprint is unchanged.
    """
    from orbit_adapters import UnknownParticipantError  # noqa: PLC0415 (lazy)

    try:
        forgotten = state.orbit().forget(participant, reason=reason)
    except UnknownParticipantError as unknown:
        if _holds_a_national_id(participant):
            raise click.ClickException(
                f"no participant with that key in organisation {state.organisation} (it holds "
                "a national identity number, which orbit never stores as a key)"
            ) from None
        raise click.ClickException(str(unknown)) from None
    shown = printable(participant, PARTICIPANT_LIMIT)
    if forgotten.already_on is not None:
        click.echo(f"{shown} was already forgotten on {forgotten.already_on}; nothing to do")
        return
    click.echo(
        f"forgot {shown}: personal data of {counted(forgotten.events, 'event')} erased, "
        "statistics kept"
    )


PARTICIPANT_LIMIT = 200


def _holds_a_national_id(text: str) -> bool:
    """Whether ``text``'s digits, separators and prefixes left out, hold an 11-digit
    national identity number: such a key is never repeated back."""
    from orbit_adapters.national_id import is_national_id  # noqa: PLC0415 (lazy)

    digits = re.sub(r"\D", "", text)
    return any(is_national_id(digits[start : start + 11]) for start in range(len(digits) - 10))


@click.group("keys")
def keys_group() -> None:
    """Manage the store's master key."""


@keys_group.command("rotate")
@pass_state
def rotate_command(state: CliState) -> None:
    """Re-wrap every data key under a new master key, without touching the events.

    The old key file is kept beside the new one as <file>.retired-<time>: backups taken
    before the rotation need it. Move or destroy it as your key policy says.
    """
    orbit = state.orbit()
    retired = orbit.rotate_master_key()
    click.echo(f"new master key in {orbit.key_file}; the old one is in {retired}")
