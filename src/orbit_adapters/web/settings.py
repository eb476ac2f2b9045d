"""How ``orbit serve`` is configured: limits and switches, from arguments or the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

MEBIBYTE = 1024 * 1024


class SettingsError(ValueError):
    """An environment variable of ``orbit serve`` holds something it cannot use."""


@attrs.frozen
class WebSettings:
    max_body_bytes: int = 64 * MEBIBYTE
    """The largest request body (an import) accepted; larger ones get 413."""
    secure_cookies: bool = False
    """Mark the dashboard's cookies Secure: set when the server is reached over TLS."""
    failed_sign_ins_burst: int = 10
    """Failed authentications a client address may make at once ..."""
    failed_sign_ins_per_minute: float = 10.0
    """... and then on average per minute; beyond that it gets 429."""
    report_cache_size: int = 512
    """Reports (and annual reports) kept in memory, least recently used dropped first."""
    rewarm_per_change: int = 8
    """After new events of an organisation, how many of its recent reports are made again at
    once, in the background, so that the next request finds them ready."""
    poll_seconds: float = 0.5
    """How often the read model looks for new events of each organisation it follows: twice
    a second keeps "within a second" after an import by another process; each poll is a
    query, and 30 organisations polled five times a second cost 12 % of a core while idle."""
    annual_config: Path | None = None
    """The annual report's TOML configuration (as ``orbit annual-report --config``)."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        """Settings from ``ORBIT_SERVE_*`` variables (docs/deployment.md lists them)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, field, parse in (
            ("ORBIT_SERVE_MAX_BODY_BYTES", "max_body_bytes", _positive_int),
            ("ORBIT_SERVE_SECURE_COOKIES", "secure_cookies", _flag),
            ("ORBIT_SERVE_REPORT_CACHE_SIZE", "report_cache_size", _positive_int),
            ("ORBIT_SERVE_FAILED_SIGN_INS_PER_MINUTE", "failed_sign_ins_per_minute", _rate),
            ("ORBIT_ANNUAL_CONFIG", "annual_config", Path),
        ):
            text = env.get(name)
            if text:
                try:
                    values[field] = parse(text)
                except ValueError:
                    raise SettingsError(f"{name}={text!r} is not usable here") from None
        return cls(**values)  # type: ignore[arg-type]


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(text)
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def _flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(text)
