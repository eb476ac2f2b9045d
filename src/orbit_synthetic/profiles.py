"""How journeys tend to go in each programme: the generator's knobs, in one place.

The figures follow the domain notes: AFT lasts about a year (extendable to two, rarely
three) with step-ups from a part-time start and external practice near the end, and
Nav's target of 50 % to work or education is nearly met; VTA is permanent, so exits
are few and often to VTA in ordinary work (``vto``) or pension, and part-time seats
(some below 50 %) are common; LAERLING is a small two-year apprenticeship programme.
"""

from __future__ import annotations

import attrs

from orbit_domain.events import HospiteringKind
from orbit_domain.outcomes import Outcome
from orbit_synthetic.draws import Durations, Weighted


@attrs.frozen
class Profile:
    code: str
    key_share: float  # share of the organisation's participants first referred here
    age_at_referral: tuple[int, int, int]  # low, high, mode
    withdrawal_rate: float
    waitlist_rate: float
    wait: Durations  # from Waitlisted to PlacementStarted
    direct_start_days: tuple[int, int]  # from referral to start, when not waitlisted
    placement: Durations  # from PlacementStarted to ParticipantExited
    early_exit_days: int  # placements shorter than this end with early_outcomes
    start_percentage: Weighted[int]
    step_up_rate: float  # chance of one more step-up every one to three months
    percentage_changes_per_year: float
    hospitering_kind: HospiteringKind
    hospiterings_per_year: float
    hospitering_days: tuple[int, int]
    courses_per_year: float
    courses: Weighted[str]
    start_survey_rate: float  # a user survey after the first weeks (AFT's kartlegging)
    exit_survey_rate: float
    outcomes: Weighted[Outcome]
    early_outcomes: Weighted[Outcome]
    reentry_after_withdrawal: float
    reentry_after_exit: float  # after an exit not to work or education; a quarter of it otherwise
    reentry_programmes: Weighted[str]


AFT = Profile(
    code="AFT",
    key_share=0.80,
    age_at_referral=(18, 64, 27),
    withdrawal_rate=0.13,
    waitlist_rate=0.85,
    wait=Durations.of({(7, 30): 30, (30, 90): 50, (90, 170): 20}),
    direct_start_days=(5, 30),
    placement=Durations.of(
        {(20, 90): 12, (150, 300): 25, (300, 420): 38, (420, 730): 22, (730, 1000): 3}
    ),
    early_exit_days=90,
    start_percentage=Weighted.of({40: 5, 50: 30, 60: 15, 80: 15, 100: 35}),
    step_up_rate=0.8,
    percentage_changes_per_year=0.0,
    hospitering_kind=HospiteringKind.PRACTICE,
    hospiterings_per_year=0.6,
    hospitering_days=(30, 120),
    courses_per_year=3.5,
    courses=Weighted.of(
        {
            "migranorsk": 15,
            "norsk:arbeidsliv": 8,
            "dpl:word": 12,
            "dpl:excel": 10,
            "karriereportalen": 15,
            "forklift": 10,
            "hygienekurs": 6,
            "førstehjelp": 6,
            "vr:interview": 12,
            "vr:workplace": 6,
        }
    ),
    start_survey_rate=0.7,
    exit_survey_rate=0.65,
    outcomes=Weighted.of(
        {
            Outcome.WORK_UNSUBSIDISED: 19,
            Outcome.WORK_SUBSIDISED: 13,
            Outcome.VTO: 1,
            Outcome.EDUCATION_SELF_FUNDED: 4,
            Outcome.EDUCATION_NAV_FUNDED: 9,
            Outcome.OTHER_ACTIVE: 16,
            Outcome.TREATMENT: 11,
            Outcome.PENSION: 4,
            Outcome.NO_ACTIVE: 14,
            Outcome.UNKNOWN: 9,
        }
    ),
    early_outcomes=Weighted.of(
        {
            Outcome.WORK_UNSUBSIDISED: 10,
            Outcome.WORK_SUBSIDISED: 3,
            Outcome.EDUCATION_SELF_FUNDED: 4,
            Outcome.OTHER_ACTIVE: 15,
            Outcome.TREATMENT: 25,
            Outcome.PENSION: 3,
            Outcome.NO_ACTIVE: 30,
            Outcome.UNKNOWN: 10,
        }
    ),
    reentry_after_withdrawal=0.2,
    reentry_after_exit=0.15,
    reentry_programmes=Weighted.of({"AFT": 70, "VTA": 30}),
)

