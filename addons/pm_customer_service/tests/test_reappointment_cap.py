# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-SLA-4, seed 003 §4.2.3.1.4: a resolution re-appointed with the owner is
generally no more than three days away (a setting); further needs a director."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PmCaseCommon

# Monday 2 March 2026, 10:00 in Shanghai; the case is due Wednesday 10:00
MONDAY_10 = "2026-03-02 02:00:00"
DUE = datetime(2026, 3, 4, 2, 0)
# Thursday 5 March 10:00 in Shanghai: exactly three days away
AT_CAP = "2026-03-05 02:00:00"
CAP_KEY = "pm_customer_service.reappointment_cap_days"


@tagged("pm_case")
class TestReappointmentCap(PmCaseCommon):
    def _reappoint(self, user, case, new_deadline, reason):
        wizard = (
            self.env["pm.case.deadline.wizard"]
            .with_user(user)
            .create(
                {"case_id": case.id, "new_deadline": new_deadline, "reason": reason}
            )
        )
        with self.mock_mail_gateway():
            wizard.action_apply()

    def assertRefused(self, user, case, new_deadline, reason, message):
        mails = self._mails_to(self.owner)
        messages = case.message_ids
        with self.assertRaisesText(UserError, message):
            self._reappoint(user, case, new_deadline, reason)
        # nothing half-saved, nobody informed
        self.assertEqual(case.resolve_deadline, DUE)
        self.assertEqual(case.deadline_change_count, 0)
        self.assertEqual(self._mails_to(self.owner), mails)
        self.assertEqual(case.message_ids, messages)

    @freeze_time(MONDAY_10)
    def test_agent_within_the_cap(self):
        case = self._create_case()
        self.assertEqual(case.resolve_deadline, DUE)
        self._reappoint(self.user_agent, case, AT_CAP, "Spare part, agreed")
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 5, 2, 0))
        self.assertEqual(case.deadline_change_count, 1)
        note = case.message_ids.filtered(lambda m: "Spare part, agreed" in m.body)
        self.assertIn("2026-03-05 10:00", note.body)
        self.assertNotIn("approved by", note.body)

    @freeze_time(MONDAY_10)
    def test_agent_beyond_the_cap_is_refused(self):
        case = self._create_case()
        self.assertRefused(
            self.user_agent,
            case,
            "2026-03-05 02:00:01",
            "Spare part, agreed",
            "more than 3 days away needs a director",
        )
        self.assertRefused(
            self.user_agent,
            case,
            "2026-03-06 02:00:00",
            "Spare part, agreed",
            "more than 3 days away needs a director",
        )
        # and no move at all without a reason, whoever asks
        self.assertRefused(
            self.user_director, case, "2026-03-06 02:00:00", "", "with a reason"
        )

    @freeze_time(MONDAY_10)
    def test_director_beyond_the_cap_with_reason(self):
        case = self._create_case()
        self._reappoint(
            self.user_director, case, "2026-03-09 02:00:00", "Owner abroad until 9th"
        )
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 9, 2, 0))
        self.assertEqual(case.deadline_change_count, 1)
        note = case.message_ids.filtered(lambda m: "Owner abroad until 9th" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn("More than 3 days away, approved by Director A.", note.body)
        self.assertEqual(note.author_id, self.user_director.partner_id)

    @freeze_time(MONDAY_10)
    def test_the_setting_decides(self):
        params = self.env["ir.config_parameter"].sudo()
        case = self._create_case()
        params.set_param(CAP_KEY, "1")
        self.assertRefused(
            self.user_agent,
            case,
            "2026-03-04 03:00:00",
            "Spare part, agreed",
            "more than 1 days away needs a director",
        )
        params.set_param(CAP_KEY, "5")
        self._reappoint(self.user_agent, case, "2026-03-07 02:00:00", "Spare part")
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 7, 2, 0))

    @freeze_time(MONDAY_10)
    def test_earlier_or_owner_booked_is_not_capped(self):
        # the owner's own booking is not a delay of ours (pm_repair follows it)
        case = self._create_case()
        case.with_user(self.user_agent)._change_deadline(
            "resolve_deadline", "2026-03-10 02:00:00", "Owner booked", owner_booked=True
        )
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 10, 2, 0))
        # moving it earlier again is no re-appointment beyond the cap
        self._reappoint(self.user_agent, case, "2026-03-09 02:00:00", "Sooner")
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 9, 2, 0))
