# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an owner or a visitor reaches on the portal, whatever way they come
(issue 21): messages post from the page opened from the owner's list as from the
emailed link; times read on the property's clock in the reader's language; a
photo sent with a request is on the page and on the staff record; a visitor of a
common-area QR code is recorded by name and mobile, never as Odoo's public user;
the pages and emails speak for the property company (R-TZ-2, R-INTAKE-3, SPEC
§10)."""

import re
from datetime import datetime
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .portal_common import CSRF_RE, FORM_KEY_RE, PNG, PortalCommon

# 16:30 UTC on 7 December is 00:30 on 8 December in Shanghai
NEAR_MIDNIGHT = "2026-12-07 16:30:00"


@tagged("post_install", "-at_install", "security")
class TestPortalOwnerReach(PortalCommon):
    # the owners' pages are read on a phone
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.write(
            {"tz": "Asia/Shanghai", "duty_user_ids": [(6, 0, cls.user_agent.ids)]}
        )
        cls.owner.phone = "13900001111"
        cls.area = cls.env["pm.common.area"].create(
            {"name": "Lift Lobby", "code": "A1-LL", "building_id": cls.building_a.id}
        )

    def _post(self, record, body, **params):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **params,
            },
        )

    def _messages(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    # ------------------------------------------------------------
    # seam 1: the owner's messages
    # ------------------------------------------------------------

    def test_owner_posts_from_the_list_page(self):
        """Opened from 我的报事 (no token in the address), the page's message box
        posts: the message is on the case, in the owner's name, for everybody
        following it (not an internal note)."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open("/my/cases").text
        self.assertIn(f'href="/my/cases/{self.case_a.id}"', page)
        page = self.url_open(f"/my/cases/{self.case_a.id}").text
        self.assertNotIn("data-token", page)
        self.assertIn('data-allow_composer="1"', page)
        self._post(self.case_a, "The ceiling still drips at night.")
        message = self._messages(self.case_a, "still drips at night")
        self.assertEqual(message.author_id, self.owner)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(message.is_internal)

    def test_token_link_posts_in_the_owners_name(self):
        self._post(
            self.case_a,
            "I am home after 6 pm.",
            token=self.case_a._portal_ensure_token(),
        )
        self.assertEqual(
            self._messages(self.case_a, "home after 6 pm").author_id, self.owner
        )

    def test_only_who_may_read_the_request_posts(self):
        """Another owner, a tenant of another unit and a visitor without the
        token post nothing: the thread is not found for them."""
        for login in ("pm_p_owner2", "pm_p_tenant", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
                    self._post(self.case_a2, f"Intrusion by {login}")
                self.assertFalse(self._messages(self.case_a2, "Intrusion"))

    def test_failed_post_is_said_in_the_page(self):
        """The page carries the alert the message box shows when a message could
        not be posted, translated for the owner."""
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/cases/{self.case_a.id}").text
        alert = re.search(r'o_pm_chatter_error" role="alert">([^<]+)<', page)
        self.assertTrue(alert)
        self.assertRegex(alert.group(1), r"[\u4e00-\u9fff]")
        self.assertNotIn("could not be sent", page)

    def test_failed_post_shows_the_alert_and_keeps_the_text(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        with mute_logger("odoo.http"):
            self.start_tour(
                f"/my/cases/{self.case_a.id}",
                "pm_portal_chatter_error_tour",
                login="pm_p_owner",
            )
        self.assertFalse(self._messages(self.case_a, "anybody there"))

    def test_chatter_texts_are_translated(self):
        """The message area is Odoo's chatter: its texts come from the mail
        module's translations, which the owner's pages now load."""
        # 19.0's route takes no cache key in its path
        res = self.url_open("/website/translations?lang=zh_CN")
        self.assertEqual(res.status_code, 200)
        messages = {
            m["id"]: m["string"] for m in res.json()["modules"]["mail"]["messages"]
        }
        self.assertEqual(messages["The conversation is empty."], "对话内容为空")
        # 19.0's chatter writes a message of today with its time only
        self.assertIn("昨天", messages["Yesterday at %(time)s"])

    # ------------------------------------------------------------
    # seam 2: the property's clock, the reader's date format
    # ------------------------------------------------------------

    def _submit_as_owner(self, **values):
        csrf, key = self._form_tokens("/my/cases/new")
        data = self._case_post_data(csrf, key, **values)
        res = self.url_open("/my/cases/submit", data=data, allow_redirects=False)
        self.assertEqual(res.status_code, 303, res.text[:300])
        return self.env["pm.case"].search([("portal_submit_key", "=", key)])

    def test_request_page_reads_shanghai_time_in_chinese(self):
        """Submitted at 00:30 in Shanghai (16:30 UTC the day before), with a
        09:00-12:00 slot: the page says 8 December, 00:30 and 09:00, written
        2026年12月08日 for an owner reading Chinese."""
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        with freeze_time(NEAR_MIDNIGHT):
            case = self._submit_as_owner(
                request_type="repair",
                appointment_day="2026-12-08",
                appointment_window="morning",
            )
            self.assertEqual(case.intake_date, datetime(2026, 12, 7, 16, 30))
            self.assertEqual(case.appointment_date, datetime(2026, 12, 8, 1, 0))
            page = self.url_open(f"/my/cases/{case.id}").text
            listing = self.url_open("/my/cases").text
        intake = re.search(r'o_pm_intake_date">([^<]+)<', page).group(1)
        self.assertEqual(intake, "2026年12月08日 00:30")
        appointment = re.search(r'o_pm_appointment">.*?<span>([^<]+)<', page, re.S)
        self.assertRegex(appointment.group(1), r"^2026年12月08日 .*09:00-12:00$")
        self.assertNotIn("2026-12-07", page)
        self.assertNotIn("16:30", page)
        deadline = re.search(r'o_pm_resolve_deadline">([^<]+)<', page).group(1)
        self.assertRegex(deadline, r"^2026年12月\d\d日 \d\d:\d\d$")
        # the timeline: the day without the year
        self.assertIn("12月08日 00:30", page)
        self.assertIn("2026年12月08日", listing)

    # ------------------------------------------------------------
    # seam 4: the photo of the request
    # ------------------------------------------------------------

    def test_photo_on_the_owners_page_and_the_staff_record(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        res = self.url_open(
            "/my/cases/submit",
            data=self._case_post_data(csrf, key, request_type="repair"),
            files={"attachments": ("leak.png", PNG)},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)
        case = self.env["pm.case"].search([("portal_submit_key", "=", key)])
        photo = case.attachment_ids
        self.assertEqual(photo.mapped("name"), ["leak.png"])
        # staff and the order made from the case find it on the record
        self.assertEqual((photo.res_model, photo.res_id), ("pm.case", case.id))
        self.assertEqual(
            self.env["ir.attachment"].search(
                [("res_model", "=", "pm.case"), ("res_id", "=", case.id)]
            ),
            photo,
        )
        self.assertTrue(case.with_user(self.user_agent).attachment_ids)
        page = self.url_open(f"/my/cases/{case.id}").text
        thumb = re.search(
            rf'<img [^>]*src="(/web/image/{photo.id}/160x160\?access_token=[^"]+)"',
            page,
        )
        self.assertTrue(thumb, "the photo is shown on the owner's page")
        self.assertEqual(self.url_open(thumb.group(1)).status_code, 200)

    # ------------------------------------------------------------
    # seams 7 and 10: a visitor of a common-area QR code
    # ------------------------------------------------------------

    def _visitor_form(self):
        url = urlsplit(self.area._pm_qr_url())
        res = self.url_open(f"{url.path}?{url.query}")
        self.assertEqual(res.status_code, 200)
        data = {
            "csrf_token": CSRF_RE.search(res.text).group(1),
            "form_key": FORM_KEY_RE.search(res.text).group(1),
            "location_type": "area",
            "common_area_id": str(self.area.id),
            "request_type": "help",
            "subject": "Lift light broken",
            "description": "The light of the lift lobby is off.",
            "phone": "138 0013 8000",
            "contact_name": "Mr Zhao",
        }
        for name in ("area", "qr"):
            data[name] = re.search(rf'name="{name}" value="([^"]*)"', res.text).group(1)
        return res.text, data

    def test_visitor_is_offered_no_home_repair_nor_appointment(self):
        page, data = self._visitor_form()
        self.assertNotIn('value="repair"', page)
        self.assertNotIn("o_pm_appointment_slot", page)
        res = self.url_open("/my/cases/submit", data={**data, "request_type": "repair"})
        self.assertEqual(res.status_code, 400)
        self.assertIn("A repair at home is asked for one of your units", res.text)
        self.assertFalse(
            self.env["pm.case"].search([("subject", "=", "Lift light broken")])
        )

    def test_visitor_recorded_by_name_and_mobile(self):
        """Staff read the visitor's name and mobile on the case: its messages,
        its followers, the front desk's activity and its email never name
        Odoo's public user; a second report of the same mobile is the same
        contact, and an owner's number never makes the owner its author."""
        public = self.env.ref("base.public_user")
        _page, data = self._visitor_form()
        res = self.url_open("/my/cases/submit", data=data)
        self.assertEqual(res.status_code, 200, res.text[:300])
        case = self.env["pm.case"].search([("subject", "=", "Lift light broken")])
        self.assertEqual(len(case), 1)
        self.assertFalse(case.partner_id)
        visitor = case.message_ids.author_id
        self.assertEqual(visitor.mapped("name"), ["Mr Zhao"])
        self.assertEqual(visitor.phone, "13800138000")
        self.assertFalse(visitor.user_ids)
        self.assertTrue(self._messages(case, "13800138000"))
        self.assertNotIn(public.partner_id, case.message_partner_ids)
        activity = case.activity_ids
        self.assertEqual(activity.user_id, self.user_agent)
        self.assertNotEqual(activity.create_uid, public)
        mails = self.env["mail.mail"].search(
            [("model", "=", "pm.case"), ("res_id", "=", case.id)]
        )
        self.assertIn(self.user_agent.partner_id, mails.recipient_ids)
        for mail in mails:
            self.assertNotIn(public.partner_id.name, mail.body_html)
            self.assertNotEqual(mail.author_id, public.partner_id)
        # the same mobile again: the same contact
        _page, data = self._visitor_form()
        self.url_open("/my/cases/submit", data={**data, "subject": "Lobby door stuck"})
        again = self.env["pm.case"].search([("subject", "=", "Lobby door stuck")])
        self.assertEqual(again.message_ids.author_id, visitor)
        # an owner's mobile: a contact of its own, never the owner
        _page, data = self._visitor_form()
        self.url_open(
            "/my/cases/submit",
            data={**data, "subject": "Lobby bin full", "phone": self.owner.phone},
        )
        third = self.env["pm.case"].search([("subject", "=", "Lobby bin full")])
        self.assertTrue(third.message_ids.author_id)
        self.assertNotIn(self.owner, third.message_ids.author_id)
        self.assertFalse(third.partner_id)

    # ------------------------------------------------------------
    # seam 10: the property company's pages and emails
    # ------------------------------------------------------------

    def test_no_odoo_promotion_on_pages_and_emails(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for url in ("/my", "/my/cases", f"/my/cases/{self.case_a.id}"):
            with self.subTest(url=url):
                page = self.url_open(url).text
                self.assertNotIn("o_brand_promotion", page)
                self.assertNotIn("Powered by", page)
        self.case_a.with_user(self.user_agent).action_acknowledge()
        self.case_a.with_user(self.user_agent).message_post(
            body="A plumber comes at 3 pm.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.owner.ids,
        )
        mails = self.env["mail.mail"].search(
            [("model", "=", "pm.case"), ("res_id", "=", self.case_a.id)]
        )
        self.assertTrue(mails.filtered(lambda m: self.owner in m.recipient_ids))
        for mail in mails:
            self.assertNotIn("Powered by", mail.body_html)
            self.assertNotIn("odoo.com", mail.body_html)
