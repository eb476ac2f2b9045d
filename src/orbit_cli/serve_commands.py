"""``orbit serve`` (the HTTP API and dashboard) and ``orbit tokens`` (who may use them)."""

# ruff: noqa: PLC0415 (the web adapter, FastAPI and uvicorn load only when a command runs)

from __future__ import annotations

import datetime as dt

import click

from orbit_cli.context import CliState, pass_state, refuse_in_memory
from orbit_cli.params import parse_date
from orbit_cli.safe_text import printable

ROLES = ("reader", "importer")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (the default reaches this machine only; see docs/deployment.md).",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8700, show_default=True, help="TCP port."
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    metavar="IPS",
    help="Proxies whose X-Forwarded-For names the client (comma-separated, or *).",
)
@pass_state
def serve_command(state: CliState, host: str, port: int, forwarded_allow_ips: str) -> None:
    """Serve the HTTP API (and dashboard) of the store until interrupted (Ctrl-C).

    Every request needs a token made by 'orbit tokens create'. Settings such as the
    request body limit come from ORBIT_SERVE_* variables (docs/deployment.md).
    """
    from orbit_adapters.web import (
        ServeUnavailableError,
        SettingsError,
        WebSettings,
        run_server,
    )

    refuse_in_memory(state.store_url)
    try:
        settings = WebSettings.from_environment()
        run_server(
            state.store_url,
            host=host,
            port=port,
            key_file=state.key_file,
            settings=settings,
            forwarded_allow_ips=forwarded_allow_ips,
        )
    except (ServeUnavailableError, SettingsError) as error:
        raise click.ClickException(str(error)) from None


@click.group("tokens")
def tokens_group() -> None:
    """Tokens for 'orbit serve': make, list and revoke them."""


@tokens_group.command("create")
@click.option(
    "--organisation", "organisation", metavar="NAME", help="The one organisation it may see."
)
@click.option(
    "--all-organisations", is_flag=True, help="It may see every organisation (an admin token)."
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="reader: reports and annual reports; importer: import and export events.",
)
@click.option(
    "--expires",
    metavar="DATE",
    callback=parse_date,
    help="It stops working at the start of DATE (00:00 UTC) [default: never].",
)
@pass_state
def create_command(
    state: CliState,
    organisation: str | None,
    all_organisations: bool,
    role: str,
    expires: dt.date | None,
) -> None:
    """Make a token and print it, once: only its hash is stored."""
    from orbit_adapters.web import Role

    if (organisation is None) == (not all_organisations):
        raise click.UsageError("give either --organisation NAME or --all-organisations")
    expires_at = None
    if expires is not None:
        expires_at = dt.datetime.combine(expires, dt.time(), tzinfo=dt.UTC)
    tokens = state.orbit(needs_key=False).tokens()
    made = tokens.create(
        Role(role), organisation, now=dt.datetime.now(dt.UTC), expires_at=expires_at
    )
    click.echo(made.secret)
    seen = organisation or "every organisation"
    click.echo(
        printable(f"token {made.info.token_id}: {role} of {seen}; shown this once, keep it secret"),
        err=True,
    )


@tokens_group.command("list")
@pass_state
def list_command(state: CliState) -> None:
    """Every token: id, role, organisation (* for all), made, expires, state. Never secrets."""
    now = dt.datetime.now(dt.UTC)
    tokens = state.orbit(needs_key=False).tokens().list()
    if not tokens:
        click.echo("no tokens yet: make one with 'orbit tokens create'", err=True)
    for info in tokens:
        expires = "never" if info.expires_at is None else _moment(info.expires_at)
        fields = [
            info.token_id,
            info.role.value,
            info.organisation or "*",
            _moment(info.created_at),
            expires,
            info.state(now),
        ]
        click.echo("\t".join(printable(field) for field in fields))


@tokens_group.command("revoke")
@click.argument("token_id", metavar="ID")
@pass_state
def revoke_command(state: CliState, token_id: str) -> None:
    """Revoke the token ID for good (see 'orbit tokens list')."""

    info = state.orbit(needs_key=False).tokens().revoke(token_id, now=dt.datetime.now(dt.UTC))
    assert info.revoked_at is not None
    click.echo(printable(f"token {info.token_id} revoked at {_moment(info.revoked_at)}"))


def _moment(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
