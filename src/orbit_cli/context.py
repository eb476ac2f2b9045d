"""The state a command line shares between the group and its commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from orbit_adapters.service import Orbit


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

    def orbit(self) -> Orbit:
        if self._orbit is None:
            from orbit_adapters.service import Orbit  # noqa: PLC0415 (lazy: see above)

            self._orbit = Orbit.open(
                self.store_url, organisation=self.organisation, key_file=self.key_file
            )
            click.get_current_context().call_on_close(self._orbit.close)
        return self._orbit


pass_state = click.make_pass_decorator(CliState)
