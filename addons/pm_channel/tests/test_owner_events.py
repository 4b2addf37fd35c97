# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The repair, return visit and survey events reach the owner once, on the
owner's channel (R-CHANNEL-1); the staff keep their emails."""

import json
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_repair.tests.common import T0, RepairCommon, minutes

from .test_owner_channel import PmOwnerChannelCommon

ZH_DAY = "2024年03月12日"
# the English of the owner templates, never in a Chinese owner's email
ENGLISH = (
    "Dear",
    "Technician",
    "Arrival",
    "appointment",
    "New time",
    "Service phone",
    "View my",
    "We will call",
    "Customer Service Centre",
    "contact you",
)


@tagged("pm_channel", "post_install", "-at_install")
class TestOwnerRepairEvents(PmOwnerChannelCommon, RepairCommon):
    def _dispatched_order(self, **values):
        order = self._new_order_at(T0, technician_id=self.user_technician.id, **values)
        mark = self._mark()
        with freeze_time(T0 + minutes(1)):
            order.with_user(self.user_agent).action_dispatch()
        return order, mark

    def _params(self, order, event):
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("pm_event", "=", event), ("pm_res_id", "=", order.id)])
        )
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.pm_res_model, "pm.repair.order")
        return json.loads(sms.pm_template_params)

    def test_dispatched_by_sms_with_technician_and_window(self):
        self._configure("aliyun")
        self._mapped("dispatched")
        order, mark = self._dispatched_order(
            urgency="appointment",
            appointment_date=datetime(2024, 3, 12, 6, 0),
            appointment_window="afternoon",
        )
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        # the technician still has the order's activity (an Odoo notification)
        self.assertTrue(
            order.activity_ids.filtered(lambda a: a.user_id == self.user_technician)
        )
        self.assertFalse(self._emails_since(mark[0])[1][self.owner])
        params = self._params(order, "dispatched")
        self.assertEqual(params["name"], self.user_technician.name)
        self.assertEqual(params["time"], f"{ZH_DAY} 14:00-18:00")

    def _owner_email(self, mark, *words):
        """The one email of the owner since ``mark``: written in Chinese (none of
        the template's English), with ``words`` in it."""
        mails, emails = self._emails_since(mark[0])
        self.assertEqual(emails[self.owner], 1)
        mail = mails.filtered(lambda m: self.owner in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        for word in words:
            self.assertIn(word, body)
        for english in ENGLISH:
            self.assertNotIn(english, body)
        return mail

    def test_dispatched_email_owner_gets_one_email(self):
        """No SMS channel: the owner gets the dispatch by email, once, with the
        technician and the window on the property's clock, in Chinese."""
        self.owner.lang = "zh_CN"
        self._mapped("dispatched")
        order, mark = self._dispatched_order(
            urgency="appointment",
            appointment_date=datetime(2024, 3, 12, 6, 0),
            appointment_window="afternoon",
        )
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)
        mail = self._owner_email(
            mark, self.user_technician.name, f"{ZH_DAY} 14:00-18:00", order.name
        )
        self.assertIn(order.get_portal_url().split("?")[0], mail.body_html)
        # the owner reads it on the order's page
        self.assertFalse(mail.mail_message_id.is_internal)
        self.assertEqual(
            mail.mail_message_id.subtype_id, self.env.ref("mail.mt_comment")
        )

    def test_appointment_changed_email_owner_gets_one_email(self):
        self.owner.lang = "zh_CN"
        order, _mark = self._dispatched_order(
            urgency="appointment",
            appointment_date=datetime(2024, 3, 12, 6, 0),
            appointment_window="afternoon",
        )
        mark = self._mark()
        with freeze_time(T0 + minutes(3)):
            order.with_user(self.user_agent).write(
                {
                    "appointment_date": datetime(2024, 3, 12, 1, 0),
                    "appointment_window": "morning",
                }
            )
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)
        self._owner_email(mark, f"{ZH_DAY} 09:00-12:00", order.name)

    def test_appointment_changed_once(self):
        self._configure("aliyun")
        self._mapped("appointment_changed")
        order, _mark = self._dispatched_order(
            urgency="appointment",
            appointment_date=datetime(2024, 3, 12, 6, 0),
            appointment_window="afternoon",
        )
        mark = self._mark()
        with freeze_time(T0 + minutes(3)):
            order.with_user(self.user_agent).write(
                {
                    "appointment_date": datetime(2024, 3, 12, 1, 0),
                    "appointment_window": "morning",
                }
            )
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        self.assertFalse(self._emails_since(mark[0])[1][self.owner])
        self.assertEqual(
            self._params(order, "appointment_changed")["time"],
            f"{ZH_DAY} 09:00-12:00",
        )

    def test_quote_by_sms_staff_keep_the_message(self):
        self._configure("aliyun")
        self._mapped("quote")
        order = self._diagnosed_paid_order(2)
        mark = self._mark()
        with freeze_time(T0 + minutes(8)):
            order.with_user(self.user_technician).write({"plan": "Replace"})
            order.with_user(self.user_technician).action_propose_plan()
        self.assertEqual(order.state, "quoted")
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        link = self._full_link(self._params(order, "quote")["link"])
        self.assertTrue(link.startswith(order.get_base_url() + "/my/"))
        self.assertIn("access_token=", link)
        # the order's page shows the quote, with nobody's email to the owner
        quote = order.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
            and "Replace a tap" in (m.body or "")
        )
        self.assertEqual(len(quote), 1)
        self.assertNotIn(self.owner, quote.notification_ids.res_partner_id)

    def test_quote_by_email_without_provider(self):
        order = self._diagnosed_paid_order(2)
        mark = self._mark()
        with freeze_time(T0 + minutes(8)):
            order.with_user(self.user_technician).write({"plan": "Replace"})
            order.with_user(self.user_technician).action_propose_plan()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)

    def test_refused_quote_sms_emails_the_quote_once(self):
        server = self._configure("aliyun")
        self._mapped("quote")
        server.fail["13800138000"] = ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        order = self._diagnosed_paid_order(2)
        mark = self._mark()
        with freeze_time(T0 + minutes(8)):
            order.with_user(self.user_technician).write({"plan": "Replace"})
            order.with_user(self.user_technician).action_propose_plan()
            self._run_queue()
            self._run_queue()
        counts, sms = self._messages(mark)
        # the refused SMS, then the quote by email
        self.assertEqual(counts[self.owner], 2)
        # (the dispatch before it went by email: no SMS template of it)
        mails = self._mails_to(self.owner).filtered(
            lambda m: order.name in (m.subject or "") and m.id > mark[0][0]
        )
        self.assertEqual(len(mails), 1)


