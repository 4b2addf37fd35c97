# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-ESC-1: an escalation ends with its deadline. When the deadline is met or no
longer applies (the case acknowledged, resolved or closed, the rectification
done), the open reminder and escalation activities of the record are marked
done with the reason, and kept as history; other activities stay; a later
scheduler run sends nothing. Times are frozen in UTC; the property is in
Asia/Shanghai (UTC+8)."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_escalation_recipients import ESCALATION, MONDAY_10, RecipientsCommon


class CloseCommon(RecipientsCommon):
    def _noise(self, record):
        """Open activities, emails, notifications and log rows of ``record``."""
        return self._trace_counts(record)

    def _todo(self, record, user):
        """An activity of another kind, unrelated to the escalation."""
        return (
            record.sudo()
            .with_context(mail_activity_quick_update=True)
            .activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary="Call the plumber back",
            )
        )

    def _done_feedback(self, record):
        return record.sudo().message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.env.ref(ESCALATION)
        )


@tagged("pm_escalation", "post_install", "-at_install")
class TestCaseEscalationCloses(CloseCommon):
    CRON = "pm_customer_service.ir_cron_pm_case_escalate"

    def test_resolved_case_closes_its_escalations(self):
        with freeze_time(MONDAY_10):
            case = self._create_case(request_type="help", user_id=self.user_agent.id)
            case.with_user(self.user_agent).action_acknowledge()
            # the owner was called back at once: the first reply is given
            case.with_user(self.user_agent).action_first_reply()
        todo = self._todo(case, self.user_agent)
        deadline = case.resolve_deadline
        self.assertEqual(case.escalation_kind, "resolve")
        for hours, level in ((0, "1"), (24, "2"), (48, "3")):
            with freeze_time(deadline + timedelta(hours=hours, minutes=5)):
                self._run_cron(self.CRON)
            self.assertEqual(case.escalation_level, level)
        people = self.user_agent | self.user_leader | self.user_director
        self.assertEqual(self._escalations(case).user_id, people)
        self.assertEqual(len(self._escalations(case)), 3)
        # the agent resolves the case: the escalations end with the deadline
        since = self._mail_mark()
        with freeze_time(deadline + timedelta(hours=50)):
            case.with_user(self.user_agent).action_resolve()
        self.assertEqual(case.state, "confirmation")
        self.assertFalse(self._escalations(case))
        done = self._escalations(case, active=False)
        self.assertEqual(done.user_id, people)
        self.assertEqual(len(done), 3)
        # the history says why, once per activity, and mails nobody
        notes = self._done_feedback(case)
        self.assertEqual(len(notes), 3)
        for note in notes:
            self.assertIn("Handled: the case is resolved", note.body)
        sent = self._mail_sent(case, since)
        for user in self.user_leader | self.user_director:
            self.assertNotIn(user.partner_id, sent)
        self.assertEqual(sum(n for _m, n in sent.values()), 0, sent)
        # the activity of another kind stays in the agent's to-do list
        self.assertTrue(todo.exists())
        self.assertTrue(todo.active)
        # later scheduler runs find nothing to do
        before = self._noise(case)
        for hours in (72, 120):
            with freeze_time(deadline + timedelta(hours=hours)):
                self._run_cron(self.CRON)
        self.assertEqual(self._noise(case), before)
        self.assertFalse(self._escalations(case))
        # the owner says it is not solved: the reopened case starts clean, its
        # new deadline escalates again with fresh activities
        with freeze_time(deadline + timedelta(hours=121)):
            self._owner_decision(case, "2", note="Still not working.")
        self.assertEqual((case.state, case.reopen_count), ("processing", 1))
        self.assertEqual(case.escalation_kind, "resolve_1")
        self.assertFalse(self._escalations(case))
        with freeze_time(case.resolve_deadline + timedelta(minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(self._escalations(case).user_id, self.user_agent)
        self.assertEqual(len(self._escalations(case, active=False)), 3)

    def test_acknowledged_late_closes_the_acknowledge_escalation(self):
        with freeze_time(MONDAY_10):
            case = self._create_case(user_id=self.user_agent.id)
        ack = case.acknowledge_deadline
        with freeze_time(ack + timedelta(hours=24, minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(case.escalation_level, "2")
        self.assertEqual(
            self._escalations(case).user_id, self.user_agent | self.user_leader
        )
        with freeze_time(ack + timedelta(hours=25)):
            case.with_user(self.user_agent).action_acknowledge()
            case.with_user(self.user_agent).action_first_reply()
        self.assertFalse(self._escalations(case))
        for note in self._done_feedback(case):
            self.assertIn("Handled: the case is acknowledged", note.body)
        # the resolution has its own ladder, with a fresh activity
        self.assertEqual(case.escalation_kind, "resolve")
        with freeze_time(case.resolve_deadline + timedelta(minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(self._escalations(case).user_id, self.user_agent)

    def test_closed_activity_feedback_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_leader.lang = "zh_CN"
        with freeze_time(MONDAY_10):
            case = self._create_case(user_id=self.user_leader.id)
        with freeze_time(case.acknowledge_deadline + timedelta(minutes=5)):
            self._run_cron(self.CRON)
            case.with_user(self.user_agent).action_acknowledge()
        note = self._done_feedback(case)
        self.assertEqual(len(note), 1)
        self.assertIn("已处理：案件已受理", note.body)


@tagged("pm_escalation", "post_install", "-at_install")
class TestRectificationEscalationCloses(CloseCommon):
    CRON = "pm_customer_service.ir_cron_pm_rectification_escalate"

    def test_done_rectification_closes_its_escalations(self):
        rect = self._hinge_job(self.user_technician)
        with freeze_time(MONDAY_10):
            rect.action_start()
        todo = self._todo(rect, self.user_technician)
        # the deadline ends on 3 March at midnight in Shanghai
        for now, level in (
            ("2026-03-03 16:30:00", "1"),
            ("2026-03-04 16:30:00", "2"),
            ("2026-03-05 16:30:00", "3"),
        ):
            with freeze_time(now):
                self._run_cron(self.CRON)
            self.assertEqual(rect.escalation_level, level)
        people = self.user_technician | self.user_leader | self.user_director
        self.assertEqual(self._escalations(rect).user_id, people)
        since = self._mail_mark()
        with freeze_time("2026-03-06 02:00:00"):
            rect = rect.with_user(self.user_technician)
            rect.completion_note = "Hinge replaced."
            rect.action_done()
        self.assertEqual(rect.state, "done")
        self.assertFalse(self._escalations(rect))
        self.assertEqual(self._escalations(rect, active=False).user_id, people)
        notes = self._done_feedback(rect)
        self.assertEqual(len(notes), 3)
        for note in notes:
            self.assertIn("Handled: the rectification is done", note.body)
        sent = self._mail_sent(rect, since)
        self.assertEqual(sum(n for _m, n in sent.values()), 0, sent)
        self.assertTrue(todo.active)
        before = self._noise(rect)
        with freeze_time("2026-03-08 16:30:00"):
            self._run_cron(self.CRON)
        self.assertEqual(self._noise(rect), before)
