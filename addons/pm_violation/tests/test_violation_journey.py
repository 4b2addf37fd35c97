# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.common import pdf_to_text

from .common import ViolationCommon

NOTICE = "pm_violation.action_report_pm_violation_notice"


@tagged("post_install", "-at_install")
class TestViolationJourney(ViolationCommon):
    def test_full_journey(self):
        """Agent records with a photo and notifies; each owner gets one email with
        the notice; the owner acknowledges on the portal; an inspection fails,
        then passes; the director closes."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.ref("base.module_pm_violation")._update_translations(["zh_CN"])
        self.owner.lang = "zh_CN"
        co_owner = self.env["res.partner"].create(
            {"name": "Co-owner Zhao", "email": "zhao@example.com"}
        )
        self.unit_a.owner_ids |= co_owner
        violation = self._record(location="B1栋101阳台")
        self.assertEqual(violation.state, "recorded")
        self.assertEqual(violation.partner_id, self.owner)
        self.assertEqual(len(violation.photo_ids), 1)
        # a technician may read but not notify
        with self.assertRaises(AccessError):
            violation.with_user(self.user_technician).action_notify()
        mark = self._mail_mark()
        violation.action_notify()
        self.assertEqual(violation.state, "notified")
        mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 1)
        self.assertEqual(per_partner[co_owner], 1)
        self.assertEqual(set(per_partner), {self.owner, co_owner})
        self.assertTrue(all(mail.attachment_ids for mail in mails))
        # the notice, in the owner's language
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_agent)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(NOTICE, violation.ids)
        )
        self.assertEqual(kind, "pdf")
        text = pdf_to_text(pdf)
        for expected in (
            "违章整改通知书",
            violation.name,
            "阳台未经报批擅自封闭",
            "装修",
            violation.deadline.strftime("%Y"),
            "业主签收",
        ):
            self.assertIn(expected, text)
        # the owner acknowledges receipt, logged in on the portal
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = f"/my/violations/{violation.id}"
        res = self.url_open(page)
        self.assertEqual(res.status_code, 200)
        self.assertIn(violation.name, res.text)
        self.assertIn("o_pm_violation_acknowledge", res.text)
        csrf = self._csrf(page)
        res = self._post_form(f"{page}/acknowledge", csrf)
        self.assertEqual(res.status_code, 303)
        self.assertEqual(violation.state, "rectifying")
        self.assertEqual(violation.acknowledged_partner_id, self.owner)
        res = self.url_open(f"{page}/notice")
        self.assertEqual(res.headers["Content-Type"], "application/pdf")
        res = self.url_open(page)
        self.assertNotIn("o_pm_violation_acknowledge", res.text)
        # a second acknowledgement changes nothing
        res = self._post_form(f"{page}/acknowledge", csrf)
        self.assertEqual(res.status_code, 303)
        self.assertEqual(violation.state, "rectifying")
        # inspection fails: the findings are required
        with self.assertRaises(ValidationError):
            self._inspect(violation, "failed")
        self._inspect(violation, "failed", note="阳台封闭尚未拆除")
        self.assertEqual(violation.state, "rectifying")
        with self.assertRaises(UserError):
            violation.with_user(self.user_director).action_close()
        violation.action_request_inspection()
        self.assertEqual(violation.state, "follow_up")
        self._inspect(violation, "passed", note="已恢复原状")
        self.assertEqual(violation.state, "rectified")
        self.assertTrue(violation.on_time)
        # the agent may not close; the director does
        with self.assertRaises(AccessError):
            violation.action_close()
        violation.with_user(self.user_director).action_close()
        self.assertEqual(violation.state, "closed")
        self.assertEqual(violation.closed_by_id, self.user_director)
        # a kept inspection is not edited afterwards
        with self.assertRaises(UserError):
            violation.inspection_ids[0].with_user(self.user_agent).write({"note": "x"})

    def test_states_only_through_actions(self):
        violation = self._record()
        with self.assertRaises(UserError):
            violation.write({"state": "closed"})
        self.assertEqual(violation.state, "recorded")

    def test_bad_photo_refused(self):
        before = self.env["pm.violation"].sudo().search_count([])
        bad = self._photo(data=b"this is not an image", name="notes.png")
        with self.assertRaises(UserError) as refused:
            self.Violation.create(
                {
                    "property_id": self.property_a.id,
                    "unit_id": self.unit_a.id,
                    "kind": "pet",
                    "description": "Dog off the leash",
                    "photo_ids": [(6, 0, bad.ids)],
                }
            )
        self.assertIn("notes.png", str(refused.exception))
        self.assertEqual(self.env["pm.violation"].sudo().search_count([]), before)

    def test_agent_sees_own_properties_only(self):
        violation_b = self.env["pm.violation"].create(
            {
                "property_id": self.property_b.id,
                "unit_id": self.unit_b.id,
                "kind": "parking",
                "description": "Car on the fire lane",
            }
        )
        with self.assertRaises(AccessError):
            violation_b.with_user(self.user_agent).check_access("read")
        self.assertFalse(
            self.env["pm.violation"]
            .with_user(self.user_agent)
            .search([("id", "=", violation_b.id)])
        )

    def test_other_owner_refused(self):
        violation = self._record()
        violation.action_notify()
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        page = f"/my/violations/{violation.id}"
        res = self.url_open(page, allow_redirects=False)
        self.assertIn(res.status_code, (403, 404))
        res = self.url_open(f"{page}/notice", allow_redirects=False)
        self.assertIn(res.status_code, (403, 404))
        # a token of the logged-in session, as the pages' script carries it
        csrf = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
        res = self._post_form(f"{page}/acknowledge", csrf)
        self.assertIn(res.status_code, (403, 404))
        self.assertEqual(violation.state, "notified")
        res = self.url_open("/my/violations")
        self.assertEqual(res.status_code, 200)
        self.assertNotIn(violation.name, res.text)
        # the owner of the unit sees it in the list
        self.authenticate("pm_p_owner", "pm_p_owner")
        self._assert_listed("/my/violations", [violation], [])

    def test_owner_on_sms_gets_the_notice_by_sms(self):
        """R-CHANNEL-1: an owner reached by SMS gets the notice once by SMS with
        the link of its page and no email; a co-owner without a phone gets the
        email with the PDF."""
        self._set_settings(
            {
                "pm_sms_provider": "aliyun",
                "pm_sms_key_id": "LTAI-violation-test",
                "pm_sms_key_secret": "secret-of-the-violation-test",
                "pm_sms_sign_name": "湖畔物业",
                "pm_sms_region": "cn-hangzhou",
            }
        )
        self.env["pm.sms.template"].with_user(self.user_manager).with_context(
            default_event="violation"
        ).create({"event": "violation", "template_code": "SMS_200000002"})
        self.owner.phone = "+86 139 1234 5678"
        co_owner = self.env["res.partner"].create(
            {"name": "Co-owner Zhao", "email": "zhao@example.com"}
        )
        self.unit_a.owner_ids |= co_owner
        violation = self._record(location="B1栋101阳台")
        mark = self._mail_mark()
        last_sms = (
            self.env["sms.sms"].sudo().search([], order="id desc", limit=1).id or 0
        )
        violation.action_notify()
        mails, per_partner = self._emails_since(mark)
        sms = self.env["sms.sms"].sudo().search([("id", ">", last_sms)])
        self.assertEqual(sms.partner_id, self.owner)
        self.assertEqual(sms.pm_event, "violation")
        self.assertIn(f"/my/violations/{violation.id}", sms.pm_notify_values)
        self.assertEqual(dict(per_partner), {co_owner: 1})
        self.assertTrue(
            mails.filtered(lambda m: co_owner in m.recipient_ids).attachment_ids
        )