@tagged("pm_channel", "post_install", "-at_install")
class TestOwnerVisitAndSurvey(PmOwnerChannelCommon):
    @freeze_time("2026-03-02 02:00:00")
    def test_return_visit_due_by_sms(self):
        self._configure("aliyun")
        self._mapped("return_visit_due")
        case = self._create_case()
        mark = self._mark()
        visit = case.sudo()._pm_create_return_visit(
            method="phone", due_date=date(2026, 3, 5)
        )
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        record = (
            self.env["sms.sms"].sudo().search([("pm_event", "=", "return_visit_due")])
        )
        self.assertEqual(record.pm_res_id, visit.id)
        params = json.loads(record.pm_template_params)
        self.assertEqual(params["date"], "2026年03月05日")
        self.assertFalse(self._emails_since(mark[0])[1][self.owner])
        # a door visit is arranged in person: not announced
        mark = self._mark()
        case.sudo()._pm_create_return_visit(method="door", due_date=date(2026, 3, 6))
        self.assertFalse(self._messages(mark)[1])

    @freeze_time("2026-03-02 02:00:00")
    def test_return_visit_due_email_owner_gets_one_email(self):
        """No SMS channel: one email, the visit's day on the property's clock,
        in Chinese, linking to the request's page."""
        self.owner.lang = "zh_CN"
        case = self._create_case()
        mark = self._mark()
        case.sudo()._pm_create_return_visit(method="phone", due_date=date(2026, 3, 5))
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)
        mails, _emails = self._emails_since(mark[0])
        mail = mails.filtered(lambda m: self.owner in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn("2026年03月05日", mail.body_html)
        self.assertIn(case.name, mail.body_html)
        self.assertIn(case.get_portal_url().split("?")[0], mail.body_html)
        for english in ENGLISH:
            self.assertNotIn(english, mail.body_html)

    @freeze_time("2026-03-02 02:00:00")
    def test_case_received_by_sms_only_receipt_by_email(self):
        """The request received: an SMS for an owner told by SMS; an owner told
        by email gets no email of it, the receipt (when the front desk
        acknowledges it) is that owner's one email."""
        self.owner.lang = "zh_CN"
        mark = self._mark()
        case = self._create_case()
        self.assertFalse(self._messages(mark)[0][self.owner])
        case.with_user(self.user_agent).action_acknowledge()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)
        self._configure("aliyun")
        self._mapped("case_received")
        mark = self._mark()
        self._create_case()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)

    def _campaign(self):
        campaign = self.env["pm.survey.campaign"].create(
            {
                "property_id": self.property_a.id,
                "date_start": date(2026, 3, 1),
                "date_end": date(2026, 3, 12),
            }
        )
        campaign.write({"state": "approved"})
        campaign.action_start()
        campaign.action_generate_distribution()
        return campaign.distribution_ids.filtered(
            lambda line: line.partner_id == self.owner
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_survey_invitation_by_sms_or_email(self):
        line = self._campaign()
        self.assertEqual(len(line), 1)
        self._configure("aliyun")
        self._mapped("survey_invitation")
        mark = self._mark()
        line.with_user(self.user_agent).action_send_invitation()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        record = (
            self.env["sms.sms"].sudo().search([("pm_event", "=", "survey_invitation")])
        )
        params = json.loads(record.pm_template_params)
        self.assertEqual(self._full_link(params["link"]), line.survey_url)
        self.assertIn("/survey/start/", line.survey_url)

    @freeze_time("2026-03-02 02:00:00")
    def test_survey_invitation_email_without_phone(self):
        line = self._campaign()
        self.owner.phone = False
        self._configure("aliyun")
        self._mapped("survey_invitation")
        mark = self._mark()
        line.with_user(self.user_agent).action_send_invitation()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)

    @freeze_time("2026-03-02 02:00:00")
    def test_survey_invitation_nowhere_to_go_refused(self):
        """A mobile number but no SMS template for the invitation, and no email:
        refused, the line left as it was."""
        line = self._campaign()
        self.owner.email = False
        self._configure("aliyun")
        self.assertTrue(line._pm_invitation_reachable())
        with self.assertRaises(UserError):
            line.with_user(self.user_agent).action_send_invitation()
        self.assertFalse(line.invitation_sent)
        self.assertFalse(self._sms())
