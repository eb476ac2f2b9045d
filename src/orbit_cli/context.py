"""The state a command line shares between the group and its commands."""

from __future__ import annotations

import attrs
import click

from orbit_adapters.service import Orbit


@attrs.define
class CliState:
    """The options of the ``orbit`` group; the store is opened on first use only."""

    store_url: str
    organisation: str
    key_file: str | None = None
    quiet: bool = False
    _orbit: Orbit | None = None

    def orbit(self) -> Orbit:
        if self._orbit is None:
            self._orbit = Orbit.open(
                self.store_url, organisation=self.organisation, key_file=self.key_file
            )
            click.get_current_context().call_on_close(self._orbit.close)
        return self._orbit


pass_state = click.make_pass_decorator(CliState)
