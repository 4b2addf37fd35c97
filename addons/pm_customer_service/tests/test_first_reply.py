# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.pm_base.tools.write_guard import workflow_writes

from ..models import sla_rules
from .common import PmCaseCommon, about, assert_table

# 10:00 on a Monday in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"
PROGRESS = "pm_customer_service.mail_activity_type_pm_progress"
D = datetime(2026, 3, 2, 2, 0)
H = timedelta(hours=1)


@tagged("pm_escalation")
class TestFirstReplyRules(PmCaseCommon):
    def test_rules_table(self):
        assert_table(
            self,
            sla_rules.is_owner_reply,
            [
                ("comment", True, False, True, True),
                ("email", True, False, True, True),
                # an internal note, the owner's message, a system notice
                ("comment", False, True, True, False),
                ("comment", True, True, True, False),
                ("comment", True, False, False, False),
                ("notification", True, False, True, False),
                ("user_notification", True, False, True, False),
            ],
        )
        assert_table(
            self,
            sla_rules.first_reply_measure,
            [
                # met at the limit, missed one second after
                (True, D + 24 * H, D + 24 * H, False, (True, True)),
                (
                    True,
                    D + 24 * H,
                    D + 24 * H + timedelta(seconds=1),
                    False,
                    (True, False),
                ),
                # still waiting: not measured; resolved without a reply: missed
                (True, D + 24 * H, False, False, (False, False)),
                (True, D + 24 * H, False, True, (True, False)),
                # invalid or without a deadline: not measured
                (False, D + 24 * H, D + H, True, (False, False)),
                (True, False, D + H, True, (False, False)),
            ],
        )
        assert_table(
            self,
            sla_rules.progress_update_due,
            [
                # a short case, a long one never updated, updated lately, long ago
                (D, None, D + 47 * H, 2, 2, False),
                (D, None, D + 48 * H, 2, 2, True),
                (D, D + 40 * H, D + 60 * H, 2, 2, False),
                (D, D + 40 * H, D + 88 * H, 2, 2, True),
                (D, None, D + 480 * H, 0, 2, False),
                (None, None, D, 2, 2, False),
            ],
        )
        assert_table(
            self,
            sla_rules.is_due,
            [
                (sla_rules.LEVEL_REMINDER, D, D, True),
                (sla_rules.LEVEL_RESPONSIBLE, D, D, False),
                (sla_rules.LEVEL_RESPONSIBLE, D, D + timedelta(seconds=1), True),
                (sla_rules.LEVEL_TEAM_LEADER, D, D - H, False),
                (sla_rules.LEVEL_RESPONSIBLE, None, D, False),
            ],
        )


