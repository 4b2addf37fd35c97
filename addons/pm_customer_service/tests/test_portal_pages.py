# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from freezegun import freeze_time

from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install", "security")
class TestCasePortalPages(PortalCommon):
    """What an owner sees of a case: waiting until acknowledged, the progress, the
    handler and the service phone, the messages (R-INTAKE-2, R-INTAKE-3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.write({"tz": "Asia/Shanghai", "service_phone": "0571-8888 6666"})

    def _submit(self, **values):
        csrf, key = self._form_tokens("/my/cases/new")
        data = self._case_post_data(csrf, key, **values)
        res = self.url_open("/my/cases/submit", data=data, allow_redirects=False)
        case = self.env["pm.case"].search([("portal_submit_key", "=", key)])
        return res, case

    def _fetch(self, case, token=None):
        params = {"thread_model": "pm.case", "thread_id": case.id}
        if token:
            params["token"] = token
        res = self.url_open(
            "/mail/chatter_fetch",
            data=json.dumps({"params": params}),
            headers={"Content-Type": "application/json"},
        )
        # 19.0 sends a body as ["markup", html]
        return [m["body"][1] for m in res.json()["result"]["data"]["mail.message"]]

    def test_waiting_until_acknowledged(self):
        """R-INTAKE-3: a new case reads "Waiting" until staff acknowledge it."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        with freeze_time("2026-12-01 01:00:00"):
            res, case = self._submit()
            self.assertEqual(res.status_code, 303)
            page = self.url_open(f"/my/cases/{case.id}").text
        self.assertIn(">Waiting<", page)
        self.assertNotIn(f">{case.stage_id.name}<", page)
        self.assertIn("o_pm_step_current", page)
        # submitted at 09:00 Shanghai time
        self.assertIn("12/01 09:00", page)
        with freeze_time("2026-12-01 02:30:00"):
            case.with_user(self.user_agent).action_acknowledge()
            case.with_user(self.user_agent).action_assign_to_me()
        page = self.url_open(f"/my/cases/{case.id}").text
        self.assertNotIn(">Waiting<", page)
        self.assertIn(case.stage_id.name, page)
        self.assertIn("12/01 10:30", page)
        steps = case._pm_portal_progress()
        self.assertEqual(
            [s["done"] for s in steps], [True, True, True, False, False, False]
        )
        self.assertTrue(steps[3]["current"])

    def test_handler_and_service_phone(self):
        self.case_a.write({"user_id": self.user_agent.id})
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/cases/{self.case_a.id}").text
        self.assertIn(self.user_agent.name, page)
        self.assertIn('href="tel:057188886666"', page)
        # no hotline on the property: the company's number
        self.property_a.service_phone = False
        self.env.company.phone = "+86 21 5555 0000"
        page = self.url_open(f"/my/cases/{self.case_a.id}").text
        self.assertIn('href="tel:+862155550000"', page)

    def test_receipt_and_staff_messages_in_the_chatter(self):
        """The receipt and the messages staff send reach the owner's page (logged
        in, or through the emailed link); internal notes stay internal."""
        case = self.case_a.with_context(tracking_disable=False)
        case.with_user(self.user_agent).action_acknowledge()
        case.with_user(self.user_agent).message_post(
            body="A technician comes at 3 pm.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        case.with_user(self.user_agent).message_post(
            body="Owner sounds upset, handle with care.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        bodies = " ".join(self._fetch(case))
        self.assertIn("We have received your request", bodies)
        self.assertNotIn("o_email_layout", bodies)
        self.assertIn("A technician comes at 3 pm.", bodies)
        self.assertNotIn("handle with care", bodies)
        self.authenticate(None, None)
        bodies = " ".join(self._fetch(case, token=case._portal_ensure_token()))
        self.assertIn("A technician comes at 3 pm.", bodies)
        self.assertNotIn("handle with care", bodies)

    def test_owner_answers_from_the_emailed_link(self):
        """The owner posts on the page opened from the email, without login."""
        token = self.case_a._portal_ensure_token()
        res = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "params": {
                        "thread_model": "pm.case",
                        "thread_id": self.case_a.id,
                        "post_data": {"body": "I am at home after 6 pm."},
                        "token": token,
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(res.status_code, 200)
        message = self.case_a.message_ids.filtered(
            lambda m: "after 6 pm" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)

    def test_type_must_be_chosen(self):
        """No default type inflates the complaints: a missing choice is asked for
        and keeps what the owner typed."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open("/my/cases/new").text
        self.assertNotIn(
            "checked", page.split("o_pm_request_type")[1].split("</fieldset>")[0]
        )
        res, case = self._submit(request_type="", subject="Noisy pump at night")
        self.assertEqual(res.status_code, 400)
        self.assertIn("choose the kind of your request", res.text)
        self.assertIn('value="Noisy pump at night"', res.text)
        self.assertFalse(case)
        res, case = self._submit(request_type="repair")
        self.assertEqual(res.status_code, 303)
        self.assertEqual(case.request_type, "repair")

    @freeze_time("2026-12-01 02:00:00")
    def test_appointment_slot(self):
        """R-INTAKE-2 / R-TZ-1: the slot is the property's local time; a past or
        half-filled slot is refused."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        res, case = self._submit(
            appointment_day="2026-12-02", appointment_window="afternoon"
        )
        self.assertEqual(res.status_code, 303)
        # 14:00 in Shanghai
        self.assertEqual(str(case.appointment_date), "2026-12-02 06:00:00")
        self.assertEqual(case.appointment_window, "afternoon")
        page = self.url_open(f"/my/cases/{case.id}").text
        self.assertIn("12/02/2026 14:00-18:00", page)
        # 10:00 in Shanghai: this morning has begun
        for values, text in [
            (
                {"appointment_day": "2026-12-01", "appointment_window": "morning"},
                "in the past",
            ),
            ({"appointment_day": "2026-12-03"}, "Choose both"),
            (
                {"appointment_day": "2026-13-45", "appointment_window": "morning"},
                "not a valid date",
            ),
            (
                {"appointment_day": "2026-12-03", "appointment_window": "night"},
                "proposed",
            ),
        ]:
            with self.subTest(values=values):
                res, case = self._submit(**values)
                self.assertEqual(res.status_code, 400)
                self.assertIn(text, res.text)
                self.assertFalse(case)

    def test_home_counts_open_cases(self):
        self.case_a2.invalid_explanation = "Outside the service scope."
        self.case_a2.with_user(self.user_agent).action_mark_invalid()
        self.assertEqual(self.case_a2.state, "closed")
        self.authenticate("pm_p_owner", "pm_p_owner")
        self.assertEqual(self._portal_counter("pm_case_count"), 1)
        page = self.url_open("/my").text
        self.assertIn("o_pm_portal_tile", page)
        self.assertIn('data-placeholder_count="pm_case_count"', page)
