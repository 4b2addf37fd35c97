# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner answers a quote and a finished repair from the phone, through the
email's token link without logging in: accept or refuse the fee, sign with a
drawn signature, or say "not fixed" (返修) with a comment (R-OWNER-1, R-REP-3,
R-REP-4)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

from . import test_portal

LINES = [(0, 0, {"name": "Tap", "uom": "piece", "quantity": 1, "price_unit": 30})]


@tagged("post_install", "-at_install", "security")
class TestRepairPortalDecisions(PortalCommon):
    _order = test_portal.TestRepairPortal.__dict__["_order"]
    # owners answer from their phone
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.user_technician.pm_property_ids = cls.property_a
        cls.order_q = cls._order(
            cls.unit_a,
            "quoted",
            quote_state="sent",
            quote_sent_date=fields.Datetime.now() - timedelta(hours=1),
            line_ids=LINES,
        )
        cls.order_d = cls._order(cls.unit_a, "done")

    def _post(self, order, route, token=None, **data):
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/repairs/{order.id}/{route}",
            data={"csrf_token": self._csrf("/web/login"), **data},
            allow_redirects=False,
        )

    # ------------------------------------------------------------
    # the quote email and the phone tour
    # ------------------------------------------------------------

    def test_quote_email_links_to_the_accept_button(self):
        order = self._order(self.unit_a, "diagnosed", line_ids=LINES)
        order.with_user(self.user_technician).action_send_quote()
        self.assertEqual(order.quote_state, "sent")
        message = order.message_ids.filtered(lambda m: "fee quote" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        link = f"/my/repairs/{order.id}?access_token={order.access_token}"
        self.assertIn(link, message.body)
        self.assertNotIn("tell the service centre or the technician", message.body)
        # the link opens the page with the buttons, without login
        res = self.url_open(link)
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_quote_accept", res.text)
        self.assertIn("o_pm_quote_refuse", res.text)

    def test_phone_tour_accept_quote_then_not_fixed(self):
        """Quote accepted through the token link (no login) → the technician
        completes → the owner answers "not fixed" → rework, counted."""
        order = self.order_q
        self.start_tour(order.get_portal_url(), "pm_repair_quote_tour")
        self.assertEqual((order.quote_state, order.state), ("accepted", "in_progress"))
        self.assertEqual(order.quote_amount_accepted, 30)
        order.with_user(self.user_technician).action_done()
        self.assertEqual(order.state, "done")
        self.start_tour(order.get_portal_url(), "pm_repair_not_fixed_tour")
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(order.rework_count, 1)
        self.assertEqual(order.rework_ids.reason, "acceptance")
        self.assertEqual(order.rework_ids.note, "The tap still drips at night.")
        message = order.message_ids.filtered(
            lambda m: "did not accept the repair" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)

    def test_signature_pad_draws_by_default(self):
        res = self.url_open(self.order_d.get_portal_url())
        self.assertEqual(res.status_code, 200)
        self.assertIn("&#34;mode&#34;: &#34;draw&#34;", res.text)
        self.assertIn("o_pm_not_fixed_form", res.text)

    # ------------------------------------------------------------
    # token routes: wrong, expired, another owner, replayed, wrong state
    # ------------------------------------------------------------

    def test_wrong_or_missing_token(self):
        for token in (None, "0" * 36, self.order_d._portal_ensure_token()):
            with self.subTest(token=token):
                res = self._post(self.order_q, "quote", token, decision="accept")
                self.assertEqual(res.status_code, 303)
                self.assertTrue(res.headers["Location"].endswith("/my"))
                res = self._post(self.order_d, "not_fixed", "0" * 36, comment="Leaks")
                self.assertEqual(res.status_code, 303)
        self.assertEqual(self.order_q.quote_state, "sent")
        self.assertEqual((self.order_d.state, self.order_d.rework_count), ("done", 0))

    def _expired_quote(self):
        """A quote sent to the owner 31 days ago (links answer 30 days)."""
        return self._order(
            self.unit_a,
            "quoted",
            quote_state="sent",
            quote_sent_date=fields.Datetime.now() - timedelta(days=31),
            line_ids=LINES,
        )

    def test_expired_link(self):
        old = self._expired_quote()
        token = old._portal_ensure_token()
        res = self._post(old, "quote", token, decision="accept")
        self.assertEqual(res.status_code, 403)
        self.assertIn("This link has expired", res.text)
        self.assertEqual(old.quote_state, "sent")
        # the configuration sets how long a link answers
        self.env["ir.config_parameter"].set_param("pm_repair.owner_link_days", 40)
        res = self._post(old, "quote", token, decision="accept")
        self.assertEqual(res.status_code, 303)
        self.assertEqual(old.quote_state, "accepted")

    def test_expired_link_logged_in_owner_still_answers(self):
        old = self._expired_quote()
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self._post(old, "quote", decision="refuse")
        self.assertEqual(res.status_code, 303)
        self.assertEqual((old.quote_state, old.state), ("refused", "cancelled"))

    def test_another_owners_order(self):
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        res = self._post(self.order_d, "not_fixed", comment="Not mine")
        self.assertEqual(res.status_code, 303)
        # even with the order's own token, only an owner of the order answers
        token = self.order_d._portal_ensure_token()
        res = self._post(self.order_d, "not_fixed", token, comment="Not mine")
        self.assertEqual(res.status_code, 403)
        self.assertIn("Only the owner", res.text)
        res = self._post(
            self.order_q,
            "quote",
            self.order_q._portal_ensure_token(),
            decision="accept",
        )
        self.assertEqual(res.status_code, 403)
        self.assertEqual((self.order_d.state, self.order_d.rework_count), ("done", 0))
        self.assertEqual(self.order_q.quote_state, "sent")

    def test_staff_session_cannot_answer_not_fixed(self):
        self.authenticate("pm_t_tech", "pm_t_tech")
        token = self.order_d._portal_ensure_token()
        res = self._post(self.order_d, "not_fixed", token, comment="Leaks")
        self.assertEqual(res.status_code, 403)
        self.assertIn("Record Owner Decision", res.text)
        self.assertEqual(self.order_d.state, "done")

    def test_replayed_decisions(self):
        token = self.order_q._portal_ensure_token()
        res = self._post(self.order_q, "quote", token, decision="accept")
        self.assertEqual(res.status_code, 303)
        accepted_on = self.order_q.quote_accepted_date
        for decision in ("accept", "refuse"):
            res = self._post(self.order_q, "quote", token, decision=decision)
            self.assertEqual(res.status_code, 400)
            self.assertIn("is not waiting for an answer", res.text)
        self.assertEqual(self.order_q.quote_state, "accepted")
        self.assertEqual(self.order_q.quote_accepted_date, accepted_on)
        token = self.order_d._portal_ensure_token()
        res = self._post(self.order_d, "not_fixed", token, comment="Still leaks")
        self.assertEqual(res.status_code, 303)
        res = self._post(self.order_d, "not_fixed", token, comment="Still leaks")
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.order_d.rework_count, 1)
        self.assertEqual(len(self.order_d.rework_ids), 1)

    def test_decisions_in_a_wrong_state(self):
        token_q = self.order_q._portal_ensure_token()
        token_d = self.order_d._portal_ensure_token()
        res = self._post(self.order_q, "not_fixed", token_q, comment="Too early")
        self.assertEqual(res.status_code, 400)
        res = self._post(self.order_d, "quote", token_d, decision="accept")
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.order_q.state, "quoted")
        self.assertEqual(
            (self.order_d.state, self.order_d.quote_state), ("done", "none")
        )

    def test_not_fixed_needs_a_comment(self):
        token = self.order_d._portal_ensure_token()
        for comment in ("", "   ", "Leaks\x00"):
            with self.subTest(comment=comment):
                res = self._post(self.order_d, "not_fixed", token, comment=comment)
                self.assertEqual(res.status_code, 400)
        self.assertEqual((self.order_d.state, self.order_d.rework_count), ("done", 0))
        self.assertFalse(self.order_d.rework_ids)
