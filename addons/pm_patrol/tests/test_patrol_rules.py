# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, time, timedelta

from odoo.tests import BaseCase, tagged

from odoo.addons.pm_customer_service.tests.common import assert_table

from ..tools import patrol_rules as rules

START = datetime(2026, 12, 8, 1, 0)  # 09:00 in Shanghai
END = datetime(2026, 12, 8, 3, 0)


@tagged("post_install", "-at_install")
class TestPatrolRules(BaseCase):
    def _table(self, function, rows):
        """``rows``: (arguments, expected result)."""
        assert_table(self, function, [(*args, expected) for args, expected in rows])

    def test_parse_schedule(self):
        self._table(
            rules.parse_schedule,
            [
                (("09:00, 21:00",), [time(9), time(21)]),
                (("21:00，9:00；09:00",), [time(9), time(21)]),
                (("  ",), []),
                (("0:05 23:59",), [time(0, 5), time(23, 59)]),
            ],
        )
        for bad in ("24:00", "9h", "09:60", "nine"):
            with self.assertRaises(ValueError):
                rules.parse_schedule(bad)
        self.assertEqual(rules.format_schedule([time(9), time(21, 30)]), "09:00, 21:30")

    def test_round_starts_on_the_property_clock(self):
        self._table(
            rules.round_starts,
            [
                (
                    (date(2026, 12, 8), [time(9), time(21)], "Asia/Shanghai"),
                    [START, datetime(2026, 12, 8, 13, 0)],
                ),
                # the property's local midnight is the previous UTC day
                (
                    (date(2026, 12, 8), [time(0, 30)], "Asia/Shanghai"),
                    [datetime(2026, 12, 7, 16, 30)],
                ),
                (
                    (date(2026, 12, 8), [time(9)], "Europe/Paris"),
                    [datetime(2026, 12, 8, 8)],
                ),
            ],
        )
        self.assertEqual(rules.window_end(START, 120), END)
        evening = datetime(2026, 12, 8, 13, 0)
        self._table(
            rules.still_to_walk,
            [
                (
                    ([START, evening], 120, datetime(2026, 12, 7, 16, 0)),
                    [START, evening],
                ),
                (([START, evening], 120, END - timedelta(seconds=1)), [START, evening]),
                (([START, evening], 120, END), [evening]),
                (([START, evening], 120, datetime(2026, 12, 8, 15, 0)), []),
            ],
        )

    def test_reached_within_the_window(self):
        self._table(
            rules.is_reached,
            [
                ((START, START, END), True),
                ((END, START, END), True),
                ((datetime(2026, 12, 8, 2, 0), START, END), True),
                ((datetime(2026, 12, 8, 0, 59), START, END), False),
                ((datetime(2026, 12, 8, 3, 0, 1), START, END), False),
                ((None, START, END), False),
            ],
        )
        # the window's end is still reached; a second later is not
        self.assertTrue(rules.is_reached(END, START, END))
        self.assertFalse(rules.is_reached(END + timedelta(seconds=1), START, END))

    def test_late(self):
        self._table(
            rules.is_late,
            [
                ((START, START, 15), False),
                ((datetime(2026, 12, 8, 1, 15), START, 15), False),
                ((datetime(2026, 12, 8, 1, 15, 1), START, 15), True),
                ((datetime(2026, 12, 8, 1, 1), START, 0), True),
                ((None, START, 15), True),
            ],
        )
        # a round never started is late; one started on time is not
        self.assertTrue(rules.is_late(None, START, 15))
        self.assertFalse(rules.is_late(START, START, 15))

    def test_escalation_and_rate(self):
        self._table(
            rules.needs_escalation,
            [((False, 0), False), ((True, 0), True), ((False, 1), True)],
        )
        # nothing planned is no rate, not 0
        self.assertIsNone(rules.attendance_rate(0, 0))
        self.assertEqual(rules.attendance_rate(0, 4), 0.0)
        self._table(
            rules.attendance_rate,
            [
                ((3, 4), 75.0),
                ((4, 4), 100.0),
                ((0, 4), 0.0),
                ((0, 0), None),
                ((2, 3), 66.67),
            ],
        )
        self._table(
            rules.format_attendance,
            [((3, 4), "75.00 %"), ((0, 0), "—")],
        )
