# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-REP-2, R-REP-3, R-REP-RV, R-VALID-1 as pure functions, at their boundaries."""

from datetime import date, datetime, timedelta

from odoo.tests import BaseCase

from odoo.addons.pm_repair.models import repair_rules as rules

T = datetime(2024, 3, 11, 2, 0, 0)
PARAMS = {
    "dispatch": 2.0,
    "emergency_dispatch": 1.5,
    "on_site": 10.0,
    "contact_before": 15.0,
    "arrive_early_min": 3.0,
    "arrive_early_max": 5.0,
    "plan": 3.0,
}


def sec(value):
    return timedelta(seconds=value)


class TestRepairRules(BaseCase):
    def test_within(self):
        table = [
            (None, T, 2, None),
            (T, None, 2, None),
            (T, T, 2, "met"),
            (T, T + sec(120), 2, "met"),
            (T, T + sec(121), 2, "missed"),
            (T, T + sec(600), 10, "met"),
            (T, T + sec(601), 10, "missed"),
        ]
        for start, end, limit, expected in table:
            with self.subTest(start=start, end=end, limit=limit):
                self.assertEqual(rules.within(start, end, limit), expected)

    def test_contacted_before(self):
        appointment = T
        table = [
            (T - sec(15 * 60), "met"),
            (T - sec(15 * 60 + 1), "met"),
            (T - sec(15 * 60 - 1), "missed"),
            (T, "missed"),
            (None, None),
        ]
        for contact, expected in table:
            with self.subTest(contact=contact):
                self.assertEqual(
                    rules.contacted_before(contact, appointment, 15), expected
                )

    def test_arrived_early(self):
        # met: between 5 and 3 minutes before the appointment, bounds included
        table = [
            (T - sec(5 * 60 + 1), "missed"),
            (T - sec(5 * 60), "met"),
            (T - sec(4 * 60), "met"),
            (T - sec(3 * 60), "met"),
            (T - sec(3 * 60 - 1), "missed"),
            (T, "missed"),
            (T + sec(60), "missed"),
            (None, None),
        ]
        for arrival, expected in table:
            with self.subTest(arrival=arrival):
                self.assertEqual(rules.arrived_early(arrival, T, 3, 5), expected)

    def test_order_targets_by_urgency(self):
        stamps = {
            "intake": T,
            "dispatch": T + sec(100),
            "arrival": T + sec(100 + 601),
            "diagnosis": T + sec(1000),
            "plan": T + sec(1180),
        }
        immediate = rules.order_targets("immediate", stamps, PARAMS)
        self.assertEqual(
            immediate,
            {
                "dispatch": "met",
                "on_site": "missed",
                "contact": None,
                "arrival": None,
                "plan": "met",
            },
        )
        self.assertEqual(rules.timeliness(immediate), 0.0)
        # emergency: dispatch within 90 s
        emergency = rules.order_targets("emergency", stamps, PARAMS)
        self.assertEqual(emergency["dispatch"], "missed")
        appointment = dict(
            stamps,
            appointment=T + sec(3600),
            contact=T + sec(3600 - 900),
            arrival=T + sec(3600 - 240),
        )
        result = rules.order_targets("appointment", appointment, PARAMS)
        self.assertEqual(result["on_site"], None)
        self.assertEqual(result["contact"], "met")
        self.assertEqual(result["arrival"], "met")
        self.assertEqual(rules.timeliness(result), 100.0)
        self.assertIsNone(rules.timeliness({"dispatch": None}))

    def test_overdue(self):
        stamps = {"intake": T}
        self.assertFalse(rules.is_overdue("immediate", stamps, PARAMS, T + sec(120)))
        self.assertTrue(rules.is_overdue("immediate", stamps, PARAMS, T + sec(121)))
        stamps = {"intake": T, "dispatch": T + sec(60)}
        self.assertFalse(rules.is_overdue("immediate", stamps, PARAMS, T + sec(660)))
        self.assertTrue(rules.is_overdue("immediate", stamps, PARAMS, T + sec(661)))
        # an appointment tomorrow is not overdue today
        stamps = {"intake": T, "dispatch": T + sec(60), "appointment": T + sec(86400)}
        self.assertFalse(rules.is_overdue("appointment", stamps, PARAMS, T + sec(3600)))
        self.assertEqual(
            rules.pending_deadlines("appointment", stamps, PARAMS)["contact"],
            T + sec(86400 - 900),
        )

    def test_paid_and_warranty(self):
        table = [
            # common area, paid in unit, under warranty -> paid
            (False, True, False, True),
            (False, False, False, False),
            (True, True, False, False),
            (False, True, True, False),
        ]
        for common, paid_in_unit, warranty, expected in table:
            with self.subTest(common=common, paid=paid_in_unit, warranty=warranty):
                self.assertEqual(
                    rules.is_paid(common, paid_in_unit, warranty), expected
                )
        end = date(2024, 6, 30)
        self.assertTrue(rules.under_warranty(True, date(2024, 6, 30), end))
        self.assertFalse(rules.under_warranty(True, date(2024, 7, 1), end))
        self.assertFalse(rules.under_warranty(False, date(2024, 6, 1), end))
        self.assertFalse(rules.under_warranty(True, date(2024, 6, 1), None))

    def test_return_visit_due(self):
        self.assertEqual(
            rules.return_visit_due(date(2024, 2, 28), 1), date(2024, 2, 29)
        )
        self.assertEqual(
            rules.return_visit_due(date(2024, 3, 11), 3), date(2024, 3, 14)
        )
        self.assertEqual(
            rules.return_visit_due(date(2024, 3, 11), -2), date(2024, 3, 11)
        )