@tagged("pm_escalation")
class TestFirstReply(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # owner Wang's portal login
        cls.user_portal = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "pm_t_owner_wang",
                    "partner_id": cls.owner.id,
                    "group_ids": [(6, 0, cls.env.ref("base.group_portal").ids)],
                }
            )
        )

    def _acknowledged_case(self):
        with freeze_time(MONDAY_10), self.mock_mail_gateway():
            case = self._create_case()
            case.action_acknowledge()
        return case

    def _reply(self, case, body="We are on it: the plumber comes tomorrow."):
        """The agent's public message to the owner in the chatter."""
        case.with_user(self.user_agent).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _logs(self, case, kind="first_reply"):
        return self.env["pm.escalation.log"].search(
            [*about(case, model_field="res_model"), ("kind", "=", kind)]
        )

    def test_staff_reply_sets_first_reply_once(self):
        case = self._acknowledged_case()
        # the receipt promises the reply: it updates the owner, it is no reply
        self.assertFalse(case.first_reply_date)
        self.assertEqual(case.last_owner_update_date, D)
        self.assertEqual(case.escalation_kind, "first_reply")
        as_agent = case.with_user(self.user_agent)
        with freeze_time(D + H), self.mock_mail_gateway():
            # an internal note and the owner's own message are no reply
            as_agent.message_post(body="Called the plumber.")
            case.message_post(
                body="Any news?",
                author_id=self.owner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(case.first_reply_date)
            # the agent cannot set it by hand
            self.assertWritesRefused(
                as_agent, {"first_reply_date": fields.Datetime.now()}
            )
        with freeze_time(D + 2 * H), self.mock_mail_gateway():
            self._reply(case)
        self.assertEqual(case.first_reply_date, D + 2 * H)
        self.assertEqual(case.first_reply_hours, 2.0)
        self.assertEqual(case.first_reply_measured, 1)
        self.assertEqual(case.first_reply_rate, 100.0)
        # the first reply met, the case is held to its resolution
        self.assertEqual(case.escalation_kind, "resolve")
        with freeze_time(D + 5 * H), self.mock_mail_gateway():
            self._reply(case, "The plumber is here.")
        self.assertEqual(case.first_reply_date, D + 2 * H)
        self.assertEqual(case.last_owner_update_date, D + 5 * H)

    def test_reply_by_phone_recorded_by_staff_only(self):
        case = self._acknowledged_case()
        with freeze_time(D + 3 * H):
            with self.assertRaises(AccessError):
                case.with_user(self.user_portal).action_first_reply()
            self.assertFalse(case.first_reply_date)
            case.with_user(self.user_agent).action_first_reply()
        self.assertEqual(case.first_reply_date, D + 3 * H)

    def test_missed_first_reply_escalates_after_the_limit(self):
        case = self._acknowledged_case()
        deadline = case.reply_deadline
        self.assertEqual(case.escalation_next_date, deadline - 4 * H)
        Case = self.env["pm.case"]
        with freeze_time(deadline - 3 * H), self.mock_mail_gateway():
            Case._cron_pm_escalate()
            self.assertEqual(case.escalation_level, "0")
            self.assertEqual(
                self._new_mails.recipient_ids, self.user_technician.partner_id
            )
        # met at the limit: nothing at 24 hours exactly
        with freeze_time(deadline), self.mock_mail_gateway():
            Case._cron_pm_escalate()
            self.assertFalse(self._new_mails)
        self.assertEqual(case.escalation_level, "0")
        self.assertEqual(self._logs(case).mapped("level"), [0])
        with freeze_time(deadline + timedelta(seconds=1)), self.mock_mail_gateway():
            Case._cron_pm_escalate()
            Case._cron_pm_escalate()  # a rerun adds nothing
            case._pm_escalate()
            mails = self._new_mails
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.recipient_ids, self.user_technician.partner_id)
            self.assertIn("escalated", mails.subject)
            self.assertIn("first reply is overdue", mails.body_html)
        self.assertEqual(case.escalation_level, "1")
        self.assertEqual(sorted(self._logs(case).mapped("level")), [0, 1])
        self.assertEqual(len(self._escalations(case)), 1)
        self.assertEqual(case.escalation_kind_label, "First reply deadline")
        # the late reply ends the ladder of the first reply and counts as missed
        with freeze_time(deadline + 2 * H), self.mock_mail_gateway():
            self._reply(case)
        self.assertFalse(self._escalations(case))
        self.assertEqual(case.escalation_kind, "resolve")
        self.assertEqual(case.first_reply_measured, 1)
        self.assertEqual(case.first_reply_rate, 0.0)

    def test_progress_reminder_of_long_case(self):
        case = self._acknowledged_case()
        with freeze_time(D + 2 * H), self.mock_mail_gateway():
            self._reply(case)
        Case = self.env["pm.case"]

        def reminders():
            return case.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(PROGRESS)
            )

        # short case, then a long one updated lately: nothing
        with freeze_time(D + 30 * H):
            Case._cron_pm_progress_reminder()
        with freeze_time(D + 49 * H):
            Case._cron_pm_progress_reminder()
        self.assertFalse(reminders())
        # silent for two days: one reminder for the handler, however often it runs
        with freeze_time(D + 2 * H + 48 * H):
            Case._cron_pm_progress_reminder()
            Case._cron_pm_progress_reminder()
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.user_technician)
        with freeze_time(D + 80 * H):
            Case._cron_pm_progress_reminder()
        self.assertEqual(len(reminders()), 1)
        # the handler updates the owner: the reminder is done
        with freeze_time(D + 81 * H), self.mock_mail_gateway():
            self._reply(case, "The parts arrive on Friday.")
        self.assertFalse(reminders())
        with freeze_time(D + 81 * H + 47 * H):
            Case._cron_pm_progress_reminder()
        self.assertFalse(reminders())
        with freeze_time(D + 81 * H + 48 * H):
            Case._cron_pm_progress_reminder()
        self.assertEqual(len(reminders()), 1)

    def _board(self):
        """The KPI board's first-reply figures of property A, as the director
        reads them."""
        # the board is a SQL view over the saved cases
        self.env.flush_all()
        self.env.invalidate_all()
        Board = self.env["pm.kpi.board"].with_user(self.user_director)
        [(num, den, rate)] = Board._read_group(
            [("property_id", "=", self.property_a.id)],
            [],
            ["first_reply_num:sum", "first_reply_den:sum", "first_reply_rate:avg"],
        )
        rows = Board.search([("property_id", "=", self.property_a.id)])
        return num, den, rate, rows.mapped("first_reply_display")

    def test_rate_without_denominator_is_none(self):
        case = self._acknowledged_case()
        self.assertEqual(case.first_reply_measured, 0)
        [(rate,)] = self.env["pm.case"]._read_group(
            [("id", "=", case.id)], [], ["first_reply_rate:avg"]
        )
        self.assertIsNone(rate)
        self.assertEqual(self._board(), (0, 0, None, ["—"]))
        with freeze_time(D + H), self.mock_mail_gateway():
            self._reply(case)
        [(rate,)] = self.env["pm.case"]._read_group(
            [("id", "=", case.id)], [], ["first_reply_rate:avg"]
        )
        self.assertEqual(rate, 100.0)
        # a second case resolved with no word to the owner misses it
        with freeze_time(MONDAY_10), self.mock_mail_gateway():
            other = self._create_case(request_type="consultation")
            other.with_user(self.user_agent).action_acknowledge()
        with workflow_writes():
            other.write({"resolved_date": D + 30 * H})
        self.assertFalse(other.first_reply_date)
        self.assertEqual(self._board(), (1, 2, 50.0, ["50.00"]))
        # the month's quality analysis, drafted by the quality department,
        # shows the same rate
        report = (
            self.env["pm.quality.report"]
            .with_user(self.user_quality)
            .create({"property_id": self.property_a.id, "month": "2026-03-01"})
        )
        report._compute_figures()
        [line] = report.line_ids.filtered(
            lambda ln: (ln.section, ln.key) == ("rate", "first_reply")
        )
        self.assertEqual((line.numerator, line.count, line.rate), (1, 2, 50.0))
        self.assertEqual(line.with_context(lang="zh_CN").name, "首次答复及时率")
