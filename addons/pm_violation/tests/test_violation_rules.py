# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Table tests of the pure violation rules."""

from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.pm_customer_service.tests.common import assert_table

from ..tools import violation_rules as rules

DAYS = dict(rules.DEFAULT_DAYS)


@tagged("post_install", "-at_install")
class TestViolationRules(BaseCase):
    def test_deadline_by_kind(self):
        found = date(2026, 12, 7)
        assert_table(
            self,
            rules.deadline_date,
            [
                ("decoration", found, DAYS, date(2026, 12, 14)),
                ("common_area", found, DAYS, date(2026, 12, 10)),
                ("pet", found, DAYS, date(2026, 12, 10)),
                ("parking", found, DAYS, date(2026, 12, 8)),
                ("other", found, DAYS, date(2026, 12, 14)),
                # across the month and the year
                ("parking", date(2026, 12, 31), DAYS, date(2027, 1, 1)),
                # a kind without its own period takes "other"'s
                ("unknown", found, DAYS, date(2026, 12, 14)),
                # a period of 0: the same day; never before it
                ("pet", found, dict(DAYS, pet=0), found),
                ("pet", found, dict(DAYS, pet=-3), found),
            ],
        )

    def test_deadline_ends_at_local_midnight(self):
        assert_table(
            self,
            rules.deadline_at,
            [
                # Shanghai is UTC+8: the end of 8 December is 16:00 UTC that day
                (date(2026, 12, 8), "Asia/Shanghai", datetime(2026, 12, 8, 16, 0)),
                (date(2026, 12, 31), "Asia/Shanghai", datetime(2026, 12, 31, 16, 0)),
                (date(2026, 12, 8), "UTC", datetime(2026, 12, 9, 0, 0)),
                # no zone set: China
                (date(2026, 12, 8), False, datetime(2026, 12, 8, 16, 0)),
            ],
        )

    def test_overdue(self):
        due = datetime(2026, 12, 8, 16, 0)
        assert_table(
            self,
            rules.is_overdue,
            [
                (due, datetime(2026, 12, 8, 15, 59, 59), False, False),
                (due, due, False, True),
                (due, datetime(2026, 12, 9, 3, 0), False, True),
                # a passed inspection stops the clock
                (due, datetime(2026, 12, 9, 3, 0), True, False),
                (False, datetime(2026, 12, 9, 3, 0), False, False),
            ],
        )

    def test_closure_needs_a_passed_inspection(self):
        assert_table(
            self,
            rules.may_close,
            [
                ([], False),
                (["failed"], False),
                (["passed"], True),
                (["failed", "passed"], True),
                # the latest inspection decides
                (["passed", "failed"], False),
            ],
        )

    def test_rectified_on_time(self):
        last = date(2026, 12, 8)
        assert_table(
            self,
            rules.rectified_on_time,
            [
                (last, date(2026, 12, 7), True),
                (last, last, True),
                (last, date(2026, 12, 9), False),
                (last, False, False),
                (False, last, False),
            ],
        )

    def test_on_time_rate(self):
        assert_table(
            self,
            rules.on_time_rate,
            [
                (0, 0, "—"),
                (0, 3, "0.00"),
                (2, 3, "66.67"),
                (4, 4, "100.00"),
            ],
        )
