"""Progress for long imports and replays: a click progress bar on standard error.

It appears only when standard error is a terminal, once the work has run for a second,
and never with ``--quiet``; so JSON on standard output stays clean and short commands
stay silent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, BinaryIO, TextIO

import click

from orbit_cli.wording import number

SHOW_AFTER_SECONDS = 1.0


class Progress:
    """Counts work done out of ``total``; draws a bar once the work proves slow.

    The bar measures ``total`` in whatever is known up front (bytes of a file, events
    to replay); the rate it shows counts ``unit`` (events), which may differ.
    """

    def __init__(
        self,
        total: int,
        label: str,
        unit: str,
        *,
        enabled: bool,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._total = total
        self._label = label
        self._unit = unit
        self._stream = stream or sys.stderr
        self._clock = clock
        self._enabled = enabled and total > 0 and self._stream.isatty()
        self._started = clock()
        self._done = 0
        self._units = 0
        self._bar: Any = None

    @property
    def enabled(self) -> bool:
        """Whether a bar may be drawn at all."""
        return self._enabled

    def advance(self, amount: int, units: int | None = None) -> None:
        self._done += amount
        self._units += amount if units is None else units
        if not self._enabled:
            return
        if self._bar is None:
            if self._clock() - self._started < SHOW_AFTER_SECONDS:
                return
            self._bar = click.progressbar(
                length=self._total,
                label=self._label,
                file=self._stream,
                show_eta=True,
                show_percent=True,
                item_show_func=self._rate,
            )
            self._bar.__enter__()
            self._bar.update(self._done)
            return
        self._bar.update(amount)

    def _rate(self, _item: object) -> str:
        elapsed = max(self._clock() - self._started, 1e-9)
        return f"{number(round(self._units / elapsed))} {self._unit}/s"

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, traceback)


def lines_with_progress(source: BinaryIO, progress: Progress) -> Iterator[bytes]:
    """The lines of ``source``, advancing ``progress`` by the bytes read."""
    if not progress.enabled:  # no bar to draw (not a terminal, --quiet): no count per line
        yield from source
        return
    for line in source:
        progress.advance(len(line), units=1)
        yield line
