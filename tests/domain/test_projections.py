"""Report figures from given events: one behaviour of report-v1 per test."""

from __future__ import annotations

import pytest
from example_histories import allocated, day, figures, journey, noon, period, recorded

from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    Gender,
    HospiteringEnded,
    HospiteringStarted,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ReferralWithdrawn,
    SurveyAnswered,
    Waitlisted,
)
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Month
from orbit_domain.projections import build_report
from orbit_domain.report import CourseCounts, MonthSeats
from orbit_domain.weighting import Weighting


class TestSeatUsage:
    def test_a_period_ending_inside_a_month_gives_that_months_partial_figures(self) -> None:
        history = [
            allocated("2024-01-01", 10),
            *journey("P-1", placed="2024-03-01"),
            *journey("P-2", placed="2024-03-06"),
        ]

        seats = figures(history, "2024-01-01", "2024-03-10").seat_usage

        assert seats.months == (
            MonthSeats(Month(2024, 1), allocated=10.0, used=0.0),
            MonthSeats(Month(2024, 2), allocated=10.0, used=0.0),
            # over 1-10 March: P-1 on 10 days, P-2 on 5
            MonthSeats(Month(2024, 3), allocated=10.0, used=1.5),
        )
        assert seats.used_total == 1.5
        assert seats.allocated_total == 30.0
        assert seats.utilisation == 0.05

    @pytest.mark.parametrize(
        ("percentage", "weighting", "seats_used"),
        [
            (49, Weighting.NAV, 0.5),
            (50, Weighting.NAV, 1.0),
            (100, Weighting.NAV, 1.0),
            (1, Weighting.NAV, 0.5),
            (49, Weighting.PROPORTIONAL, 0.49),
            (50, Weighting.PROPORTIONAL, 0.5),
            (100, Weighting.PROPORTIONAL, 1.0),
        ],
    )
    def test_a_day_at_some_percentage_uses_the_share_of_a_seat_its_weighting_gives(
        self, percentage: int, weighting: Weighting, seats_used: float
    ) -> None:
        history = journey("P-1", placed="2024-02-01", percentage=percentage)

        seats = figures(history, "2024-02-01", "2024-02-29", weighting=weighting).seat_usage

        assert seats.months == (MonthSeats(Month(2024, 2), allocated=0.0, used=seats_used),)

    def test_a_placement_without_a_percentage_uses_a_whole_seat(self) -> None:
        history = journey("P-1", placed="2024-02-01", percentage=None)

        assert figures(history, "2024-02-01", "2024-02-29").seat_usage.used_total == 1.0

    @pytest.mark.parametrize(
        ("weighting", "seats_used"),
        [(Weighting.PROPORTIONAL, (15 * 1.0 + 15 * 0.4) / 30), (Weighting.NAV, 0.75)],
    )
    def test_a_percentage_change_applies_from_its_own_date(
        self, weighting: Weighting, seats_used: float
    ) -> None:
        history = [
            *journey("P-1", placed="2024-04-01"),
            recorded("P-1", PercentageChanged(day("2024-04-16"), percentage=40)),
        ]

        seats = figures(history, "2024-04-01", "2024-04-30", weighting=weighting).seat_usage

        assert seats.used_total == pytest.approx(seats_used)

    def test_the_last_of_several_percentage_changes_on_one_day_holds(self) -> None:
        history = [
            *journey("P-1", placed="2024-04-01", percentage=100),
            recorded("P-1", PercentageChanged(day("2024-04-01"), percentage=20)),
            recorded("P-1", PercentageChanged(day("2024-04-01"), percentage=60)),
        ]

        assert figures(history, "2024-04-01", "2024-04-30").seat_usage.used_total == 0.6

    def test_the_exit_date_still_uses_a_seat(self) -> None:
        history = journey("P-1", placed="2024-05-01", exited="2024-05-10")

        seats = figures(history, "2024-05-01", "2024-05-31").seat_usage

        assert seats.used_total == pytest.approx(10 / 31)

    def test_allocations_are_weighted_by_the_days_they_are_in_force(self) -> None:
        history = [allocated("2024-01-01", 10), allocated("2024-01-16", 20)]

        seats = figures(history, "2024-01-01", "2024-01-31").seat_usage

        assert seats.allocated_total == pytest.approx((15 * 10 + 16 * 20) / 31)

    def test_no_seats_are_allocated_before_the_first_allocation(self) -> None:
        history = [allocated("2024-01-11", 31)]

        seats = figures(history, "2024-01-01", "2024-01-31").seat_usage

        assert seats.allocated_total == pytest.approx(21.0)

    def test_of_two_allocations_with_the_same_date_the_later_one_in_the_store_holds(
        self,
    ) -> None:
        history = [allocated("2024-02-01", 5), allocated("2024-02-01", 7)]

        assert figures(history, "2024-02-01", "2024-02-29").seat_usage.allocated_total == 7.0

    def test_an_allocation_recorded_for_an_earlier_date_replaces_the_one_in_force(self) -> None:
        history = [
            allocated("2024-03-01", 8, at="2024-01-01"),
            allocated("2024-02-01", 4, at="2024-01-02"),
        ]

        seats = figures(history, "2024-02-01", "2024-03-31").seat_usage

        assert [month.allocated for month in seats.months] == [4.0, 8.0]

    def test_nothing_allocated_gives_no_utilisation(self) -> None:
        history = journey("P-1", placed="2024-02-01", programme="LAERLING")

        seats = figures(history, "2024-02-01", "2024-02-29", "LAERLING").seat_usage

        assert seats.used_total == 1.0
        assert seats.utilisation is None


