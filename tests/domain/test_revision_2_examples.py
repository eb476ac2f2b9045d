"""The per-programme figures added in report-v1 revision 2: exits by outcome group, days
with a waiting list, the allocation before the period and its spans over it."""

from __future__ import annotations

import datetime as dt

from example_histories import allocated, day, figures, journey, period, recorded

from orbit_domain.events import ReferralWithdrawn
from orbit_domain.outcomes import Outcome, OutcomeGroup
from orbit_domain.projections import build_report
from orbit_domain.report import AllocationSpan


class TestExitsByGroup:
    def test_every_group_is_listed_and_each_exit_counts_in_its_outcomes_group(self) -> None:
        history = [
            *journey("P-1", placed="2024-01-10", exited="2024-03-01", outcome=Outcome.VTO),
            *journey(
                "P-2", placed="2024-01-10", exited="2024-04-01", outcome=Outcome.WORK_SUBSIDISED
            ),
            *journey(
                "P-3",
                placed="2024-01-10",
                exited="2024-05-01",
                outcome=Outcome.EDUCATION_NAV_FUNDED,
            ),
            *journey("P-4", placed="2024-01-10", exited="2024-06-01", outcome=Outcome.PENSION),
        ]

        by_group = figures(history, "2024-01-01", "2024-12-31").exits_by_group

        assert by_group == {
            OutcomeGroup.WORK: 2,
            OutcomeGroup.EDUCATION: 1,
            OutcomeGroup.OTHER_ACTIVE: 0,
            OutcomeGroup.INACTIVE: 1,
            OutcomeGroup.UNKNOWN: 0,
        }

    def test_the_json_lists_the_groups_in_the_order_of_the_spec(self) -> None:
        history = journey("P-1", placed="2024-01-10", exited="2024-03-01")

        written = build_report(history, period("2024-01-01", "2024-12-31")).to_json_dict()

        assert written["programmes"]["AFT"]["exits_by_group"] == {
            "work": 1,
            "education": 0,
            "other_active": 0,
            "inactive": 0,
            "unknown": 0,
        }


class TestDaysWithWaitingList:
    def test_a_journey_waits_from_its_waitlisting_to_the_day_before_its_placement(
        self,
    ) -> None:
        history = journey("P-1", waitlisted="2024-03-10", placed="2024-03-15")

        waiting = figures(history, "2024-01-01", "2024-12-31").waiting

        assert waiting.days_with_waiting_list == 5  # the 10th to the 14th

    def test_a_placement_on_the_day_of_waitlisting_leaves_no_day_with_a_waiting_list(
        self,
    ) -> None:
        history = journey("P-1", waitlisted="2024-03-10", placed="2024-03-10")

        assert figures(history, "2024-01-01", "2024-12-31").waiting.days_with_waiting_list == 0

    def test_a_withdrawal_ends_the_wait_on_the_day_before(self) -> None:
        history = [
            *journey("P-1", waitlisted="2024-03-10"),
            recorded("P-1", ReferralWithdrawn(day("2024-03-12"))),
        ]

        assert figures(history, "2024-01-01", "2024-12-31").waiting.days_with_waiting_list == 2

    def test_overlapping_waits_count_each_day_once_and_only_inside_the_period(self) -> None:
        history = [
            *journey("P-1", waitlisted="2023-12-20", placed="2024-01-06"),  # 1st to 5th
            *journey("P-2", waitlisted="2024-01-03", placed="2024-01-11"),  # 3rd to 10th
            *journey("P-3", waitlisted="2024-01-20", placed="2024-02-15"),  # after until
        ]

        waiting = figures(history, "2024-01-01", "2024-01-31").waiting

        assert waiting.days_with_waiting_list == 10 + 12  # the 1st to 10th, 20th to 31st

    def test_the_worked_example_of_docs_reports_gives_ten_days_in_march(self) -> None:
        history = [
            *journey("Ahmed", waitlisted="2024-03-10", placed="2024-03-15"),
            *journey("Siri", waitlisted="2024-03-14"),
            recorded("Siri", ReferralWithdrawn(day("2024-03-20"))),
        ]

        assert figures(history, "2024-03-01", "2024-03-31").waiting.days_with_waiting_list == 10

    def test_a_list_never_empty_at_the_end_of_a_day_gives_every_day_of_the_period(
        self,
    ) -> None:
        history = [
            *journey("P-1", waitlisted="2023-11-01", placed="2024-07-01"),
            *journey("P-2", waitlisted="2024-06-30", placed="2025-02-01"),
        ]

        waiting = figures(history, "2024-01-01", "2024-12-31").waiting

        assert waiting.days_with_waiting_list == 366


VTA_SEATS = [
    allocated("2023-03-01", 40, programme="VTA"),
    allocated("2024-01-01", 46, programme="VTA"),
    allocated("2024-07-01", 51, programme="VTA"),
    allocated("2024-11-01", 53, programme="VTA"),
]


class TestAllocations:
    def test_seats_40_46_51_53_give_three_spans_and_a_baseline_of_40(self) -> None:
        """The worked example of docs/reports.md: 13 extra seats over the year."""
        seats = figures(VTA_SEATS, "2024-01-01", "2024-12-31", "VTA").seat_usage

        assert seats.allocated_before == 40.0
        assert seats.allocations == (
            AllocationSpan(day("2024-01-01"), day("2024-06-30"), 46.0),
            AllocationSpan(day("2024-07-01"), day("2024-10-31"), 51.0),
            AllocationSpan(day("2024-11-01"), day("2024-12-31"), 53.0),
        )
        assert seats.allocations[-1].seats - seats.allocated_before == 13
        assert seats.months[6].allocated == 51.0
        assert seats.allocated_total == 6 * 46 + 4 * 51 + 2 * 53 == 586

    def test_the_same_seats_allocated_again_stay_one_span(self) -> None:
        history = [allocated("2024-02-01", 10), allocated("2024-05-01", 10)]

        seats = figures(history, "2024-01-01", "2024-12-31").seat_usage

        assert seats.allocations == (AllocationSpan(day("2024-02-01"), day("2024-12-31"), 10.0),)

    def test_days_before_the_first_allocation_are_in_no_span(self) -> None:
        history = [allocated("2024-02-01", 10)]

        seats = figures(history, "2024-01-01", "2024-03-31").seat_usage

        assert seats.allocated_before == 0.0
        assert [span.start for span in seats.allocations] == [day("2024-02-01")]

    def test_the_baseline_is_the_allocation_of_the_day_before_the_period(self) -> None:
        history = [allocated("2024-01-01", 10), allocated("2024-03-01", 12)]

        before_march = figures(history, "2024-03-01", "2024-03-31").seat_usage
        before_april = figures(history, "2024-04-01", "2024-04-30").seat_usage

        assert (before_march.allocated_before, before_april.allocated_before) == (10.0, 12.0)

    def test_an_allocation_dated_after_until_is_not_in_the_spans(self) -> None:
        history = [allocated("2024-01-01", 10), allocated("2024-03-01", 12)]

        seats = figures(history, "2024-01-01", "2024-02-29").seat_usage

        assert seats.allocations == (AllocationSpan(day("2024-01-01"), day("2024-02-29"), 10.0),)
        assert seats.allocations[0].end - seats.allocations[0].start == dt.timedelta(days=59)
