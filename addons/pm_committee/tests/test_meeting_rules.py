# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import BaseCase

from odoo.addons.pm_customer_service.tests.common import assert_table

from ..tools import meeting_rules

DAY = date(2026, 4, 10)


class TestMeetingRules(BaseCase):
    """The rules of meetings, table by table (no database)."""

    def test_followup_overdue_on_the_property_day(self):
        assert_table(
            self,
            meeting_rules.followup_overdue,
            [
                # deadline, state, the property's today -> overdue
                (DAY, "open", DAY, False),  # the deadline day itself counts
                (DAY, "open", date(2026, 4, 11), True),
                (DAY, "open", date(2026, 4, 9), False),
                (DAY, "done", date(2026, 4, 30), False),
                (DAY, "cancelled", date(2026, 4, 30), False),
                (None, "open", date(2026, 4, 30), False),
            ],
        )

    def test_reminder_once(self):
        assert_table(
            self,
            meeting_rules.followup_needs_reminder,
            [
                (DAY, "open", False, date(2026, 4, 11), True),
                (DAY, "open", date(2026, 4, 11), date(2026, 4, 12), False),
                (DAY, "open", False, DAY, False),
                (DAY, "done", False, date(2026, 4, 11), False),
            ],
        )

    def test_meeting_closable(self):
        assert_table(
            self,
            meeting_rules.meeting_closable,
            [
                ("approved", [], True),
                ("approved", ["done", "cancelled"], True),
                ("approved", ["done", "open"], False),
                ("submitted", ["done"], False),
                ("held", [], False),
                ("draft", [], False),
                ("closed", ["done"], False),
            ],
        )

    def test_attendance_rate(self):
        assert_table(
            self,
            meeting_rules.attendance_text,
            [
                (0, 0, "—"),
                (4, 3, "75.00 %"),
                (3, 3, "100.00 %"),
                (3, 0, "0.00 %"),
                (3, 2, "66.67 %"),
            ],
        )
        self.assertIsNone(meeting_rules.attendance_rate(0, 0))
