"""The domain's enums by their stored values.

A dict lookup rather than an ``Enum(value)`` call: replay and checkpoint decoding look up
hundreds of thousands of values, and the call costs several times more.
"""

from __future__ import annotations

from collections.abc import Mapping

from orbit_domain.events import Gender, HospiteringKind
from orbit_domain.outcomes import Outcome

GENDERS: Mapping[str, Gender] = {member.value: member for member in Gender}
HOSPITERING_KINDS: Mapping[str, HospiteringKind] = {
    member.value: member for member in HospiteringKind
}
OUTCOMES: Mapping[str, Outcome] = {member.value: member for member in Outcome}
