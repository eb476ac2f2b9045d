"""Dashboard sessions: a token pasted once, then a random session id in a cookie.

The session lives in the server's memory only. It keeps the token itself so that every
request authenticates it again: a token revoked or expired ends its sessions at once.
The cookie carries nothing but the random id. Each session has its own CSRF token,
which every form posts back; the sign-in form, before there is a session, uses a random
value in a cookie of its own that the form repeats (a double submit). Failed sign-ins
are limited per address by the API's ``FailureLimiter``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import attrs

SESSION_SECONDS = 8 * 3600
"""A session ends eight hours after sign-in, used or not: a working day."""
MAX_SESSIONS = 10_000
"""Memory stays bounded: past this, the oldest session is dropped."""


@attrs.frozen
class Session:
    session_id: str
    token: str
    csrf: str
    expires: float


class SessionStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._clock = clock

    def create(self, token: str) -> Session:
        session = Session(
            session_id=secrets.token_urlsafe(32),
            token=token,
            csrf=secrets.token_urlsafe(32),
            expires=self._clock() + SESSION_SECONDS,
        )
        with self._lock:
            self._sessions[session.session_id] = session
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None and session.expires <= self._clock():
                del self._sessions[session_id]
                return None
        return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())
