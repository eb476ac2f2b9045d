"""Turn the errors a user can cause into one line and a non-zero exit, never a traceback."""

from __future__ import annotations

from typing import Any

import click

from orbit_adapters.events_v1 import LineError
from orbit_adapters.store.engine import StoreError
from orbit_domain.errors import DomainError

USER_ERRORS: tuple[type[Exception], ...] = (StoreError, DomainError, LineError, OSError)


class OrbitGroup(click.Group):
    """A click group whose commands report orbit's user errors as ``Error: <one line>``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader went away (orbit export | head): main() ends quietly
        except click.UsageError as error:
            # click would print the usage block and a hint first; one line says as much.
            command = f"{ctx.info_name} {ctx.invoked_subcommand or ''}".strip()
            raise click.ClickException(
                f"{error.format_message()} (see '{command} --help')"
            ) from None
        except USER_ERRORS as error:
            raise click.ClickException(_one_line(error)) from None


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
