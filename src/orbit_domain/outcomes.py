"""Exit outcomes (resultat etter tiltak) and the groups the rates are built from."""

from __future__ import annotations

import enum


class OutcomeGroup(enum.StrEnum):
    WORK = "work"
    EDUCATION = "education"
    OTHER_ACTIVE = "other_active"
    INACTIVE = "inactive"
    UNKNOWN = "unknown"


class Outcome(enum.StrEnum):
    """Where a participant went after an exit, in the order the spec lists them."""

    WORK_UNSUBSIDISED = "work_unsubsidised"
    WORK_SUBSIDISED = "work_subsidised"
    VTO = "vto"
    EDUCATION_SELF_FUNDED = "education_self_funded"
    EDUCATION_NAV_FUNDED = "education_nav_funded"
    OTHER_ACTIVE = "other_active"
    TREATMENT = "treatment"
    PENSION = "pension"
    NO_ACTIVE = "no_active"
    UNKNOWN = "unknown"

    @property
    def group(self) -> OutcomeGroup:
        return _GROUPS[self]

    @property
    def counts_as_placement(self) -> bool:
        """Formidling: the exit went to work or education."""
        return self.group in (OutcomeGroup.WORK, OutcomeGroup.EDUCATION)

    @property
    def counts_as_activity(self) -> bool:
        """From passive benefit to activity: work, education or another active solution."""
        return self.counts_as_placement or self.group is OutcomeGroup.OTHER_ACTIVE


_GROUPS: dict[Outcome, OutcomeGroup] = {
    Outcome.WORK_UNSUBSIDISED: OutcomeGroup.WORK,
    Outcome.WORK_SUBSIDISED: OutcomeGroup.WORK,
    Outcome.VTO: OutcomeGroup.WORK,
    Outcome.EDUCATION_SELF_FUNDED: OutcomeGroup.EDUCATION,
    Outcome.EDUCATION_NAV_FUNDED: OutcomeGroup.EDUCATION,
    Outcome.OTHER_ACTIVE: OutcomeGroup.OTHER_ACTIVE,
    Outcome.TREATMENT: OutcomeGroup.INACTIVE,
    Outcome.PENSION: OutcomeGroup.INACTIVE,
    Outcome.NO_ACTIVE: OutcomeGroup.INACTIVE,
    Outcome.UNKNOWN: OutcomeGroup.UNKNOWN,
}
