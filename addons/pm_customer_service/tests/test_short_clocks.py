# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_base.tools import rates

from ..models import sla_rules
from .common import PmCaseCommon, about, assert_table

# 10:00 on a Monday in Shanghai (02:00 UTC)
D = datetime(2026, 3, 2, 2, 0)
M = timedelta(minutes=1)
S = timedelta(seconds=1)
H = timedelta(hours=1)
QUESTION = "pm_customer_service.mail_activity_type_pm_supervisor_question"


@tagged("pm_escalation")
class TestShortClockRules(PmCaseCommon):
    """R-CLOCK-1: the short response times as pure rules."""

    def test_rules_table(self):
        assert_table(
            self,
            sla_rules.within_minutes,
            [
                # met at the limit, missed one second after
                (D, D + 60 * M, 60, True),
                (D, D + 60 * M + S, 60, False),
                (D, D + M, 1, True),
                (D, D + M + S, 1, False),
                (D, None, 15, False),
                (None, D, 15, False),
            ],
        )
        assert_table(
            self,
            sla_rules.clock_measure,
            [
                (True, D, D + 15 * M, 15, False, (True, True)),
                (True, D, D + 15 * M + S, 15, False, (True, False)),
                # still waiting: not measured; ended without the step: missed
                (True, D, None, 15, False, (False, False)),
                (True, D, None, 15, True, (True, False)),
                # the clock does not apply, or has no start
                (False, D, D + M, 15, True, (False, False)),
                (True, None, D + M, 15, True, (False, False)),
            ],
        )
        assert_table(
            self,
            sla_rules.first_response,
            [
                (D + 5 * M, D + 2 * M, None, D + 2 * M),
                (None, None, D + 9 * M, D + 9 * M),
                (None, None, None, None),
            ],
        )
        assert_table(
            self,
            sla_rules.clock_deadline,
            [(D, 60, D + H), (None, 60, None)],
        )
        team_leader, director = sla_rules.LEVEL_TEAM_LEADER, sla_rules.LEVEL_DIRECTOR
        assert_table(
            self,
            sla_rules.supervisor_levels_due,
            [
                (D, None, D + 5 * M, 5, []),
                (D, None, D + 5 * M + S, 5, [team_leader]),
                (D, None, D + 10 * M, 5, [team_leader]),
                (D, None, D + 10 * M + S, 5, [team_leader, director]),
                # answered, or nothing asked: nothing due
                (D, D + 7 * M, D + 20 * M, 5, []),
                (None, None, D + 20 * M, 5, []),
            ],
        )


