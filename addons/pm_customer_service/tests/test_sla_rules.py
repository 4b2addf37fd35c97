# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Table-driven tests of the pure SLA rules (R-SLA-*, R-ESC-*, R-SEV-2, R-RV-2)."""

from datetime import date, datetime, timedelta

import pytz

from odoo.tests import BaseCase, tagged

from ..models import sla_rules
from .common import assert_table

SHANGHAI = pytz.timezone("Asia/Shanghai")


def local(*args):
    return SHANGHAI.localize(datetime(*args))


def office_hours(start, stop):
    """Mon-Fri 08:00-12:00 and 13:00-17:00 in Shanghai, like resource_calendar_std."""
    result = []
    day = start.astimezone(SHANGHAI).date()
    while day <= stop.astimezone(SHANGHAI).date():
        if day.weekday() < 5:
            for begin, end in ((8, 12), (13, 17)):
                interval_start = SHANGHAI.localize(
                    datetime(day.year, day.month, day.day, begin)
                )
                interval_stop = SHANGHAI.localize(
                    datetime(day.year, day.month, day.day, end)
                )
                interval_start = max(interval_start, start)
                interval_stop = min(interval_stop, stop)
                if interval_start < interval_stop:
                    result.append((interval_start, interval_stop))
        day += timedelta(days=1)
    return result


def no_hours(start, stop):
    return []


