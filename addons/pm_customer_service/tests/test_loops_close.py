# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 24, loops that must close (seed 003 §4.2.3.2, §4.2.3.2.2):

- R-VALID-1: a major complaint judged invalid is reported to the service-centre
  director (one email, an internal note);
- R-INTAKE-2: a case forwarded by head office reports its outcome to the quality
  department when closed (one email each, an internal note).

Every email counts (mail.mail and mail.notification, after the transaction's
post-commit work): the report is the one difference with a case that reports
nothing."""

from collections import Counter

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PmCaseCommon, about

MONDAY_10 = "2026-03-02 02:00:00"  # 10:00 in Shanghai
THURSDAY_1430 = "2026-03-05 06:30:00"  # 14:30 in Shanghai
EXPLANATION = "Private renovation: outside our service scope."


@tagged("pm_case", "pm_mail")
class TestLoopsClose(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pm_production_mail()
        cls.user_quality_2 = cls._pm_user(
            "pm_t_quality_2", "quality", name="Quality 2", email="q2@example.com"
        )
        cls.quality_team.member_ids = cls.user_quality_2

    # ------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------

    def _step(self, func, when):
        """{partner: emails} ``func`` sent at ``when`` (``_emails_since``), and
        the mail.mail."""
        self._commit_work()
        mark = self._mail_mark()
        with freeze_time(when), self.mock_mail_gateway():
            func()
        mails, per_partner = self._emails_since(mark)
        return +per_partner, mails

    def _notes(self, case, text):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    *about(case),
                    ("message_type", "=", "comment"),
                    ("subtype_id", "=", self.env.ref("mail.mt_note").id),
                ]
            )
            .filtered(lambda m: text in m.body)
        )

    def _judge_invalid(self, case):
        case = case.with_user(self.user_agent)
        case.invalid_explanation = EXPLANATION
        case.action_mark_invalid()

    def _handle_until_return_visit(self, case):
        """As the agent: acknowledged, investigated, decided, processed,
        resolved, the owner satisfied, the return visit recorded."""
        agent = case.with_user(self.user_agent)
        agent.action_acknowledge()
        self._investigate_and_decide(agent)
        agent.action_decide()
        agent.action_start_processing()
        agent.action_resolve()
        self._owner_decision(case, "4")
        visit = case.return_visit_ids.with_user(self.user_agent)
        visit.write({"satisfaction": "4", "result": "Fine now."})
        return visit

    # ------------------------------------------------------------
    # R-VALID-1: a major complaint judged invalid goes to the director
    # ------------------------------------------------------------

    def test_major_complaint_judged_invalid_reported_to_director(self):
        self._chinese_env()
        self.user_director.lang = "zh_CN"
        with freeze_time(MONDAY_10):
            major = self._create_case(severity="major")
            general = self._create_case()
        sent_major, mails = self._step(lambda: self._judge_invalid(major), MONDAY_10)
        sent_general, _mails = self._step(
            lambda: self._judge_invalid(general), MONDAY_10
        )
        self.assertEqual((major.validity, major.state), ("invalid", "closed"))
        # the director follows the case: the report is the
        # director's one email of the step, instead of the stage change's; the
        # others get what they get for any case judged invalid
        director = self.user_director.partner_id
        self.assertEqual(sent_major[director], 1)
        self.assertEqual(sent_major, sent_general)
        [report] = mails.filtered(lambda m: director in m.recipient_ids)
        self.assertEqual(report.recipient_ids, self.user_director.partner_id)
        self.assertFalse(report.email_to)
        self.assertEqual(report.state, "outgoing")
        # in the director's language, on the property's clock
        self.assertIn("无效", report.subject)
        self.assertIn(major.name, report.subject)
        self.assertIn("10:00", report.body_html)
        self.assertIn(EXPLANATION, report.body_html)
        self.assertIn("Agent A", report.body_html)
        # the chatter keeps an internal note of it
        notes = self._notes(major, self.user_director.name)
        self.assertEqual(len(notes), 1)
        self.assertTrue(notes.subtype_id.internal)
        self.assertFalse(self._notes(general, self.user_director.name))
        # judged again, saved again: nothing more
        rerun, _mails = self._step(
            lambda: (
                major.with_user(self.user_agent).action_mark_invalid(),
                major.with_user(self.user_agent).write({"validity": "invalid"}),
            ),
            MONDAY_10,
        )
        self.assertEqual(rerun, Counter())
        self.assertEqual(len(self._notes(major, self.user_director.name)), 1)

    def test_major_non_complaint_and_technician(self):
        with freeze_time(MONDAY_10):
            help_case = self._create_case(request_type="help", severity="major")
            major = self._create_case(severity="major")
        sent, mails = self._step(lambda: self._judge_invalid(help_case), MONDAY_10)
        self.assertEqual(help_case.validity, "invalid")
        self.assertFalse(mails.filtered(lambda m: "judged invalid" in m.subject))
        self.assertLessEqual(sent[self.user_director.partner_id], 1)
        self.assertFalse(self._notes(help_case, self.user_director.name))
        # the technician working on the case does not judge its validity
        major.with_user(self.user_agent).invalid_explanation = EXPLANATION
        technician = major.with_user(self.user_technician)
        with self.assertRaisesText(UserError, "front desk"):
            technician.action_mark_invalid()
        with self.assertRaisesText(UserError, "front desk"):
            technician.write({"validity": "invalid"})
        self.assertEqual((major.validity, major.state), ("valid", "received"))
        self.assertFalse(
            self._mails_to(self.user_director.partner_id, "judged invalid")
        )

    # ------------------------------------------------------------
    # R-INTAKE-2: a head office case reports its outcome to quality
    # ------------------------------------------------------------

    def test_head_office_case_closed_reported_to_quality(self):
        quality = self.user_quality.partner_id | self.user_quality_2.partner_id
        with freeze_time(MONDAY_10):
            forwarded = self._create_case(channel="head_office")
            by_phone = self._create_case(channel="phone")
            visits = [
                self._handle_until_return_visit(case) for case in (forwarded, by_phone)
            ]
        sent_forwarded, mails = self._step(visits[0].action_done, THURSDAY_1430)
        sent_phone, _mails = self._step(visits[1].action_done, THURSDAY_1430)
        self.assertEqual((forwarded.state, by_phone.state), ("closed", "closed"))
        self.assertEqual(
            sent_forwarded - sent_phone, Counter(dict.fromkeys(quality, 1))
        )
        self.assertEqual(sent_phone - sent_forwarded, Counter())
        for partner in quality:
            self.assertEqual(sent_forwarded[partner], 1)
            self.assertNotIn(partner, sent_phone)
        reports = mails.filtered(lambda m: m.recipient_ids & quality)
        self.assertEqual(reports.recipient_ids, quality)
        self.assertEqual(len(reports), 1)  # both read English
        self.assertIn("head office", reports.subject)
        # the outcome: how it was handled, the owner's rating, the local time
        self.assertIn("Replace the joint and repaint the ceiling.", reports.body_html)
        self.assertIn("Satisfied", reports.body_html)
        self.assertIn("14:30", reports.body_html)
        notes = self._notes(forwarded, "quality department")
        self.assertEqual(len(notes), 1)
        self.assertTrue(notes.subtype_id.internal)
        self.assertFalse(self._notes(by_phone, "quality department"))
        # closed again, saved again: nothing more
        rerun, _mails = self._step(
            lambda: forwarded.with_user(self.user_agent).action_close(),
            THURSDAY_1430,
        )
        self.assertEqual(rerun, Counter())
        self.assertEqual(len(self._notes(forwarded, "quality department")), 1)

    def test_head_office_case_judged_invalid_in_chinese(self):
        """A head office case closed as invalid reports it, in Chinese to a
        zh_CN reader; not a major complaint: no report to the director."""
        self._chinese_env()
        self.user_quality.lang = "zh_CN"
        with freeze_time(MONDAY_10):
            forwarded = self._create_case(channel="head_office")
        sent, mails = self._step(lambda: self._judge_invalid(forwarded), MONDAY_10)
        self.assertEqual(sent[self.user_quality.partner_id], 1)
        self.assertEqual(sent[self.user_quality_2.partner_id], 1)
        self.assertFalse(mails.filtered(lambda m: "judged invalid" in m.subject))
        chinese = mails.filtered(
            lambda m: m.recipient_ids == self.user_quality.partner_id
        )
        self.assertEqual(len(chinese), 1)
        self.assertIn("公司转交", chinese.subject)
        self.assertIn(EXPLANATION, chinese.body_html)
        self.assertIn("10:00", chinese.body_html)
