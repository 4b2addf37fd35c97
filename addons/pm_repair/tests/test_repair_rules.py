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
    "completion_days": 0,
}
SHANGHAI = "Asia/Shanghai"


def shanghai(*args):
    """A moment stated on the Shanghai wall clock, as stored (naive UTC)."""
    return datetime(*args) - timedelta(hours=8)


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
                "completion": None,
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
        def overdue(urgency, stamps, now):
            return rules.is_overdue(
                rules.pending_deadlines(urgency, stamps, PARAMS, SHANGHAI), now
            )

        stamps = {"intake": T}
        self.assertFalse(overdue("immediate", stamps, T + sec(120)))
        self.assertTrue(overdue("immediate", stamps, T + sec(121)))
        stamps = {"intake": T, "dispatch": T + sec(60)}
        self.assertFalse(overdue("immediate", stamps, T + sec(660)))
        self.assertTrue(overdue("immediate", stamps, T + sec(661)))
        # an appointment tomorrow is not overdue today
        stamps = {"intake": T, "dispatch": T + sec(60), "appointment": T + sec(86400)}
        self.assertFalse(overdue("appointment", stamps, T + sec(3600)))
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

    # ------------------------------------------------------------
    # R-CLOCK-1: the completion, by the end of the day due
    # ------------------------------------------------------------

    def test_completion_deadline(self):
        """The last second of the day due on the property's wall clock: the
        intake's day for emergency and immediate repairs, the appointment's day
        for appointments, plus the extra days of the setting."""
        intake = shanghai(2024, 3, 11, 10, 0)
        appointment = shanghai(2024, 3, 12, 9, 0)
        stamps = {"intake": intake, "appointment": appointment}
        table = [
            ("emergency", 0, shanghai(2024, 3, 11, 23, 59, 59)),
            ("immediate", 0, shanghai(2024, 3, 11, 23, 59, 59)),
            ("appointment", 0, shanghai(2024, 3, 12, 23, 59, 59)),
            ("immediate", 1, shanghai(2024, 3, 12, 23, 59, 59)),
            ("appointment", 2, shanghai(2024, 3, 14, 23, 59, 59)),
            # a negative setting counts as the same day
            ("immediate", -1, shanghai(2024, 3, 11, 23, 59, 59)),
        ]
        for urgency, days, expected in table:
            with self.subTest(urgency=urgency, days=days):
                self.assertEqual(
                    rules.completion_deadline(urgency, stamps, SHANGHAI, days),
                    expected,
                )
        self.assertIsNone(
            rules.completion_deadline("appointment", {"intake": intake}, SHANGHAI, 0)
        )

    def test_completion_at_the_day_boundaries(self):
        """Met at the limit (23:59:59 in Shanghai), missed one second after,
        whatever the UTC date: an order received at 00:30 in Shanghai (16:30
        UTC the day before) is due that Shanghai day, one received at 23:50 is
        due ten minutes later."""
        table = [
            # urgency, intake (Shanghai), done (Shanghai), days, expected
            ("immediate", (2024, 3, 11, 10, 0), (2024, 3, 11, 23, 59, 59), 0, "met"),
            ("immediate", (2024, 3, 11, 10, 0), (2024, 3, 12, 0, 0, 0), 0, "missed"),
            ("emergency", (2024, 3, 11, 0, 30), (2024, 3, 11, 23, 59, 59), 0, "met"),
            ("emergency", (2024, 3, 11, 0, 30), (2024, 3, 12, 0, 0, 0), 0, "missed"),
            ("emergency", (2024, 3, 11, 23, 50), (2024, 3, 11, 23, 59, 59), 0, "met"),
            ("emergency", (2024, 3, 11, 23, 50), (2024, 3, 12, 0, 0, 1), 0, "missed"),
            # the setting's extra day
            ("immediate", (2024, 3, 11, 10, 0), (2024, 3, 12, 0, 0, 0), 1, "met"),
            ("immediate", (2024, 3, 11, 10, 0), (2024, 3, 12, 23, 59, 59), 1, "met"),
            ("immediate", (2024, 3, 11, 10, 0), (2024, 3, 13, 0, 0, 0), 1, "missed"),
            # not finished yet: not measured
            ("immediate", (2024, 3, 11, 10, 0), None, 0, None),
        ]
        for urgency, intake, done, days, expected in table:
            with self.subTest(urgency=urgency, intake=intake, done=done, days=days):
                stamps = {
                    "intake": shanghai(*intake),
                    "done": done and shanghai(*done),
                }
                self.assertEqual(
                    rules.completed_in_time(urgency, stamps, SHANGHAI, days),
                    expected,
                )
                params = dict(PARAMS, completion_days=days)
                targets = rules.order_targets(urgency, stamps, params, SHANGHAI)
                self.assertEqual(targets["completion"], expected)

    def test_appointment_completion(self):
        """An appointment is due by the end of the appointment's day, not the
        intake's."""
        stamps = {
            "intake": shanghai(2024, 3, 11, 10, 0),
            "appointment": shanghai(2024, 3, 13, 14, 0),
        }
        table = [
            ((2024, 3, 13, 23, 59, 59), "met"),
            ((2024, 3, 14, 0, 0, 0), "missed"),
        ]
        for done, expected in table:
            with self.subTest(done=done):
                result = rules.order_targets(
                    "appointment", dict(stamps, done=shanghai(*done)), PARAMS, SHANGHAI
                )
                self.assertEqual(result["completion"], expected)
                self.assertEqual(
                    rules.timeliness(result), 100.0 if expected == "met" else 0.0
                )

    def test_completion_pending_and_overdue(self):
        """The completion's clock runs until the work is done; overdue one second
        after the day due, and the SQL bound agrees with the deadline."""
        intake = shanghai(2024, 3, 11, 10, 0)
        limit = shanghai(2024, 3, 11, 23, 59, 59)
        stamps = {
            "intake": intake,
            "dispatch": intake + sec(60),
            "arrival": intake + sec(300),
            "diagnosis": intake + sec(600),
            "plan": intake + sec(700),
        }
        pending = rules.pending_deadlines("immediate", stamps, PARAMS, SHANGHAI)
        self.assertEqual(pending, {"completion": limit})
        self.assertFalse(rules.is_overdue(pending, limit))
        self.assertTrue(rules.is_overdue(pending, limit + sec(1)))
        done = dict(stamps, done=limit)
        self.assertEqual(
            rules.pending_deadlines("immediate", done, PARAMS, SHANGHAI), {}
        )
        # the SQL twin: intake before the bound <=> the deadline is over
        for now, overdue in ((limit, False), (limit + sec(1), True)):
            for days in (0, 1):
                with self.subTest(now=now, days=days):
                    bound = rules.completion_overdue_before(SHANGHAI, days, now)
                    deadline = rules.completion_deadline(
                        "immediate", stamps, SHANGHAI, days
                    )
                    self.assertEqual(intake < bound, deadline < now)
                    if days == 0:
                        self.assertEqual(intake < bound, overdue)
