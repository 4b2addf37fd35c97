# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One message per event per owner, on the owner's channel (R-CHANNEL-1):
WeChat if bound, else SMS, else email; the next channel when the provider
refuses the SMS for good; the staff keep their emails."""

import json
from collections import Counter
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .provider_servers import free_port
from .test_sms_channel import MONDAY_10, PmSmsCommon

RECEIPT = "pm_customer_service.mail_template_pm_case_receipt"


@tagged("pm_channel", "post_install", "-at_install")
class PmOwnerChannelCommon(PmSmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.email = "wang@example.com"
        cls.other_owner = cls.env["res.partner"].create(
            {"name": "Owner Zhao", "email": "zhao@example.com", "lang": "zh_CN"}
        )
        cls.Notify = cls.env["pm.owner.notify"]

    def _mark(self):
        """Where the messages of a step start: emails (``_mail_mark``) and SMS."""
        last_sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        return self._mail_mark(), last_sms.id or 0

    def _messages(self, mark):
        """{partner: messages} since ``mark``, every SMS, email and email
        notification counted after the post-commit work."""
        _mails, emails = self._emails_since(mark[0])
        sms = self.env["sms.sms"].sudo().search([("id", ">", mark[1])])
        counts = Counter(emails)
        counts.update(Counter(s.partner_id for s in sms))
        return counts, Counter(s.partner_id for s in sms)

    def _mapped(self, *events):
        for index, event in enumerate(events):
            self._map(event, "SMS_1000000%02d" % index)


@tagged("pm_channel", "post_install", "-at_install")
class TestOwnerChannel(PmOwnerChannelCommon):
    def test_channels_and_preference(self):
        """WeChat (never here), else SMS (a mobile and a provider), else email;
        the preference first, an unreachable one skipped."""
        owner = self.owner
        company = self.env.company
        self.assertEqual(owner._pm_owner_channels(company), ["email"])
        self.assertFalse(owner._pm_channel_available("wechat", company))
        self._configure("aliyun")
        self.assertEqual(owner._pm_owner_channels(company), ["sms", "email"])
        # the least-privileged staff user sees the channel and chooses email
        partner = owner.with_user(self.user_agent).with_context(lang="zh_CN")
        self.assertEqual(partner.pm_channel_in_use, "sms")
        partner.pm_channel_preference = "email"
        self.assertEqual(owner._pm_owner_channels(company), ["email", "sms"])
        partner.invalidate_recordset()
        self.assertEqual(partner.pm_channel_in_use, "email")
        # a channel the owner has not: the automatic order
        partner.pm_channel_preference = "wechat"
        self.assertEqual(owner._pm_owner_channels(company), ["sms", "email"])
        owner.write({"phone": False, "email": False})
        partner.invalidate_recordset()
        self.assertEqual(partner.pm_channel_in_use, "none")
        self.assertFalse(self.Notify._pm_notify(self._create_case(), "x", owner))

    def test_owner_cannot_change_the_channel(self):
        portal = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": "pm_t_channel_owner",
                    "partner_id": self.owner.id,
                    "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
                }
            )
        )
        with self.assertRaises(AccessError):
            self.owner.with_user(portal).write({"pm_channel_preference": "email"})
        with self.assertRaises(AccessError):
            self.owner.with_user(portal).read(["pm_channel_preference"])
        # nor a technician (below the front desk)
        with self.assertRaises(AccessError):
            self.owner.with_user(self.user_technician).write(
                {"pm_channel_preference": "email"}
            )
        self.assertEqual(self.owner.sudo().pm_channel_preference, "auto")


@tagged("pm_channel", "post_install", "-at_install")
class TestOwnerCaseEvents(PmOwnerChannelCommon):
    @freeze_time(MONDAY_10)
    def test_sms_owner_gets_no_email(self):
        """Received, acknowledged: one SMS each to the owner with SMS, no email;
        the portal keeps the receipt, the case counts the owner as updated; the
        staff still get their emails."""
        self._configure("aliyun")
        self._mapped("case_received", "case_acknowledged")
        mark = self._mark()
        case = self._create_case()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        self.assertGreaterEqual(counts[self.user_technician.partner_id], 1)
        mark = self._mark()
        case.with_user(self.user_agent).action_acknowledge()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        self.assertEqual(
            self._sms(case, pm_event="case_acknowledged").partner_id, self.owner
        )
        # the receipt on the owner's portal, public, with nobody emailed
        receipt = case.message_ids.filtered(
            lambda m: not m.is_internal
            and m.subtype_id == self.env.ref("mail.mt_comment")
            and case.name in (m.body or "")
        )
        self.assertEqual(len(receipt), 1)
        self.assertFalse(receipt.notification_ids)
        self.assertTrue(case.last_owner_update_date)
        self.assertIn(receipt, case.with_user(self.user_technician).message_ids)

    @freeze_time(MONDAY_10)
    def test_email_owner_without_phone_or_provider(self):
        """No provider: the receipt email only; a provider but no mobile
        number: the same."""
        self._mapped("case_received", "case_acknowledged")
        for configure in (False, True):
            with self.subTest(provider=configure):
                if configure:
                    self._configure("aliyun")
                    self.owner.phone = False
                mark = self._mark()
                case = self._create_case()
                case.with_user(self.user_agent).action_acknowledge()
                counts, sms = self._messages(mark)
                self.assertEqual(counts[self.owner], 1)
                self.assertFalse(sms)
                mails = self._mails_to(self.owner).filtered(
                    lambda m, case=case: case.name in (m.subject or "")
                )
                self.assertEqual(len(mails), 1)

    def test_resolved_with_rating_link(self):
        with freeze_time(MONDAY_10):
            self._configure("aliyun")
            self._mapped("case_acknowledged", "resolved")
            case = self._create_case(request_type="help")
            case.with_user(self.user_agent).action_acknowledge()
            case.with_user(self.user_technician).action_start_processing()
            mark = self._mark()
            case.with_user(self.user_technician).action_resolve()
            counts, sms = self._messages(mark)
        self.assertEqual(case.state, "confirmation")
        self.assertEqual(counts[self.owner], 1)
        self.assertEqual(sms[self.owner], 1)
        params = json.loads(self._sms(case, pm_event="resolved").pm_template_params)
        self.assertEqual(params["code"], case.name)
        link = self._full_link(params["link"])
        self.assertTrue(link.startswith(case.get_base_url() + "/my/cases/"))
        self.assertIn("access_token=", link)

    @freeze_time(MONDAY_10)
    def test_refused_sms_falls_back_to_email_once(self):
        server = self._configure("aliyun")
        self._mapped("case_acknowledged")
        server.fail["13800138000"] = ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        case = self._create_case()
        mark = self._mark()
        case.with_user(self.user_agent).action_acknowledge()
        sms = self._sms(case, pm_event="case_acknowledged")
        self.assertEqual(sms.pm_res_model, "pm.case")
        self.assertEqual(sms.pm_res_id, case.id)
        self.assertEqual(sms.pm_email_template_id, self.env.ref(RECEIPT))
        self._run_queue()
        self.assertEqual(sms.state, "error")
        self._run_queue()
        counts, _sms = self._messages(mark)
        # the SMS that failed, then the receipt by email, once
        self.assertEqual(counts[self.owner], 2)
        mails = self._mails_to(self.owner).filtered(
            lambda m: case.name in (m.subject or "")
        )
        self.assertEqual(len(mails), 1)
        # the portal shows the receipt once
        receipts = case.message_ids.filtered(
            lambda m: not m.is_internal
            and m.subtype_id == self.env.ref("mail.mt_comment")
            and m.message_type != "sms"
        )
        self.assertEqual(len(receipts), 1, receipts.mapped("body"))

    def test_provider_down_nothing_twice_nothing_lost(self):
        with freeze_time(MONDAY_10) as frozen:
            self._configure("aliyun", endpoint="http://127.0.0.1:%s" % free_port())
            self._mapped("case_acknowledged")
            case = self._create_case()
            mark = self._mark()
            case.with_user(self.user_agent).action_acknowledge()
            sms = self._sms(case, pm_event="case_acknowledged")
            self._run_queue()
            self.assertEqual(sms.state, "outgoing")
            frozen.tick(timedelta(minutes=1))
            self._run_queue()
            self.assertEqual(sms.state, "outgoing")
            self.env.company.pm_sms_endpoint = self.aliyun.url
            frozen.tick(timedelta(minutes=2))
            self._run_queue()
            self._run_queue()
            self.assertEqual(sms.state, "pending")
            self.assertEqual(self.aliyun.sent, ["13800138000"])
            counts, _sms = self._messages(mark)
            self.assertEqual(counts[self.owner], 1)
            self.assertFalse(
                self._mails_to(self.owner).filtered(
                    lambda m: case.name in (m.subject or "")
                )
            )

    @freeze_time(MONDAY_10)
    def test_staff_choice_email_is_followed(self):
        self._configure("aliyun")
        self._mapped("case_acknowledged")
        self.owner.with_user(self.user_agent).pm_channel_preference = "email"
        case = self._create_case()
        mark = self._mark()
        case.with_user(self.user_agent).action_acknowledge()
        counts, sms = self._messages(mark)
        self.assertEqual(counts[self.owner], 1)
        self.assertFalse(sms)
