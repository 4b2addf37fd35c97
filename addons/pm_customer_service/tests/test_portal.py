# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
from unittest.mock import patch

from PIL import Image

from odoo.tests import tagged
from odoo.tools import mute_logger

from .portal_common import PNG, PortalCommon


@tagged("post_install", "-at_install", "security")
class TestCasePortal(PortalCommon):
    # the owners' tours run on a phone
    browser_size = "390x844"
    touch_enabled = True

    def _submit(self, csrf, key, files=None, **values):
        data = self._case_post_data(
            csrf,
            key,
            **{
                "request_type": "complaint",
                "subject": "Water leak",
                "description": "Water drips from the ceiling.",
                **values,
            },
        )
        return self.url_open(
            "/my/cases/submit", data=data, files=files, allow_redirects=False
        )

    def _count(self):
        return self.env["pm.case"].search_count(
            [("channel", "=", "portal"), ("create_uid", "=", self.portal_owner.id)]
        )

    # pages

    def test_owner_pages(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        self._assert_listed("/my/cases", self.case_a | self.case_a2, self.case_b)
        res = self.url_open(f"/my/cases/{self.case_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Leak A-101", res.text)
        self.assertIn("o_portal_chatter", res.text)
        self.assertEqual(self._portal_counter("pm_case_count"), 2)

    def test_receipt_mail_links_to_portal(self):
        self.case_a.with_user(self.user_agent).action_acknowledge()
        mail = self.env["mail.mail"].search(
            [("model", "=", "pm.case"), ("res_id", "=", self.case_a.id)]
        )
        self.assertTrue(mail)
        self.assertIn(
            f"/my/cases/{self.case_a.id}?access_token={self.case_a.access_token}",
            mail[0].body_html,
        )

    # attacks: reading

    def test_other_owner_id_without_token(self):
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        res = self.url_open(f"/my/cases/{self.case_a.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/my"))

    def test_other_owner_id_with_own_token(self):
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        token = self.case_b._portal_ensure_token()
        res = self.url_open(
            f"/my/cases/{self.case_a.id}?access_token={token}", allow_redirects=False
        )
        self.assertEqual(res.status_code, 303)
        self.assertNotIn("Leak A-101", res.text)

    def test_wrong_token(self):
        self.case_a._portal_ensure_token()
        res = self.url_open(
            f"/my/cases/{self.case_a.id}?access_token=00000000-0000-0000-0000-0",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)

    def test_right_token_without_login(self):
        """The link of the receipt e-mail opens the case without a login."""
        url = self.case_a.get_portal_url()
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        self.assertIn("Leak A-101", res.text)

    def test_not_logged_in(self):
        for url in ("/my/cases", "/my/cases/new"):
            res = self.url_open(url, allow_redirects=False)
            self.assertEqual(res.status_code, 303)
            self.assertIn("/web/login", res.headers["Location"])
        res = self.url_open(f"/my/cases/{self.case_a.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)

    def test_tenant_cannot_read_owner_other_unit(self):
        self.authenticate("pm_p_tenant", "pm_p_tenant")
        res = self.url_open(f"/my/cases/{self.case_a2.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        res = self.url_open("/my/cases")
        self.assertNotIn(self.case_a2.name, res.text)
        # the tenant chooses only the rented unit
        res = self.url_open("/my/cases/new")
        self.assertIn(f'value="{self.unit_a.id}"', res.text)
        self.assertNotIn(f'value="{self.unit_a2.id}"', res.text)

    # attacks: submitting

    def test_submit_webp_photo(self):
        """A WebP photo, a documented format, is kept: Odoo's processes have
        Pillow register only a few formats, WebP not among them (it was a 500)."""
        buf = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buf, "WEBP")
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        with patch.dict(Image.OPEN):
            # the server of a real deployment: no WebP reader registered
            Image.OPEN.pop("WEBP", None)
            res = self._submit(
                csrf, key, files={"attachments": ("door.webp", buf.getvalue())}
            )
        self.assertEqual(res.status_code, 303, res.text[:300])
        case = self.env["pm.case"].search([("portal_submit_key", "=", key)])
        self.assertEqual(case.attachment_ids.mapped("mimetype"), ["image/webp"])

    def test_submit_webp_bomb_refused(self):
        """A WebP whose header claims 16384 x 16384 pixels gets the form's error,
        never a server error, and makes nothing."""
        side = (16384 - 1).to_bytes(3, "little")
        chunk = b"VP8X" + (10).to_bytes(4, "little") + b"\0" * 4 + side + side
        bomb = b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        with patch.dict(Image.OPEN):
            Image.OPEN.pop("WEBP", None)
            res = self._submit(csrf, key, files={"attachments": ("big.webp", bomb)})
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self._count())

    def test_submit_creates_case(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        res = self._submit(csrf, key, files={"attachments": ("leak.png", PNG)})
        self.assertEqual(res.status_code, 303, res.text[:300])
        case = self.env["pm.case"].search([("portal_submit_key", "=", key)])
        self.assertEqual(case.partner_id, self.owner)
        self.assertEqual(case.unit_id, self.unit_a)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(len(case.attachment_ids), 1)
        # R-INTAKE-3: waits for the front desk, not owned by the owner
        self.assertTrue(case.to_acknowledge)
        self.assertFalse(case.first_contact_user_id)
        self.assertEqual(
            case.activity_ids.filtered(
                lambda a: a.activity_type_id.res_model == "pm.case"
            ).user_id,
            self.user_director,
        )

    def test_submit_without_or_with_forged_csrf(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        _csrf, key = self._form_tokens("/my/cases/new")
        before = self._count()
        with self.assertLogs("odoo.http", "WARNING") as logs:
            res = self._submit("", key)
            self.assertEqual(res.status_code, 400)
            res = self._submit("0123456789abcdef" * 3 + "o1234567890", key)
            self.assertEqual(res.status_code, 400)
        self.assertEqual(len(logs.records), 2, "both refusals are logged")
        self.assertEqual(self._count(), before)

    def test_submit_other_unit_refused(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        res = self._submit(csrf, key, unit_id=self.unit_b.id)
        self.assertEqual(res.status_code, 400)
        self.assertIn("Choose one of your units", res.text)
        self.assertFalse(self._count())

    def test_oversize_attachment(self):
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.portal_attachment_max_mb", "0.0001"
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        big = PNG + b"\0" * 200
        res = self._submit(csrf, key, files={"attachments": ("big.png", big)})
        self.assertEqual(res.status_code, 400)
        self.assertIn("is larger than", res.text)
        self.assertFalse(self._count())

    def test_wrong_type_attachment(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        script = b"#!/bin/sh\nrm -rf /\n"
        res = self._submit(csrf, key, files={"attachments": ("photo.png", script)})
        self.assertEqual(res.status_code, 400)
        self.assertIn("is not accepted", res.text)
        self.assertFalse(self._count())
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "photo.png")]))

    def test_error_is_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        res = self._submit(csrf, key, files={"attachments": ("a.exe", b"MZ\x90\x00")})
        self.assertEqual(res.status_code, 400)
        self.assertNotIn("is not accepted", res.text)

    def test_html_in_description_escaped(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        payload = "<script>alert('x')</script><img src=x onerror=alert(1)>"
        self._submit(csrf, key, subject="<b>bold</b>", description=payload)
        case = self.env["pm.case"].search([("portal_submit_key", "=", key)])
        res = self.url_open(f"/my/cases/{case.id}")
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("<script>alert('x')", res.text)
        self.assertNotIn("<img src=x", res.text)
        self.assertNotIn("<b>bold</b>", res.text)
        self.assertIn("&lt;script&gt;", res.text)

    def test_double_submit_one_record(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        first = self._submit(csrf, key)
        second = self._submit(csrf, key)
        self.assertEqual(first.status_code, 303)
        self.assertEqual(second.status_code, 303)
        self.assertEqual(first.headers["Location"], second.headers["Location"])
        self.assertEqual(self._count(), 1)

    @mute_logger("odoo.sql_db")
    def test_concurrent_double_submit_one_record(self):
        """The first click's request committed after this one's lookup: the unique
        form key refuses the second case with a clear message."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf, key = self._form_tokens("/my/cases/new")
        self.env["pm.case"].create(
            self._case_vals(self.unit_a, self.owner, "First", portal_submit_key=key)
        )
        res = self._submit(csrf, key)
        self.assertEqual(res.status_code, 400)
        self.assertIn("already submitted", res.text)
        self.assertEqual(
            self.env["pm.case"].search_count([("portal_submit_key", "=", key)]), 1
        )

    # confirmation, rating, reopening (R-FLOW-2)

    def _resolved_case(self):
        case = self.env["pm.case"].create(
            self._case_vals(
                self.unit_a,
                self.owner,
                "Pump noise tour",
                request_type="help",
                user_id=self.user_agent.id,
                stage_id=self.env.ref(
                    "pm_customer_service.pm_case_stage_confirmation"
                ).id,
            )
        )
        return case

    def test_confirm_with_rating(self):
        case = self._resolved_case()
        self.authenticate("pm_p_owner", "pm_p_owner")
        self._post_from_page(f"/my/cases/{case.id}", "confirm", satisfaction="5")
        self.assertEqual(case.satisfaction, "5")
        self.assertEqual(case.state, "return_visit")

    def test_dissatisfied_needs_reason_then_reopens(self):
        case = self._resolved_case()
        self.authenticate("pm_p_owner", "pm_p_owner")
        csrf = self._csrf(f"/my/cases/{case.id}")
        url = f"/my/cases/{case.id}/confirm"
        res = self.url_open(url, data={"csrf_token": csrf, "satisfaction": "1"})
        self.assertEqual(res.status_code, 400)
        self.assertEqual(case.state, "confirmation")
        res = self._post_form(
            f"/my/cases/{case.id}/reopen", csrf, reason="Still noisy at night"
        )
        self.assertEqual(res.status_code, 303)
        self.assertEqual(case.state, "processing")
        self.assertEqual(case.reopen_count, 1)

    def test_other_owner_cannot_confirm(self):
        case = self._resolved_case()
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        csrf = self._csrf("/my/cases/new")
        res = self._post_form(f"/my/cases/{case.id}/confirm", csrf, satisfaction="5")
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/my"))
        self.assertFalse(case.satisfaction)

    def test_tour_owner_submits_and_rates(self):
        """On a phone, the owner submits a request that waits for the front desk
        user on duty; the agent who acknowledges it becomes its first-contact
        owner (R-INTAKE-1, R-INTAKE-3) and replies; the owner reads the reply,
        and answers "dissatisfied" through the emailed link: the case is
        processed again (R-FLOW-2)."""
        self.property_a.duty_user_ids = self.user_agent
        case = self._resolved_case()
        self.start_tour("/my", "pm_portal_owner_tour", login="pm_p_owner")
        self.assertEqual(case.satisfaction, "5")
        new_case = self.env["pm.case"].search(
            [("subject", "=", "Water leaking in the kitchen")]
        )
        self.assertEqual(len(new_case), 1)
        self.assertEqual(new_case.request_type, "repair")
        self.assertEqual(new_case.attachment_ids.mapped("name"), ["leak.png"])
        self.assertTrue(new_case.to_acknowledge)
        self.assertFalse(new_case.first_contact_user_id)
        acknowledge = self.env.ref(
            "pm_customer_service.mail_activity_type_pm_acknowledge"
        )
        activity = new_case.activity_ids.filtered(
            lambda a: a.activity_type_id == acknowledge
        )
        self.assertEqual(activity.user_id, self.user_agent)
        as_agent = new_case.with_user(self.user_agent)
        as_agent.action_acknowledge()
        self.assertEqual(new_case.first_contact_user_id, self.user_agent)
        self.assertTrue(new_case.acknowledged_date)
        # 19.0 keeps a done activity, archived
        self.assertFalse(activity.active)
        as_agent.action_assign_to_me()
        as_agent.message_post(
            body="A plumber comes at 3 pm.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.start_tour("/my/cases", "pm_portal_owner_reply_tour", login="pm_p_owner")
        # a repair case goes through investigation and decision
        as_agent.write(
            {
                "investigation_facts": "Pipe joint above the kitchen.",
                "investigation_cause": "Worn seal.",
                "proposed_solution": "Replace the seal.",
                "decision_measures": "Seal replaced by the plumber.",
                "decision_deadline": "2030-01-01",
            }
        )
        as_agent.action_decide()
        as_agent.action_start_processing()
        as_agent.action_resolve()
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "pm.case"),
                ("res_id", "=", new_case.id),
                ("subject", "ilike", "how satisfied"),
            ]
        )
        link = re.search(r'href="[^"]*(/my/cases/rate/[0-9a-f]{32}/2)"', mail.body_html)
        self.start_tour(link.group(1), "pm_portal_owner_rate_tour")
        self.assertEqual(new_case.state, "processing")
        self.assertEqual(new_case.reopen_count, 1)
        self.assertEqual(new_case.satisfaction, "2")
        self.assertEqual(new_case.rating_ids.feedback, "The ceiling still drips.")
