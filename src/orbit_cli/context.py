"""The state a command line shares between the group and its commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from orbit_cli.errors import describe
from orbit_cli.safe_text import printable

if TYPE_CHECKING:
    from orbit_adapters import Orbit


class CliState:
    """The options of the ``orbit`` group; the store is opened on first use only.

    A plain class, and ``Orbit`` imported when the store is first opened: ``orbit
    --help`` or ``orbit generate`` never load SQLAlchemy (docs/performance.md).
    """

    def __init__(
        self, store_url: str, organisation: str, key_file: str | None = None, quiet: bool = False
    ) -> None:
        self.store_url = store_url
        self.organisation = organisation
        self.key_file = key_file
        self.quiet = quiet
        self._orbit: Orbit | None = None

    def orbit(self, *, create: bool = False, needs_key: bool = True) -> Orbit:
        """The store, opened on first use.

        Only a command that stores events passes ``create``; any other finds no store
        at a mistyped URL and creates nothing. A command that ``needs_key`` is refused
        without the master key; the others (statistics) say that personal data cannot
        be read, and go on.
        """
        if self._orbit is None:
            from orbit_adapters import Orbit  # noqa: PLC0415 (lazy: see above)

            refuse_in_memory(self.store_url)
            self._orbit = Orbit.open(
                self.store_url,
                organisation=self.organisation,
                key_file=self.key_file,
                create=create,
                key_required=False,
            )
            click.get_current_context().call_on_close(self._orbit.close)
            for warning in self._orbit.warnings():
                click.echo(printable(f"warning: {warning}"), err=True)
            problem = self._orbit.key_problem
            if problem is not None and not needs_key:
                click.echo(
                    printable(
                        f"note: {problem}; the statistics need no key, "
                        "but personal data cannot be read without it"
                    ),
                    err=True,
                )
        if needs_key:
            self._orbit.require_key()
        return self._orbit

    @contextmanager
    def storing(self) -> Iterator[Orbit]:
        """The store for a command that stores events, created if there is none yet.

        If the command fails, a store it created is removed again, key file included:
        a rejected first import leaves no store behind.
        """
        orbit = self.orbit(create=True)
        try:
            yield orbit
        except BaseException:
            if orbit.created:
                self._orbit = None
                try:
                    orbit.remove_new_store()
                except Exception as error:  # the command's own error is the one to raise
                    click.echo(
                        printable(
                            f"warning: the new store could not be removed: {describe(error)}"
                        ),
                        err=True,
                    )
            raise


def refuse_in_memory(url: str) -> None:
    """An in-memory store ends with the command: whatever it stored would be lost."""
    from orbit_adapters.store.engine import is_in_memory  # noqa: PLC0415

    if is_in_memory(url):
        raise click.ClickException(
            f"{url} is an in-memory store, gone when the command ends: give a file "
            "(sqlite:///orbit.db) or a database server (postgresql+psycopg://user@host/db)"
        )


pass_state = click.make_pass_decorator(CliState)
