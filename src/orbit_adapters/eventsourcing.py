"""orbit's events as an eventsourcing ``Application``, for services that follow orbit.

A service that keeps its own view of orbit's events (who is active today, a queue of
new referrals) uses the library's read side unchanged: ``OrbitApplication`` is an
``Application`` whose recorder is orbit's store and whose mapper turns each stored
event into an :class:`OrbitDomainEvent`, so ``ApplicationSubscription`` and
``ProjectionRunner`` work over orbit's events with a ``TrackingRecorder`` of the
library (docs/embedding.md has an example).

It reads, and only the statistical skeleton: stream ids are random, personal fields
stay sealed and nothing is decrypted, so it needs no master key. It never writes:
orbit's events go in through ``Orbit.append`` or an import, which check the journey
rules and seal the personal fields.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NoReturn, cast

import attrs
from eventsourcing.application import Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
)
from eventsourcing.popo import POPOFactory
from eventsourcing.utils import Environment

from orbit_adapters.events_v1 import LineError, event_from_data
from orbit_adapters.store.engine import DEFAULT_STORE_URL, parse_store_url
from orbit_adapters.store.event_store import (
    DEFAULT_ORGANISATION,
    EventStore,
    OrbitNotification,
    OrbitStoredEvent,
)
from orbit_adapters.store.rows import ORGANISATION_STREAM, from_microseconds, stored_date
from orbit_domain.events import Event
from orbit_domain.history import Recorded

__all__ = [
    "ORGANISATION_VARIABLE",
    "STORE_VARIABLE",
    "OrbitApplication",
    "OrbitDomainEvent",
    "OrbitMapper",
    "ReadOnlyApplicationError",
]

STORE_VARIABLE = "ORBIT_STORE"
ORGANISATION_VARIABLE = "ORBIT_ORGANISATION"


class ReadOnlyApplicationError(Exception):
    """OrbitApplication was asked to write: orbit's events go in through Orbit."""


@attrs.frozen
class OrbitDomainEvent:
    """One of orbit's events as the library sees it: the event in its envelope.

    ``originator_id`` is the stream: a participant's random stream id, or
    ``#organisation`` for the organisation's own facts. ``event`` is orbit's domain
    event with its personal fields left at their defaults (None).
    """

    originator_id: str
    originator_version: int
    event_id: str
    recorded_at: dt.datetime
    event: Event

    @property
    def timestamp(self) -> dt.datetime:
        """When the fact became known (the library's name for it)."""
        return self.recorded_at

    @property
    def participant(self) -> str | None:
        """The participant's random stream id; None for an organisation event."""
        return None if self.originator_id == ORGANISATION_STREAM else self.originator_id

    def recorded(self) -> Recorded:
        """The event as orbit's domain folds take it."""
        return Recorded(self.participant, self.recorded_at, self.event, self.event_id)


class OrbitMapper(Mapper[str]):
    """Stored rows to :class:`OrbitDomainEvent`; never the other way."""

    def to_domain_event(self, stored_event: StoredEvent) -> OrbitDomainEvent:
        if not isinstance(stored_event, OrbitStoredEvent | OrbitNotification):
            raise MapperDeserialisationError(
                f"stored event {stored_event.originator_id} version "
                f"{stored_event.originator_version} was not read from an orbit store"
            )
        try:
            data = json.loads(stored_event.state)
            event = event_from_data(stored_event.topic, stored_date(stored_event.date), data)
        except (LineError, ValueError) as error:
            raise MapperDeserialisationError(
                f"stored event {stored_event.event_id}: {error}"
            ) from None
        return OrbitDomainEvent(
            originator_id=str(stored_event.originator_id),
            originator_version=stored_event.originator_version,
            event_id=stored_event.event_id,
            recorded_at=from_microseconds(stored_event.recorded_us),
            event=event,
        )

    def to_stored_event(self, domain_event: Any) -> NoReturn:
        del domain_event
        raise _read_only()


class OrbitApplication(Application[str]):
    """orbit's store, read through the library: configured from the environment.

    ``ORBIT_STORE`` is the store's SQLAlchemy URL (default ``sqlite:///orbit.db``, as
    for the command line) and ``ORBIT_ORGANISATION`` the organisation (default
    ``default``); like every library setting, each may be prefixed with the
    application's name (``ORBITAPPLICATION_ORBIT_STORE``). The store must exist: the
    application never creates one. No key is read (``ORBIT_KEY_FILE`` may be set or
    not), because nothing is decrypted.

    Notification ids are the store's positions, which grow across all organisations of
    a store: to follow several organisations in one view, subclass it once per
    organisation, so that each has a name (and so a tracking record) of its own.
    """

    mapper: OrbitMapper

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        # The library's settings for storage do not apply: the recorder is orbit's store.
        return cast(InfrastructureFactory, POPOFactory(env))

    def construct_mapper(self) -> OrbitMapper:
        return OrbitMapper(transcoder=self.construct_transcoder())

    def construct_recorder(self) -> ApplicationRecorder:
        url = parse_store_url(self.env.get(STORE_VARIABLE) or DEFAULT_STORE_URL)
        organisation = self.env.get(ORGANISATION_VARIABLE) or DEFAULT_ORGANISATION
        return EventStore.open(url, organisation, create=False)

    @property
    def store(self) -> EventStore:
        assert isinstance(self.recorder, EventStore)
        return self.recorder

    def save(self, *objs: Any, **kwargs: Any) -> NoReturn:
        del objs, kwargs
        raise _read_only()

    def close(self) -> None:
        super().close()
        self.store.close()


def _read_only() -> ReadOnlyApplicationError:
    return ReadOnlyApplicationError(
        "OrbitApplication only reads: append orbit's events with Orbit.append or an import, "
        "which check the journey rules and seal the personal fields"
    )