class TestParticipantsAndExits:
    def test_a_participant_is_active_on_their_exit_date_and_not_after(self) -> None:
        history = journey("P-1", placed="2024-05-01", exited="2024-05-10")

        on_exit_day = figures(history, "2024-05-10", "2024-05-10")
        day_after = figures(history, "2024-05-11", "2024-05-11")

        assert (on_exit_day.participants_served, on_exit_day.active_at_end) == (1, 1)
        assert (day_after.participants_served, day_after.active_at_end) == (0, 0)

    def test_a_participant_placed_after_the_period_is_not_served(self) -> None:
        history = journey("P-1", referred="2024-01-20", placed="2024-02-01")

        assert figures(history, "2024-01-01", "2024-01-31").participants_served == 0

    def test_a_re_entry_in_the_period_is_one_participant_served_but_two_starts(self) -> None:
        history = [
            *journey("P-1", placed="2024-02-01", exited="2024-03-01"),
            *journey("P-1", placed="2024-06-01"),
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert (report.participants_served, report.new_starts, report.exits) == (1, 2, 1)

    def test_a_participant_served_twice_is_counted_with_the_gender_of_the_first_journey(
        self,
    ) -> None:
        history = [
            *journey("P-1", placed="2023-06-01", exited="2023-12-31", gender=Gender.OTHER),
            *journey("P-1", placed="2024-02-01", exited="2024-03-01", gender=Gender.MALE),
            *journey("P-1", placed="2024-06-01", gender=Gender.FEMALE),
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert report.participants_by_gender[Gender.MALE] == 1
        assert sum(report.participants_by_gender.values()) == 1

    def test_a_referral_without_gender_counts_as_unknown(self) -> None:
        report = figures(journey("P-1", placed="2024-02-01"), "2024-01-01", "2024-12-31")

        assert report.participants_by_gender[Gender.UNKNOWN] == 1

    def test_rates_are_shares_of_exits_by_outcome_group(self) -> None:
        outcomes = [Outcome.WORK_SUBSIDISED, Outcome.EDUCATION_NAV_FUNDED, Outcome.OTHER_ACTIVE]
        outcomes += [Outcome.PENSION]
        history = [
            event
            for number, outcome in enumerate(outcomes)
            for event in journey(
                f"P-{number}", placed="2024-01-10", exited="2024-06-01", outcome=outcome
            )
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert report.exits == 4
        assert report.placement_rate == 0.5
        assert report.activity_rate == 0.75

    def test_rates_are_null_without_exits(self) -> None:
        report = figures(journey("P-1", placed="2024-02-01"), "2024-01-01", "2024-12-31")

        assert (report.placement_rate, report.activity_rate) == (None, None)

    def test_only_journeys_placed_and_exited_within_the_period_are_early_leavers(self) -> None:
        history = [
            *journey("P-1", placed="2023-12-01", exited="2024-02-01"),
            *journey("P-2", placed="2024-01-05", exited="2024-02-01"),
            *journey("P-3", placed="2024-01-05", exited="2025-02-01"),
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert report.early_leavers == 1


class TestCorrections:
    HISTORY = (
        *journey("P-1", placed="2024-01-10", exited="2024-03-01", outcome=Outcome.UNKNOWN),
        recorded("P-1", ExitCorrected(day("2024-03-01"), Outcome.WORK_UNSUBSIDISED), "2024-05-01"),
    )

    def test_a_correction_recorded_after_known_at_is_not_applied(self) -> None:
        report = figures(self.HISTORY, "2024-01-01", "2024-12-31", known_at=noon("2024-04-01"))

        assert report.exits_by_outcome[Outcome.UNKNOWN] == 1
        assert report.placement_rate == 0.0

    def test_a_correction_recorded_by_known_at_replaces_the_outcome(self) -> None:
        report = figures(self.HISTORY, "2024-01-01", "2024-12-31", known_at=noon("2024-06-01"))

        assert report.exits_by_outcome[Outcome.UNKNOWN] == 0
        assert report.exits_by_outcome[Outcome.WORK_UNSUBSIDISED] == 1
        assert report.placement_rate == 1.0

    def test_without_known_at_every_correction_applies(self) -> None:
        report = figures(self.HISTORY, "2024-01-01", "2024-12-31")

        assert report.exits_by_outcome[Outcome.WORK_UNSUBSIDISED] == 1

    def test_a_correction_replaces_the_latest_of_two_exits_on_its_date(self) -> None:
        history = [
            *journey("P-1", placed="2024-01-10", exited="2024-03-01", outcome=Outcome.UNKNOWN),
            *journey("P-1", placed="2024-03-01", exited="2024-03-01", outcome=Outcome.PENSION),
            recorded("P-1", ExitCorrected(day("2024-03-01"), Outcome.TREATMENT), "2024-04-01"),
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert report.exits_by_outcome[Outcome.UNKNOWN] == 1
        assert report.exits_by_outcome[Outcome.TREATMENT] == 1
        assert report.exits_by_outcome[Outcome.PENSION] == 0

    def test_the_last_of_several_corrections_holds(self) -> None:
        history = [
            *self.HISTORY,
            recorded("P-1", ExitCorrected(day("2024-03-01"), Outcome.NO_ACTIVE), "2024-07-01"),
        ]

        report = figures(history, "2024-01-01", "2024-12-31")

        assert report.exits_by_outcome[Outcome.NO_ACTIVE] == 1
        assert report.exits == 1


class TestWhichEventsCount:
    def test_events_dated_after_until_or_recorded_after_known_at_are_not_replayed(
        self,
    ) -> None:
        history = [
            allocated("2024-01-01", 10, at="2023-12-01"),
            *journey("P-1", placed="2024-02-01"),  # 2 events
            recorded("P-2", ParticipantReferred(day("2024-03-01"), programme="VTA"), "2024-08-01"),
            recorded("P-3", ParticipantReferred(day("2025-01-02"), programme="AFT")),
        ]

        report = build_report(
            history, period("2024-01-01", "2024-12-31"), known_at=noon("2024-07-01")
        )

        assert report.events_replayed == 3
        assert set(report.programmes) == {"AFT"}

    def test_every_programme_with_a_referral_or_an_allocation_by_until_is_reported(self) -> None:
        history = [
            allocated("2024-01-01", 3, programme="LAERLING"),
            *journey("P-1", placed="2024-02-01", programme="VTA"),
            *journey("P-2", referred="2024-12-31", programme="AMB"),
            allocated("2025-01-01", 4, programme="VTO"),
        ]

        report = build_report(history, period("2024-01-01", "2024-12-31"))

        assert list(report.programmes) == ["AMB", "LAERLING", "VTA"]

    def test_an_exit_after_until_leaves_the_participant_active_at_the_end(self) -> None:
        history = journey("P-1", placed="2024-02-01", exited="2025-01-15")

        report = figures(history, "2024-01-01", "2024-12-31")

        assert (report.active_at_end, report.exits) == (1, 0)


class TestWaitingList:
    def test_waiting_at_end_counts_waitlisted_journeys_neither_placed_nor_withdrawn(
        self,
    ) -> None:
        history = [
            *journey("P-1", waitlisted="2024-03-01"),
            *journey("P-2", waitlisted="2024-03-01"),
            recorded("P-2", ReferralWithdrawn(day("2024-04-01"))),
            *journey("P-3", waitlisted="2024-03-01", placed="2024-05-01"),
            *journey("P-4", waitlisted="2024-03-01", placed="2025-01-10"),
            *journey("P-5", referred="2024-03-01"),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").waiting.at_end == 2

    def test_waits_are_measured_from_waitlisting_to_placement_for_starts_in_the_period(
        self,
    ) -> None:
        history = [
            *journey("P-1", waitlisted="2024-01-01", placed="2024-01-11"),
            *journey("P-2", waitlisted="2024-01-01", placed="2024-01-21"),
            *journey("P-3", waitlisted="2024-01-01", placed="2024-02-10"),
            *journey("P-4", waitlisted="2024-01-01", placed="2024-03-11"),
            *journey("P-5", referred="2024-01-01", placed="2024-04-01"),
            *journey("P-6", waitlisted="2023-01-01", placed="2023-12-31"),
        ]

        waiting = figures(history, "2024-01-01", "2024-12-31").waiting

        assert waiting.started_from_waiting_list == 4
        assert waiting.max_wait_days == 70
        assert waiting.median_wait_days == 30.0  # the mean of 20 and 40

    def test_wait_figures_are_null_without_starts_from_the_waiting_list(self) -> None:
        waiting = figures(journey("P-1", placed="2024-02-01"), "2024-01-01", "2024-12-31").waiting

        assert (waiting.max_wait_days, waiting.median_wait_days) == (None, None)


class TestHospitering:
    def test_an_open_hospitering_lasts_to_until(self) -> None:
        history = [
            *journey("P-1", placed="2023-01-01"),
            recorded("P-1", HospiteringStarted(day("2023-06-01"))),
            recorded("P-1", HospiteringEnded(day("2025-06-01"))),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").hospitering_participants == 1

    def test_a_hospitering_ended_before_the_period_does_not_count(self) -> None:
        history = [
            *journey("P-1", placed="2023-01-01"),
            recorded("P-1", HospiteringStarted(day("2023-06-01"))),
            recorded("P-1", HospiteringEnded(day("2023-12-31"))),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").hospitering_participants == 0

    def test_an_exit_closes_an_open_hospitering(self) -> None:
        history = [
            *journey("P-1", placed="2023-01-01"),
            recorded("P-1", HospiteringStarted(day("2023-06-01"))),
            recorded("P-1", ParticipantExited(day("2023-12-31"), Outcome.UNKNOWN)),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").hospitering_participants == 0
        assert figures(history, "2023-12-31", "2024-12-31").hospitering_participants == 1

    def test_two_hospiterings_of_one_participant_count_once(self) -> None:
        history = [
            *journey("P-1", placed="2024-01-01"),
            recorded("P-1", HospiteringStarted(day("2024-02-01"))),
            recorded("P-1", HospiteringEnded(day("2024-02-10"))),
            recorded("P-1", HospiteringStarted(day("2024-03-01"))),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").hospitering_participants == 1


class TestCoursesAndSurveys:
    def test_course_and_survey_events_count_toward_the_programme_of_their_journey(
        self,
    ) -> None:
        history = [
            *journey("P-1", placed="2024-01-10", exited="2024-03-01"),
            recorded("P-1", CourseStarted(day("2024-02-01"), course="forklift")),
            *journey("P-1", placed="2024-04-01", programme="VTA"),
            recorded("P-1", CourseStarted(day("2024-05-01"), course="migranorsk")),
            recorded("P-1", SurveyAnswered(day("2024-05-02"), survey="user", score=3, scale_max=6)),
        ]

        aft = figures(history, "2024-01-01", "2024-12-31")
        vta = figures(history, "2024-01-01", "2024-12-31", "VTA")

        assert set(aft.courses.by_course) == {"forklift"}
        assert set(vta.courses.by_course) == {"migranorsk"}
        assert (set(aft.surveys), set(vta.surveys)) == (set(), {"user"})

    def test_courses_count_participants_starts_completions_categories_and_licences(
        self,
    ) -> None:
        history = [
            *journey("P-1", placed="2023-12-01"),
            recorded("P-1", CourseStarted(day("2023-12-15"), course="dpl:word")),
            recorded("P-1", CourseCompleted(day("2024-01-15"), course="dpl:word")),
            recorded(
                "P-1",
                CourseStarted(day("2024-02-01"), course="forklift", category="certificate"),
            ),
            recorded(
                "P-1",
                CourseStarted(
                    day("2024-03-01"), course="forklift", category="certificate", licence=True
                ),
            ),
            *journey("P-2", referred="2024-01-01"),
            recorded("P-2", CourseStarted(day("2024-02-01"), course="forklift", licence=False)),
        ]

        courses = figures(history, "2024-01-01", "2024-12-31").courses

        assert courses.by_course == {
            "forklift": CourseCounts(participants=2, starts=3, completions=0),
            "dpl:word": CourseCounts(participants=0, starts=0, completions=1),
        }
        assert courses.participants_by_category == {"certificate": 1}
        assert courses.licences_used == 1

    def test_surveys_average_scores_and_percentages_of_their_scale(self) -> None:
        history = [
            *journey("P-1", placed="2024-01-10"),
            recorded("P-1", SurveyAnswered(day("2024-02-01"), survey="user", score=3, scale_max=6)),
            recorded("P-1", SurveyAnswered(day("2024-03-01"), survey="user", score=6, scale_max=6)),
            recorded(
                "P-1", SurveyAnswered(day("2024-02-01"), survey="exit", score=5, scale_max=10)
            ),
            recorded("P-1", SurveyAnswered(day("2024-03-01"), survey="exit", score=5, scale_max=5)),
        ]

        surveys = figures(history, "2024-01-01", "2024-12-31").surveys

        assert (surveys["user"].responses, surveys["user"].mean_score) == (2, 4.5)
        assert (surveys["user"].scale_max, surveys["user"].mean_percent) == (6.0, 75.0)
        assert surveys["exit"].scale_max is None  # the answers used different scales
        assert surveys["exit"].mean_score == 5.0
        assert surveys["exit"].mean_percent == 75.0

    def test_a_journey_not_yet_placed_can_take_courses_and_answer_surveys(self) -> None:
        history = [
            recorded("P-1", ParticipantReferred(day("2024-01-05"), programme="VTA")),
            recorded("P-1", Waitlisted(day("2024-01-06"))),
            recorded("P-1", CourseStarted(day("2024-01-10"), course="norskkurs")),
            recorded("P-1", SurveyAnswered(day("2024-01-11"), survey="user", score=1, scale_max=6)),
            recorded("P-1", PlacementStarted(day("2025-01-01"))),
        ]

        report = figures(history, "2024-01-01", "2024-12-31", "VTA")

        assert report.courses.by_course["norskkurs"].starts == 1
        assert report.surveys["user"].responses == 1
        assert report.participants_served == 0