@tagged("pm_escalation")
class TestShortClocks(PmCaseCommon):
    """R-CLOCK-1: short response times measured on cases, escalated, shown."""

    def _help_case(self, **values):
        values.setdefault("request_type", "help")
        values.setdefault("channel", "phone")
        with self.mock_mail_gateway():
            return self._create_case(**values)

    def _rate(self, cases, name):
        [(value,)] = self.env["pm.case"]._read_group(
            [("id", "in", cases.ids)], [], [f"{name}:avg"]
        )
        return value

    def _set(self, key, value):
        self._set_setting(f"pm_{key}", value)

    # ------------------------------------------------------------
    # HELP CONFIRMATION WITHIN THE HOUR (seed 001 求助 §4)
    # ------------------------------------------------------------

    def test_help_confirmed_by_phone_within_the_hour(self):
        with freeze_time(D):
            met = self._help_case()
            late = self._help_case()
        self.assertEqual(met.help_confirm_deadline, D + H)
        self.assertEqual(met.escalation_kind, "help_confirm")
        # not measured while waiting: the rate has nothing to measure
        self.assertEqual(met.help_confirm_measured, 0)
        self.assertIsNone(self._rate(met | late, "help_confirm_rate"))
        with freeze_time(D + H), self.mock_mail_gateway():
            # the technician working on it does not record the desk's call
            with self.assertRaises(AccessError):
                met.with_user(self.user_technician).action_confirm_help_by_phone()
            met.with_user(self.user_agent).action_confirm_help_by_phone()
        with freeze_time(D + H + S), self.mock_mail_gateway():
            late.with_user(self.user_agent).action_confirm_help_by_phone()
        self.assertEqual(met.first_reply_date, D + H)
        self.assertEqual((met.help_confirm_measured, met.help_confirm_rate), (1, 100))
        self.assertEqual((late.help_confirm_measured, late.help_confirm_rate), (1, 0))
        self.assertEqual(self._rate(met | late, "help_confirm_rate"), 50.0)
        self.assertIn("Agent A", met.message_ids[0].body)
        # confirmed once
        with self.assertRaisesText(UserError, "already got an answer"):
            met.with_user(self.user_agent).action_confirm_help_by_phone()
        # no longer held to the hour: to its acknowledgement
        self.assertEqual(met.escalation_kind, "acknowledge")

    def test_missed_help_confirmation_escalates_once(self):
        with freeze_time(D):
            case = self._help_case()
        Case = self.env["pm.case"]
        technician = self.user_technician.partner_id
        # no reminder ahead of a one-hour limit: nothing before it is missed
        with freeze_time(D + M), self.mock_mail_gateway():
            mark = self._mail_mark()
            Case._cron_pm_escalate()
            self.assertEqual(self._mail_sent(case, mark), {})
        self.assertEqual(case.escalation_level, "0")
        # met at the limit: nothing at the hour exactly
        with freeze_time(D + H), self.mock_mail_gateway():
            mark = self._mail_mark()
            Case._cron_pm_escalate()
            self.assertEqual(self._mail_sent(case, mark), {})
        with freeze_time(D + H + S), self.mock_mail_gateway():
            mark = self._mail_mark()
            Case._cron_pm_escalate()
            Case._cron_pm_escalate()  # a rerun adds nothing
            case._pm_escalate()
            self.assertEqual(self._mail_sent(case, mark), {technician: (1, 0)})
            [mail] = self._new_mails
            self.assertIn("help confirmation is overdue", mail.body_html)
        self.assertEqual(case.escalation_level, "1")
        logs = self.env["pm.escalation.log"].search(
            [*about(case, model_field="res_model"), ("kind", "=", "help_confirm")]
        )
        self.assertEqual(sorted(logs.mapped("level")), [1])
        self.assertEqual(len(self._escalations(case)), 1)
        self.assertEqual(case.escalation_kind_label, "Help confirmation deadline")
        # the late confirmation ends its ladder and counts as missed
        with freeze_time(D + 2 * H), self.mock_mail_gateway():
            case.with_user(self.user_agent).action_confirm_help_by_phone()
        self.assertFalse(self._escalations(case))
        self.assertEqual(case.escalation_kind, "acknowledge")
        self.assertEqual((case.help_confirm_measured, case.help_confirm_rate), (1, 0))

    def test_help_setting_changes_the_verdict(self):
        self._set("help_confirm_minutes", 90)
        with freeze_time(D):
            case = self._help_case()
        self.assertEqual(case.help_confirm_deadline, D + 90 * M)
        with freeze_time(D + H + S), self.mock_mail_gateway():
            case.with_user(self.user_agent).action_confirm_help_by_phone()
        self.assertEqual(case.help_confirm_rate, 100.0)

    # ------------------------------------------------------------
    # ARRANGED OR ANSWERED WITHIN 15 MINUTES (seed 004 第三章 二.5)
    # ------------------------------------------------------------

    def _unassigned(self, **values):
        with self.mock_mail_gateway():
            return self._create_case(team_id=False, user_id=False, **values)

    def test_question_arranged_within_15_minutes(self):
        with freeze_time(D):
            met = self._unassigned(request_type="consultation")
            late = self._unassigned(request_type="complaint")
            # a help request has its own hour
            help_case = self._unassigned(request_type="help")
        self.assertEqual(met.response_measured, 0)
        self.assertIsNone(self._rate(met | late, "response_rate"))
        with freeze_time(D + 15 * M), self.mock_mail_gateway():
            met.with_user(self.user_agent).action_acknowledge()
        with freeze_time(D + 15 * M + S), self.mock_mail_gateway():
            # handed to a responsible is arranged too
            late.with_user(self.user_agent).write({"user_id": self.user_agent.id})
        self.assertEqual(late.transferred_date, D + 15 * M + S)
        self.assertEqual((met.response_measured, met.response_rate), (1, 100))
        self.assertEqual((late.response_measured, late.response_rate), (1, 0))
        self.assertEqual(help_case.response_measured, 0)
        self.assertEqual(self._rate(met | late | help_case, "response_rate"), 50.0)

    def test_response_setting_changes_the_verdict(self):
        self._set("response_minutes", 20)
        with freeze_time(D):
            case = self._unassigned(request_type="suggestion")
        with freeze_time(D + 15 * M + S), self.mock_mail_gateway():
            case.with_user(self.user_agent).action_acknowledge()
        self.assertEqual((case.response_measured, case.response_rate), (1, 100))

    # ------------------------------------------------------------
    # ENTRY WITHIN 1 MINUTE, CLASSIFIED AND HANDED ON WITHIN 2 (seed 004)
    # ------------------------------------------------------------

    def test_call_entered_and_handed_on(self):
        with freeze_time(D + M):
            # the agent records the time of the call
            met = self._unassigned(intake_date=D, request_type="complaint")
        with freeze_time(D + M + S):
            late = self._unassigned(intake_date=D, request_type="complaint")
            # a portal report is entered by nobody at the desk
            portal = self._unassigned(intake_date=D, channel="portal")
        self.assertEqual(met.entered_date, D + M)
        self.assertEqual((met.entry_measured, met.entry_rate), (1, 100))
        self.assertEqual((late.entry_measured, late.entry_rate), (1, 0))
        self.assertEqual(portal.entry_measured, 0)
        self.assertEqual(self._rate(met | late | portal, "entry_rate"), 50.0)
        # classified and handed on 2 minutes after the entry, then a second late
        self.assertEqual(met.transfer_measured, 0)
        with freeze_time(D + 3 * M), self.mock_mail_gateway():
            met.with_user(self.user_agent).write({"user_id": self.user_agent.id})
        with freeze_time(D + 3 * M + 2 * S), self.mock_mail_gateway():
            late.with_user(self.user_agent).write({"user_id": self.user_agent.id})
        self.assertEqual((met.transfer_measured, met.transfer_rate), (1, 100))
        self.assertEqual((late.transfer_measured, late.transfer_rate), (1, 0))
        # handed on at once when recorded with its responsible
        with freeze_time(D + 5 * M), self.mock_mail_gateway():
            direct = self._create_case()
        self.assertEqual((direct.transfer_measured, direct.transfer_rate), (1, 100))

    def test_entry_setting_changes_the_verdict(self):
        self._set("entry_minutes", 2)
        with freeze_time(D + M + S):
            case = self._unassigned(intake_date=D)
        self.assertEqual((case.entry_measured, case.entry_rate), (1, 100))
        self._set("transfer_minutes", 3)
        with freeze_time(D + 4 * M + S), self.mock_mail_gateway():
            case.with_user(self.user_agent).write({"user_id": self.user_agent.id})
        self.assertEqual((case.transfer_measured, case.transfer_rate), (1, 100))

    def test_reception_time_recorded_by_the_desk(self):
        with freeze_time(D):
            with self.assertRaisesText(ValidationError, "cannot be in the future"):
                self._unassigned(intake_date=D + S)
            case = self._unassigned(intake_date=D - 30 * S)
        # the technician working on it does not move it; the desk does, tracked
        with self.assertRaisesText(UserError, "ask the front desk"):
            case.with_user(self.user_technician).write({"intake_date": D - M})
        self.env.flush_all()
        case.with_user(self.user_agent).with_context(tracking_disable=False).write(
            {"intake_date": D - M}
        )
        self.flush_tracking()
        tracked = case.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("intake_date", tracked)
        # the server's stamps are not the agent's to set
        self.assertWritesRefused(
            case.with_user(self.user_agent),
            {"entered_date": D - H},
            {"transferred_date": D - H},
            {"entry_rate": 0.0},
        )

    # ------------------------------------------------------------
    # THE SUPERVISOR ANSWERS WITHIN 5 MINUTES (seed 004 5a)
    # ------------------------------------------------------------

    def _ask(self, case, user=None, text="May we repair it free of charge?"):
        action = case.with_user(user or self.user_agent).action_ask_supervisor()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user or self.user_agent)
            .with_context(**action["context"])
            .create({"text": text})
        )
        with self.mock_mail_gateway():
            wizard.action_confirm()

    def _answer(self, case, user, text="Yes, under the warranty."):
        action = case.with_user(user).action_answer_supervisor()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"text": text})
        )
        with self.mock_mail_gateway():
            wizard.action_confirm()

    def _questions(self, case):
        return case.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(QUESTION)
        )

    def test_supervisor_answers_within_5_minutes(self):
        with freeze_time(D):
            case = self._help_case()
            with self.assertRaises(AccessError):
                case.with_user(self.user_technician).action_ask_supervisor()
            self._ask(case)
        self.assertIsNone(self._rate(case, "supervisor_answer_rate"))
        # the team's leader is asked, in their to-do list
        self.assertEqual(case.supervisor_id, self.user_leader)
        self.assertEqual(case.supervisor_answer_deadline, D + 5 * M)
        self.assertEqual(self._questions(case).user_id, self.user_leader)
        # one question at a time
        with freeze_time(D + M), self.assertRaisesText(UserError, "not answered"):
            case.with_user(self.user_agent)._pm_ask_supervisor("And the paint?")
        # the agent does not answer their own question
        with freeze_time(D + 2 * M), self.assertRaises(AccessError):
            case.with_user(self.user_agent).action_answer_supervisor()
        with freeze_time(D + 5 * M):
            mark = self._mail_mark()
            self._answer(case, self.user_leader)
            # the agent who asked hears the answer, once
            self.assertEqual(
                self._mail_sent(case, mark), {self.user_agent.partner_id: (1, 1)}
            )
        self.assertFalse(self._questions(case))
        self.assertEqual(case.supervisor_answer_date, D + 5 * M)
        self.assertEqual(self._rate(case, "supervisor_answer_rate"), 100.0)
        # a second question answered a second late
        with freeze_time(D + 10 * M):
            self._ask(case)
        with freeze_time(D + 15 * M + S):
            self._answer(case, self.user_leader)
        self.assertEqual(
            (case.supervisor_answered_count, case.supervisor_on_time_count), (2, 1)
        )
        self.assertEqual(self._rate(case, "supervisor_answer_rate"), 50.0)

    def test_unanswered_question_reminds_then_escalates(self):
        with freeze_time(D):
            case = self._help_case()
            self._ask(case)
        Case = self.env["pm.case"]
        leader = self.user_leader.partner_id
        director = self.user_director.partner_id
        self.property_a.director_id = self.user_director

        def run(at):
            with freeze_time(at), self.mock_mail_gateway():
                mark = self._mail_mark()
                Case._cron_pm_supervisor_answer()
                Case._cron_pm_supervisor_answer()  # a rerun adds nothing
                return self._mail_sent(case, mark)

        # met at the limit: nothing at 5 minutes exactly
        self.assertEqual(run(D + 5 * M), {})
        self.assertEqual(run(D + 5 * M + S), {leader: (1, 0)})
        self.assertEqual(run(D + 10 * M), {})
        self.assertEqual(run(D + 10 * M + S), {director: (1, 0)})
        self.assertEqual(run(D + 20 * M), {})
        self.assertFalse(case.supervisor_next_date)
        self.assertEqual(
            self._escalations(case).user_id, self.user_leader | self.user_director
        )
        # the answer, late, ends the reminders and counts as missed
        with freeze_time(D + 21 * M):
            self._answer(case, self.user_director)
        self.assertFalse(self._escalations(case))
        self.assertEqual(self._rate(case, "supervisor_answer_rate"), 0.0)

    def test_supervisor_setting_changes_the_verdict(self):
        self._set("supervisor_answer_minutes", 10)
        with freeze_time(D):
            case = self._help_case()
            self._ask(case)
        with freeze_time(D + 5 * M + S):
            mark = self._mail_mark()
            self.env["pm.case"]._cron_pm_supervisor_answer()
            self.assertEqual(self._mail_sent(case, mark), {})
            self._answer(case, self.user_leader)
        self.assertEqual(self._rate(case, "supervisor_answer_rate"), 100.0)

    def test_rates_without_anything_to_measure_show_a_dash(self):
        with freeze_time(D):
            case = self._unassigned(request_type="repair", channel="portal")
        names = [
            "help_confirm_rate",
            "response_rate",
            "entry_rate",
            "transfer_rate",
            "supervisor_answer_rate",
        ]
        parts = self.env["pm.case"]._pm_rate_parts([("id", "=", case.id)], names)
        for name in names:
            with self.subTest(name=name):
                self.assertEqual(parts[name], (0, 0))
                self.assertEqual(rates.format_rate(rates.rate(*parts[name])), "—")
                self.assertIsNone(self._rate(case, name))

    def test_board_and_monthly_analysis_show_the_rates(self):
        with freeze_time(D):
            met = self._help_case()
            late = self._help_case()
        with freeze_time(D + H), self.mock_mail_gateway():
            met.with_user(self.user_agent).action_confirm_help_by_phone()
        with freeze_time(D + H + S), self.mock_mail_gateway():
            late.with_user(self.user_agent).action_confirm_help_by_phone()
        self.env.flush_all()
        self.env.invalidate_all()
        Board = self.env["pm.kpi.board"].with_user(self.user_director)
        [(num, den, rate, supervisor)] = Board._read_group(
            [("property_id", "=", self.property_a.id)],
            [],
            [
                "help_confirm_num:sum",
                "help_confirm_den:sum",
                "help_confirm_rate:avg",
                "supervisor_answer_rate:avg",
            ],
        )
        self.assertEqual((num, den, rate, supervisor), (1, 2, 50.0, None))
        rows = Board.search([("property_id", "=", self.property_a.id)])
        self.assertEqual(rows.mapped("help_confirm_display"), ["50.00"])
        self.assertEqual(rows.mapped("supervisor_answer_display"), ["—"])
        report = (
            self.env["pm.quality.report"]
            .with_user(self.user_quality)
            .create({"property_id": self.property_a.id, "month": "2026-03-01"})
        )
        report._compute_figures()
        lines = {line.key: line for line in report.line_ids if line.section == "rate"}
        help_line = lines["help_confirm"]
        self.assertEqual((help_line.numerator, help_line.count), (1, 2))
        self.assertEqual(help_line.rate, 50.0)
        self.assertFalse(lines["supervisor_answer"].has_rate)
        self.assertEqual(help_line.with_context(lang="zh_CN").name, "求助及时确认率")
