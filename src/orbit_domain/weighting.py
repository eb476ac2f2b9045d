"""How much of a seat a participant uses on one day, given their percentage."""

from __future__ import annotations

import enum

NAV_HALF_SEAT_BELOW = 50


class Weighting(enum.StrEnum):
    """The seat-usage weight of a day at some percentage.

    ``PROPORTIONAL`` (the spec's default): percentage / 100.
    ``NAV``: Nav's payment rule (domain notes §4): under 50 % counts as half a seat,
    50 % and more as a whole seat.
    """

    PROPORTIONAL = "proportional"
    NAV = "nav"

    def seat_percent(self, percentage: int) -> int:
        """The day's weight in hundredths of a seat; integers keep month sums exact."""
        if self is Weighting.NAV:
            return 50 if percentage < NAV_HALF_SEAT_BELOW else 100
        return percentage

    def seat_share(self, percentage: int) -> float:
        """The day's weight as a share of one seat (1.0 is a whole seat)."""
        return self.seat_percent(percentage) / 100
