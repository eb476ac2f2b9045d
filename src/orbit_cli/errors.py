"""Turn the errors a user can cause into one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

import click

from orbit_cli.safe_text import printable

# orbit's errors a user can cause, by module: looked up in sys.modules, never imported,
# so the group stays light (an error of a module nobody imported cannot have happened).
_USER_ERRORS = (
    ("orbit_adapters.store.engine", "StoreError"),
    ("orbit_domain.errors", "DomainError"),
    ("orbit_adapters.events_v1", "LineError"),
)
# A database's own errors (a file that is no database, a read-only file, a server gone
# away): one line of the driver's message, never the statement or its parameters, which
# hold keyed hashes and wrapped keys.
_DATABASE_ERRORS = (
    ("sqlalchemy.exc", "SQLAlchemyError"),
    ("sqlite3", "Error"),
    ("psycopg", "Error"),
)


def is_user_error(error: Exception) -> bool:
    """A store, domain or events-v1 error, or an ``OSError``: one line, no traceback."""
    return isinstance(error, OSError) or _is_one_of(error, _USER_ERRORS)


def is_database_error(error: Exception) -> bool:
    return _is_one_of(error, _DATABASE_ERRORS)


def _is_one_of(error: Exception, classes: tuple[tuple[str, str], ...]) -> bool:
    for module_name, class_name in classes:
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
                printable(f"{error.format_message()} (see '{command} --help')")
            ) from None
        except click.ClickException as error:  # every one but UsageError exits with 1
            raise click.ClickException(printable(error.format_message())) from None
        except Exception as error:
            if not (is_database_error(error) or is_user_error(error)):
                raise
            raise click.ClickException(printable(describe(error))) from None


def describe(error: Exception) -> str:
    """One line about a user's or the database's error, never SQL or its parameters."""
    if is_database_error(error):
        return f"the store failed: {_one_line(getattr(error, 'orig', None) or error)}"
    return _one_line(error)


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
