# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Table-driven tests of the pure survey rules, no database."""

from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..models import survey_rules as rules


@tagged("pm_survey", "-at_install", "post_install")
class TestSurveyRules(BaseCase):
    def test_distribution_quota(self):
        # (occupied units, floor area, expected forms) with the default 98 % / 90 %
        table = [
            (0, 10000, 0),  # empty property
            (1, 10000, 1),  # 0.98 rounds up
            (50, 49999.99, 49),  # 49.0 exactly: no extra form
            (100, 49999.99, 98),
            (101, 49999.99, 99),  # 98.98 -> 99
            (100, 50000, 90),  # the threshold itself is "large"
            (100, 60250, 90),  # float trap: ceil(100 * 0.9) must stay 90
            (10, 50000, 9),
            (11, 50000, 10),  # 9.9 -> 10
            (160, 60250, 144),  # the demo property
            (-3, 10000, 0),  # nonsense in, nothing out
        ]
        for occupied, area, expected in table:
            with self.subTest(occupied=occupied, area=area):
                self.assertEqual(rules.distribution_quota(occupied, area), expected)

    def test_distribution_quota_configured(self):
        # thresholds and rates are parameters
        self.assertEqual(rules.distribution_quota(100, 30000, 20000, 98, 80), 80)
        self.assertEqual(rules.distribution_quota(100, 10000, 20000, 95.5, 80), 96)
        self.assertEqual(rules.distribution_quota(7, 10000, 20000, 100, 80), 7)

    def test_recovery_rate_and_flag(self):
        # (returned, distributed, rate, low with the default 30 %)
        table = [
            (0, 0, None, True),  # nothing handed out: no rate, flagged
            (0, 10, 0.0, True),
            (2, 7, 28.57, True),
            (3, 10, 30.0, False),  # exactly the minimum is enough
            (299, 1000, 29.9, True),
            (1, 3, 33.33, False),
            (10, 10, 100.0, False),
        ]
        for returned, distributed, rate, low in table:
            with self.subTest(returned=returned, distributed=distributed):
                self.assertEqual(rules.recovery_rate(returned, distributed), rate)
                self.assertEqual(rules.is_recovery_low(returned, distributed), low)
        self.assertFalse(rules.is_recovery_low(2, 10, minimum_rate=20))

    def test_satisfaction_rate(self):
        table = [
            ({}, None),  # no valid answer: nothing to measure, not 0
            ({"very_satisfied": 3}, 100.0),
            ({"satisfied": 1, "dissatisfied": 1}, 50.0),
            ({"basic": 1, "very_dissatisfied": 2}, 33.33),
            (
                {
                    "very_satisfied": 5,
                    "satisfied": 3,
                    "basic": 1,
                    "dissatisfied": 0,
                    "very_dissatisfied": 1,
                },
                90.0,
            ),
            ({"dissatisfied": 4}, 0.0),
            ({False: 5, "very_satisfied": 1, "dissatisfied": 1}, 50.0),  # skipped
        ]
        for counts, expected in table:
            with self.subTest(counts=counts):
                self.assertEqual(rules.satisfaction_rate(counts), expected)

    def test_delta_display(self):
        # (current part/whole, previous part/whole, shown)
        table = [
            ((5, 6), (23, 24), "-12.50"),
            ((24, 24), (23, 24), "+4.17"),
            ((1, 2), (1, 2), "+0.00"),
            ((0, 0), (23, 24), "—"),  # nothing measured yet
            ((5, 6), (0, 0), "—"),  # the previous campaign measured nothing
        ]
        for current, previous, shown in table:
            with self.subTest(current=current, previous=previous):
                self.assertEqual(rules.format_delta(*current, *previous), shown)

    def test_scales(self):
        self.assertEqual(
            rules.SCALE_LEVELS["3"], ("very_satisfied", "basic", "dissatisfied")
        )
        self.assertEqual(len(rules.SCALE_LEVELS["5"]), 5)
        self.assertEqual(
            set(rules.SATISFIED_LEVELS), {"very_satisfied", "satisfied", "basic"}
        )

    def test_collection_window(self):
        d = date
        table = [
            (d(2024, 3, 1), d(2024, 3, 10), False, None),  # 10 days, both ends in
            (d(2024, 3, 1), d(2024, 3, 9), False, "too_short"),  # 9 days
            (d(2024, 3, 1), d(2024, 3, 15), False, None),  # 15 days
            (d(2024, 3, 1), d(2024, 3, 16), False, "too_long"),  # 16 days
            (d(2024, 3, 1), d(2024, 3, 16), True, None),  # override
            (d(2024, 3, 1), d(2024, 3, 3), True, None),
            (d(2024, 3, 10), d(2024, 3, 1), False, "reversed"),
            (d(2024, 3, 10), d(2024, 3, 1), True, "reversed"),  # never overridable
            (d(2024, 2, 25), d(2024, 3, 5), False, None),  # leap year: 10 days
            (None, d(2024, 3, 5), False, None),  # incomplete: nothing to say yet
        ]
        for start, end, override, expected in table:
            with self.subTest(start=start, end=end, override=override):
                self.assertEqual(
                    rules.window_error(start, end, 10, 15, override), expected
                )
        self.assertEqual(rules.collection_window_days(d(2024, 3, 1), d(2024, 3, 1)), 1)

    def test_within_hours(self):
        table = [
            (datetime(2024, 3, 1, 8, 59), False),
            (datetime(2024, 3, 1, 9, 0), True),
            (datetime(2024, 3, 1, 13, 30), True),
            (datetime(2024, 3, 1, 20, 0), True),
            (datetime(2024, 3, 1, 20, 0, 1), False),
            (datetime(2024, 3, 1, 23, 0), False),
        ]
        for moment, expected in table:
            with self.subTest(moment=moment):
                self.assertEqual(rules.within_hours(moment, 9.0, 20.0), expected)
        self.assertTrue(rules.within_hours(datetime(2024, 1, 1, 8, 45), 8.5, 18))
        self.assertEqual(rules.float_to_hhmm(9.5), "09:30")

    def test_in_window(self):
        start, end = date(2024, 3, 1), date(2024, 3, 12)
        self.assertTrue(rules.in_window(datetime(2024, 3, 12, 23, 59), start, end))
        self.assertFalse(rules.in_window(datetime(2024, 3, 13, 0, 0), start, end))
        self.assertFalse(rules.in_window(date(2024, 2, 29), start, end))
        self.assertTrue(rules.in_window(date(2024, 3, 1), start, end))
