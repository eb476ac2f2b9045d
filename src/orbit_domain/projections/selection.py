"""Which stored events a replay applies (report-v1, "Which events count")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from orbit_domain.history import Recorded


def is_replayed(recorded: Recorded, until: dt.date, known_at: dt.datetime | None) -> bool:
    """Dated on or before ``until`` and recorded on or before ``known_at`` (when given).

    ``ExitCorrected`` gets no exception: a correction recorded after ``known_at`` is not
    applied, which is what makes ``known_at`` the audit view.
    """
    return recorded.event.date <= until and (known_at is None or recorded.recorded_at <= known_at)


def select_replayed(
    events: Iterable[Recorded], until: dt.date, known_at: dt.datetime | None
) -> Iterator[Recorded]:
    """The events a replay up to ``until``, as known at ``known_at``, applies, in store order."""
    return (recorded for recorded in events if is_replayed(recorded, until, known_at))
