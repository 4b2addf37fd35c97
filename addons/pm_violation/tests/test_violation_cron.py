# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ViolationCommon

INSPECTION = "pm_violation.mail_activity_type_pm_violation_inspection"


@tagged("post_install", "-at_install")
class TestViolationDeadlines(ViolationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo's violations are another property's business: off the ladder
        cls.env["pm.violation"].search([]).write(
            {"state": "cancelled", "escalation_next_date": False}
        )

    def _log(self, violation):
        return (
            self.env["pm.escalation.log"]
            .sudo()
            .search([("res_model", "=", "pm.violation"), ("res_id", "=", violation.id)])
        )

    def _inspection_activities(self, violation):
        return violation.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(INSPECTION)
        )

    def _cron(self):
        self.env["pm.violation"]._cron_pm_violation_deadlines()

    def test_deadline_cron_in_shanghai(self):
        """Found on 7 December at 10:00 in Shanghai, a parking violation is due by
        the end of 8 December local time (16:00 UTC): escalated then, once per
        level; reruns add nothing."""
        with freeze_time("2026-12-07 02:00:00"):
            violation = self._record(kind="parking", found_at=datetime(2026, 12, 7, 2))
            violation.action_notify()
        self.assertEqual(violation.deadline, date(2026, 12, 8))
        self.assertEqual(violation.deadline_at, datetime(2026, 12, 8, 16, 0))
        # 23:59 local on the last day: not yet
        with freeze_time("2026-12-08 15:59:00"):
            self._cron()
            self.assertEqual(violation.state, "notified")
            self.assertFalse(self._log(violation))
        # one minute past local midnight: escalated to the responsible
        # the notice went to the owner that day
        self._commit_work()
        with freeze_time("2026-12-08 16:01:00"):
            mark = self._mail_mark()
            self._cron()
            self.assertEqual(violation.state, "escalated")
            self.assertTrue(violation.is_overdue)
            self.assertEqual(self._log(violation).mapped("level"), [1])
            _mails, per_partner = self._emails_since(mark)
            self.assertEqual(
                {p.name: n for p, n in per_partner.items()},
                {self.user_agent.partner_id.name: 1},
            )
            activity = self._inspection_activities(violation)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.user_agent)
            self.assertEqual(activity.date_deadline, date(2026, 12, 9))
            # a rerun adds nothing
            mark = self._mail_mark()
            self._cron()
            self.assertEqual(len(self._log(violation)), 1)
            self.assertEqual(len(self._inspection_activities(violation)), 1)
            self.assertFalse(sum(self._emails_since(mark)[1].values()))
        # a day later: the team leader, once
        with freeze_time("2026-12-09 16:02:00"):
            mark = self._mail_mark()
            self._cron()
            self._cron()
            self.assertEqual(sorted(self._log(violation).mapped("level")), [1, 2])
            mails, per_partner = self._emails_since(mark)
            self.assertEqual(
                per_partner,
                {self.user_leader.partner_id: 1},
                [(m.subject, m.recipient_ids.mapped("name")) for m in mails],
            )
            self.assertEqual(violation.escalation_level, "2")
        # the inspection passes: the ladder stops
        with freeze_time("2026-12-10 03:00:00"):
            self._inspect(violation, "passed", note="车辆已移走")
            self.assertEqual(violation.state, "rectified")
            self.assertFalse(violation.on_time)
            self.assertFalse(violation.escalation_next_date)
            self.assertFalse(self._inspection_activities(violation))
        with freeze_time("2026-12-12 03:00:00"):
            self._cron()
            self.assertEqual(len(self._log(violation)), 2)

    def test_rectified_in_time_never_escalates(self):
        with freeze_time("2026-12-07 02:00:00"):
            violation = self._record(kind="pet", found_at=datetime(2026, 12, 7, 2))
            violation.action_notify()
            violation.action_request_inspection()
            self._inspect(violation, "passed", note="已拴绳")
        with freeze_time("2026-12-20 02:00:00"):
            self._cron()
        self.assertEqual(violation.state, "rectified")
        self.assertTrue(violation.on_time)
        self.assertFalse(self._log(violation))