VTA = Profile(
    code="VTA",
    key_share=0.15,
    age_at_referral=(18, 62, 28),
    withdrawal_rate=0.08,
    waitlist_rate=0.9,
    wait=Durations.of({(14, 90): 30, (90, 270): 50, (270, 540): 20}),
    direct_start_days=(10, 45),
    placement=Durations.of({(60, 365): 8, (365, 1825): 25, (1825, 5475): 40, (5475, 10950): 27}),
    early_exit_days=365,
    start_percentage=Weighted.of({100: 40, 80: 14, 60: 12, 50: 14, 40: 12, 30: 5, 20: 3}),
    step_up_rate=0.0,
    percentage_changes_per_year=0.2,
    hospitering_kind=HospiteringKind.HOSPITERING,
    hospiterings_per_year=0.15,
    hospitering_days=(60, 270),
    courses_per_year=1.5,
    courses=Weighted.of(
        {
            "migranorsk": 4,
            "norsk:arbeidsliv": 4,
            "dpl:word": 8,
            "dpl:excel": 4,
            "karriereportalen": 2,
            "forklift": 8,
            "hygienekurs": 12,
            "førstehjelp": 14,
            "vr:interview": 2,
            "vr:workplace": 6,
        }
    ),
    start_survey_rate=0.0,
    exit_survey_rate=0.4,
    outcomes=Weighted.of(
        {
            Outcome.WORK_UNSUBSIDISED: 5,
            Outcome.WORK_SUBSIDISED: 8,
            Outcome.VTO: 16,
            Outcome.EDUCATION_NAV_FUNDED: 1,
            Outcome.OTHER_ACTIVE: 12,
            Outcome.TREATMENT: 6,
            Outcome.PENSION: 32,
            Outcome.NO_ACTIVE: 10,
            Outcome.UNKNOWN: 10,
        }
    ),
    early_outcomes=Weighted.of(
        {
            Outcome.OTHER_ACTIVE: 30,
            Outcome.TREATMENT: 25,
            Outcome.NO_ACTIVE: 30,
            Outcome.UNKNOWN: 15,
        }
    ),
    reentry_after_withdrawal=0.15,
    reentry_after_exit=0.05,
    reentry_programmes=Weighted.of({"VTA": 90, "AFT": 10}),
)

LAERLING = Profile(
    code="LAERLING",
    key_share=0.05,
    age_at_referral=(16, 25, 18),
    withdrawal_rate=0.1,
    waitlist_rate=0.6,
    wait=Durations.of({(7, 60): 60, (60, 200): 40}),
    direct_start_days=(5, 30),
    placement=Durations.of({(30, 180): 10, (540, 730): 55, (730, 900): 35}),
    early_exit_days=180,
    start_percentage=Weighted.of({100: 85, 80: 10, 60: 5}),
    step_up_rate=0.3,
    percentage_changes_per_year=0.0,
    hospitering_kind=HospiteringKind.PRACTICE,
    hospiterings_per_year=0.5,
    hospitering_days=(60, 180),
    courses_per_year=2.0,
    courses=Weighted.of(
        {
            "forklift": 20,
            "førstehjelp": 20,
            "hygienekurs": 10,
            "dpl:excel": 10,
            "dpl:word": 10,
            "vr:workplace": 10,
            "karriereportalen": 10,
        }
    ),
    start_survey_rate=0.7,
    exit_survey_rate=0.7,
    outcomes=Weighted.of(
        {
            Outcome.WORK_UNSUBSIDISED: 30,
            Outcome.WORK_SUBSIDISED: 15,
            Outcome.EDUCATION_SELF_FUNDED: 10,
            Outcome.EDUCATION_NAV_FUNDED: 20,
            Outcome.OTHER_ACTIVE: 8,
            Outcome.TREATMENT: 3,
            Outcome.NO_ACTIVE: 7,
            Outcome.UNKNOWN: 7,
        }
    ),
    early_outcomes=Weighted.of(
        {
            Outcome.WORK_UNSUBSIDISED: 15,
            Outcome.EDUCATION_SELF_FUNDED: 20,
            Outcome.OTHER_ACTIVE: 25,
            Outcome.NO_ACTIVE: 30,
            Outcome.UNKNOWN: 10,
        }
    ),
    reentry_after_withdrawal=0.1,
    reentry_after_exit=0.1,
    reentry_programmes=Weighted.of({"AFT": 70, "LAERLING": 30}),
)

PROFILES: dict[str, Profile] = {profile.code: profile for profile in (AFT, VTA, LAERLING)}