@tagged("pm_sla")
class TestSlaRules(BaseCase):
    def test_wall_clock(self):
        # R-SLA-1/2/3 on calendar time: weekends count; Shanghai has no DST
        for start, hours, expected in (
            (local(2026, 3, 6, 10, 0), 24, local(2026, 3, 7, 10, 0)),  # Fri -> Sat
            (local(2026, 3, 6, 10, 0), 48, local(2026, 3, 8, 10, 0)),
            (local(2026, 3, 6, 10, 0), 72, local(2026, 3, 9, 10, 0)),
            (local(2026, 3, 31, 23, 0), 2, local(2026, 4, 1, 1, 0)),
        ):
            with self.subTest(start=start, hours=hours):
                self.assertEqual(
                    sla_rules.compute_deadline(start, hours, working_time=False),
                    expected,
                )

    def test_working_time(self):
        # R-SLA-5 on working time: nights, lunch breaks and weekends do not count
        for start, hours, expected in (
            # Friday afternoon: 1 h left on Friday, the rest on Monday
            (local(2026, 3, 6, 16, 0), 2, local(2026, 3, 9, 9, 0)),
            # ending exactly at the end of an interval stays there
            (local(2026, 3, 6, 10, 0), 6, local(2026, 3, 6, 17, 0)),
            # the lunch break is skipped
            (local(2026, 3, 2, 11, 0), 2, local(2026, 3, 2, 14, 0)),
            # received on Saturday: counted from Monday morning
            (local(2026, 3, 7, 15, 0), 1, local(2026, 3, 9, 9, 0)),
            # 24 working hours = 3 working days
            (local(2026, 3, 6, 16, 0), 24, local(2026, 3, 11, 16, 0)),
            # received at night
            (local(2026, 3, 3, 22, 0), 4, local(2026, 3, 4, 12, 0)),
        ):
            with self.subTest(start=start, hours=hours):
                self.assertEqual(
                    sla_rules.compute_deadline(
                        start, hours, working_time=True, intervals=office_hours
                    ),
                    expected,
                )

    def test_empty_calendar_falls_back_to_wall_clock(self):
        start = local(2026, 3, 6, 16, 0)
        for intervals in (None, no_hours):
            with self.subTest(intervals=intervals):
                self.assertEqual(
                    sla_rules.compute_deadline(start, 24, True, intervals),
                    local(2026, 3, 7, 16, 0),
                )
        self.assertEqual(sla_rules.add_working_time(start, 0, office_hours), start)

    def test_same_day(self):
        # R-SLA-2 / seed 003: general complaints closed the same day
        for start, intervals, expected in (
            (local(2026, 3, 2, 10, 0), office_hours, local(2026, 3, 2, 17, 0)),
            (local(2026, 3, 2, 12, 30), office_hours, local(2026, 3, 2, 17, 0)),
            # after hours or at the weekend: end of the next working day
            (local(2026, 3, 2, 18, 0), office_hours, local(2026, 3, 3, 17, 0)),
            (local(2026, 3, 7, 10, 0), office_hours, local(2026, 3, 9, 17, 0)),
            # no calendar or an empty one: end of the calendar day
            (local(2026, 3, 7, 10, 0), None, local(2026, 3, 8, 0, 0)),
            (local(2026, 3, 7, 10, 0), no_hours, local(2026, 3, 8, 0, 0)),
        ):
            with self.subTest(start=start):
                self.assertEqual(
                    sla_rules.compute_deadline(
                        start, 48, bool(intervals), intervals, same_day=True
                    ),
                    expected,
                )

    def test_working_days(self):
        # R-RV-2: return visit within 3 working days of the resolution
        def weekdays(day):
            return day.weekday() < 5

        assert_table(
            self,
            sla_rules.add_working_days,
            [
                (date(2026, 3, 5), 3, weekdays, date(2026, 3, 10)),  # Thu -> Tue
                (date(2026, 3, 2), 3, weekdays, date(2026, 3, 5)),  # Mon -> Thu
                (date(2026, 3, 7), 1, weekdays, date(2026, 3, 9)),  # Sat -> Mon
                (date(2026, 3, 5), 3, lambda d: False, date(2026, 3, 8)),  # empty
                (date(2026, 3, 5), 0, weekdays, date(2026, 3, 5)),
            ],
        )

    def test_deadline_order(self):
        t = datetime(2026, 3, 2, 10)
        hour = timedelta(hours=1)
        assert_table(
            self,
            sla_rules.check_deadline_order,
            [
                (t, t, t + hour, []),
                (t + hour, None, t, ["resolve_before_acknowledge"]),
                (t, t + 2 * hour, t + hour, ["reply_after_resolve"]),
                (None, None, t, []),
            ],
        )

    def test_align_deadlines(self):
        t = datetime(2026, 3, 2, 9)
        day = timedelta(days=1)
        self.assertEqual(sla_rules.align_deadlines(t + day, t + day, t), (t, t, t))
        self.assertEqual(
            sla_rules.align_deadlines(t, None, t + day), (t, None, t + day)
        )
        self.assertEqual(sla_rules.align_deadlines(t, t, None), (t, t, None))

    def test_next_escalation(self):
        # R-ESC-1: reminder before, then responsible, leader, director, quality
        deadline = datetime(2026, 3, 3, 2, 0)
        hours = timedelta(hours=1)
        for done, now, expected in (
            ((), deadline - 10 * hours, (0, deadline - 4 * hours)),
            ((0,), deadline - hours, (1, deadline)),
            # reminder never sent and deadline passed: skip it, go to level 1
            ((), deadline + hours, (1, deadline)),
            ((0, 1), deadline + hours, (2, deadline + 24 * hours)),
            ((0, 1, 2), deadline, (3, deadline + 48 * hours)),
            ((0, 1, 2, 3), deadline, (4, deadline + 72 * hours)),
            ((0, 1, 2, 3, 4), deadline, (None, None)),
            # each level once: done levels are never proposed again
            ((1,), deadline - 10 * hours, (2, deadline + 24 * hours)),
        ):
            with self.subTest(done=done, now=now):
                self.assertEqual(
                    sla_rules.next_escalation(deadline, done, now, 24, 4), expected
                )
        self.assertEqual(
            sla_rules.next_escalation(False, (), deadline, 24, 4), (None, None)
        )
        # no reminder configured
        self.assertEqual(
            sla_rules.next_escalation(deadline, (), deadline - 10 * hours, 24, 0),
            (1, deadline),
        )

    def test_upgrade_to_major(self):
        # R-SEV-2: valid, open, not yet major, 30 days after intake
        intake = datetime(2026, 3, 1, 10)
        later = intake + timedelta(days=30)
        for valid, is_open, severity, now, expected in (
            (True, True, "general", later, True),
            (True, True, "important", later, True),
            (True, True, "general", later - timedelta(minutes=1), False),
            (False, True, "general", later, False),
            (True, False, "general", later, False),
            (True, True, "major", later, False),
        ):
            with self.subTest(valid=valid, open=is_open, severity=severity, now=now):
                self.assertEqual(
                    sla_rules.should_upgrade_to_major(
                        valid, is_open, severity, intake, now, 30
                    ),
                    expected,
                )

    def test_door_visit_reasons(self):
        # R-ESC-2: major, head-office forward, same owner twice within the window
        intake = datetime(2026, 6, 1)
        recent = [intake - timedelta(days=89)]
        old = [intake - timedelta(days=91)]
        for severity, channel, previous, expected in (
            ("general", "phone", [], []),
            ("major", "phone", [], ["major"]),
            ("general", "head_office", [], ["head_office"]),
            ("general", "phone", recent, ["repeat"]),
            ("general", "phone", old, []),
            ("major", "head_office", recent, ["major", "head_office", "repeat"]),
        ):
            with self.subTest(severity=severity, channel=channel, previous=previous):
                self.assertEqual(
                    sla_rules.door_visit_reasons(
                        severity, channel, previous, intake, 90
                    ),
                    expected,
                )
