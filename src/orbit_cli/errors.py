"""Turn the errors a user can cause into one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

import click

# orbit's errors a user can cause, by module: looked up in sys.modules, never imported,
# so the group stays light (an error of a module nobody imported cannot have happened).
_USER_ERRORS = (
    ("orbit_adapters.store.engine", "StoreError"),
    ("orbit_domain.errors", "DomainError"),
    ("orbit_adapters.events_v1", "LineError"),
)


def is_user_error(error: Exception) -> bool:
    """A store, domain or events-v1 error, or an ``OSError``: one line, no traceback."""
    if isinstance(error, OSError):
        return True
    for module_name, class_name in _USER_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(error, getattr(module, class_name)):
            return True
    return False


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
        except Exception as error:
            if not is_user_error(error):
                raise
            raise click.ClickException(_one_line(error)) from None


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
