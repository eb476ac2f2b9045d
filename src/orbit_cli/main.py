"""The ``orbit`` command: a thin client of :class:`orbit_adapters.service.Orbit`."""

from __future__ import annotations

import gc
import os
import sys

import click

from orbit_cli.annual_report_command import annual_report_command
from orbit_cli.context import CliState
from orbit_cli.demo_command import demo_command
from orbit_cli.errors import OrbitGroup
from orbit_cli.funding_command import funding_command
from orbit_cli.generate_command import generate
from orbit_cli.io_commands import export_command, import_command, organisations_command
from orbit_cli.privacy_commands import forget_command, keys_group
from orbit_cli.report_commands import replay_command, report_command
from orbit_cli.upgrade_command import upgrade_command

# orbit_adapters' defaults, repeated so that the group does not import the store (and
# SQLAlchemy) to show them; tests/cli/test_startup.py checks they stay the same.
DEFAULT_STORE_URL = "sqlite:///orbit.db"
DEFAULT_ORGANISATION = "default"


@click.group(name="orbit", cls=OrbitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="ORBIT_STORE",
    default=DEFAULT_STORE_URL,
    show_default=True,
    metavar="URL",
    help="SQLAlchemy URL of the event store (env ORBIT_STORE).",
)
@click.option(
    "--organisation",
    envvar="ORBIT_ORGANISATION",
    default=DEFAULT_ORGANISATION,
    show_default=True,
    metavar="NAME",
    help="The organisation (company) whose events a command reads or writes "
    "(env ORBIT_ORGANISATION). One store can hold many, fully apart.",
)
@click.option(
    "--key-file",
    envvar="ORBIT_KEY_FILE",
    metavar="PATH",
    help="The store's master key file (env ORBIT_KEY_FILE). Default: beside a SQLite "
    "store (orbit.db.key), created on first use; a PostgreSQL store needs one given.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar (it only ever shows on a terminal, for work over a second).",
)
@click.version_option(package_name="orbit")
@click.pass_context
def cli(
    ctx: click.Context, store: str, organisation: str, key_file: str | None, quiet: bool
) -> None:
    """orbit: participant journeys as immutable events, and the statistics rebuilt from them."""
    ctx.obj = CliState(store_url=store, organisation=organisation, key_file=key_file, quiet=quiet)


cli.add_command(import_command)
cli.add_command(export_command)
cli.add_command(organisations_command)
cli.add_command(replay_command)
cli.add_command(report_command)
cli.add_command(funding_command)
cli.add_command(generate)
cli.add_command(forget_command)
cli.add_command(keys_group)
cli.add_command(demo_command)
cli.add_command(annual_report_command)
cli.add_command(upgrade_command)


# How many middle-generation collections a full collection waits for (Python's default
# is 10). See tune_garbage_collector.
FULL_COLLECTION_AFTER = 1_000


def tune_garbage_collector() -> None:
    """Make full garbage collections rare in this process: the ``orbit`` command only.

    orbit builds millions of small objects that live until the command ends, none of
    them garbage, and Python's default thresholds have the collector traverse them all
    again each time the old generation grows by a quarter. The young generations keep
    Python's thresholds, so short-lived cycles are still freed soon. An embedding
    service owns its process and its collector, so the library never does this. The
    measurements, and the settings tried and dropped, are in docs/performance.md
    ("The garbage collector's thresholds").
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def main() -> None:
    tune_garbage_collector()
    try:
        cli(prog_name="orbit")
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
