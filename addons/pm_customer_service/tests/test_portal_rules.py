# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime, time

from odoo.tests import BaseCase

from odoo.addons.pm_base.tools import portal_pages


class TestPortalRules(BaseCase):
    def test_appointment_slot(self):
        """R-INTAKE-2 / R-TZ-1: the booked window is local time of the property
        and never already started."""
        # 2026-12-01 08:30 in Shanghai = 00:30 UTC
        now = datetime(2026, 12, 1, 0, 30)
        dec_1, nov_30, shanghai = date(2026, 12, 1), date(2026, 11, 30), "Asia/Shanghai"

        def slot(day, start_hour, stop_hour, error=None):
            # the expected window in UTC, whole hours
            return (
                datetime.combine(day, time(start_hour)),
                datetime.combine(day, time(stop_hour)),
                error,
            )

        table = [
            # day, window, tz, expected (start, stop in UTC, error)
            (dec_1, "morning", shanghai, slot(dec_1, 1, 4)),
            (dec_1, "evening", shanghai, slot(dec_1, 10, 12)),
            # the same morning in UTC started 30 minutes after "now" only in
            # Shanghai: 09:00 UTC is later, fine
            (dec_1, "morning", "UTC", slot(dec_1, 9, 12)),
            (nov_30, "evening", shanghai, slot(nov_30, 10, 12, "past")),
            (date(2026, 12, 2), "night", shanghai, (None, None, "window")),
        ]
        for day, window, tz, expected in table:
            with self.subTest(day=day, window=window, tz=tz):
                self.assertEqual(
                    portal_pages.appointment_slot(day, window, tz, now), expected
                )
        # a window that has begun is refused: 09:30 Shanghai, morning of today
        self.assertEqual(
            portal_pages.appointment_slot(
                date(2026, 12, 1),
                "morning",
                "Asia/Shanghai",
                datetime(2026, 12, 1, 1, 30),
            )[2],
            "past",
        )

    def test_phone_href(self):
        for shown, dialled in [
            ("0571-8888 6666", "057188886666"),
            ("+86 (571) 8888 0000", "+8657188880000"),
            ("", ""),
            (False, ""),
            ("javascript:alert(1)", "1"),
        ]:
            with self.subTest(shown=shown):
                self.assertEqual(portal_pages.phone_href(shown), dialled)

    def test_progress_steps(self):
        steps = portal_pages.progress_steps(
            [("A", "12-01 09:00", True), ("B", "", False), ("C", "", False)]
        )
        self.assertEqual(
            [(s["done"], s["current"]) for s in steps],
            [(True, False), (False, True), (False, False)],
        )
        # a later step reached marks the earlier ones done (no time known)
        steps = portal_pages.progress_steps(
            [("A", "x", True), ("B", "", False), ("C", "y", True)]
        )
        self.assertEqual([s["done"] for s in steps], [True, True, True])
        self.assertFalse(any(s["current"] for s in steps))
        steps = portal_pages.progress_steps([("A", "x", False)])
        self.assertTrue(steps[0]["current"])
        self.assertEqual(steps[0]["when"], "")
