# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Records that hold on work orders: the quote and the acceptance are the
owner's, signatures are real images, bad input never crashes the portal and
internal fields stay internal (R-OWNER-1, R-REP-3, R-REP-4, SPEC §10)."""

import base64

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon
from odoo.addons.pm_customer_service.tests.test_portal_hardening import png

from . import test_portal
from .common import SIGNATURE

INTERNAL_FIELDS = ("technician_id", "diagnosis", "is_quality_fault", "team_id")
LINES = [(0, 0, {"name": "Tap", "uom": "piece", "quantity": 1, "price_unit": 30})]


@tagged("post_install", "-at_install", "security")
class TestRepairPortalHardening(PortalCommon):
    # the order builders of the portal tests
    _order = test_portal.TestRepairPortal.__dict__["_order"]
    _sign = test_portal.TestRepairPortal._sign

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.order_a = cls._order(cls.unit_a, "done")
        cls.order_q = cls._order(
            cls.unit_a, "quoted", quote_state="sent", line_ids=LINES
        )
        cls.order_a.sudo().write(
            {"diagnosis": "Cartridge worn out.", "is_quality_fault": True}
        )

    def _messages(self, order):
        return self.env["mail.message"].search(
            [("model", "=", order._name), ("res_id", "=", order.id)]
        )

    def _post_quote(self, order, decision, **extra):
        return self.url_open(
            f"/my/repairs/{order.id}/quote",
            data={
                "csrf_token": self._csrf("/web/login"),
                "decision": decision,
                **extra,
            },
            allow_redirects=False,
        )

    def _call(self, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/pm.repair.order/{method}",
            {"model": "pm.repair.order", "method": method, "args": args, "kwargs": {}},
        )

    def _submit(self, **extra):
        """The request form, a repair asked for (the one way in)."""
        values = {
            "request_type": "repair",
            "subject": "Tap drips",
            "description": "Tap drips",
        }
        values.update(extra)
        return self._submit_form("/my/cases/new?request_type=repair", **values)

    # ------------------------------------------------------------
    # R-OWNER-1 / R-REP-3: the quote
    # ------------------------------------------------------------

    def test_staff_session_cannot_accept_the_quote(self):
        self.authenticate("pm_t_tech", "pm_t_tech")
        token = self.order_q._portal_ensure_token()
        for extra in ({}, {"access_token": token}):
            res = self._post_quote(self.order_q, "accept", **extra)
            self.assertEqual(res.status_code, 403)
            self.assertIn("Record Owner Decision", res.text)
        self.assertEqual(
            (self.order_q.state, self.order_q.quote_state), ("quoted", "sent")
        )
        self.assertFalse(self.order_q.quote_accepted_date)

    def test_staff_cannot_accept_the_quote_by_rpc(self):
        self.authenticate("pm_t_agent", "pm_t_agent")
        calls = (
            ("action_accept_quote", [[self.order_q.id]]),
            ("_pm_accept_quote", [[self.order_q.id]]),
            ("_pm_owner_decide", [[self.order_q.id], "accept_quote", self.owner.id]),
            ("write", [[self.order_q.id], {"quote_state": "accepted"}]),
            ("write", [[self.order_q.id], {"quote_amount_accepted": 30}]),
            ("create", [{"description": "Tap", "signed_by": "Owner Wang"}]),
        )
        for method, args in calls:
            with (
                self.subTest(method=method, args=args),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException),
            ):
                self._call(method, args)
        self.assertEqual(self.order_q.quote_state, "sent")
        self.assertFalse(self.order_q.quote_amount_accepted)
        with self.assertRaises(AccessError):
            self.order_q.with_user(self.user_agent).write({"quote_state": "accepted"})

    def test_owner_accepts_the_quote_as_author(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        before = self._messages(self.order_q)
        res = self._post_quote(self.order_q, "accept")
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(self.order_q.quote_state, "accepted")
        message = self._messages(self.order_q).filtered(
            lambda m: "accepted the quote" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)
        self.assertEqual((self._messages(self.order_q) - before).author_id, self.owner)

    def test_staff_record_a_quote_given_by_phone(self):
        wizard = (
            self.env["pm.repair.owner.decision"]
            .with_user(self.user_technician)
            .create(
                {
                    "order_id": self.order_q.id,
                    "decision": "accept_quote",
                    "channel": "phone",
                    "note": "Called at 10:05",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.order_q.quote_state, "accepted")
        message = self._messages(self.order_q).filtered(
            lambda m: "accepted the quote" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.user_technician.partner_id)
        self.assertIn("by phone", message.body)
        self.assertIn("Called at 10:05", message.body)

    # ------------------------------------------------------------
    # R-OWNER-1 / R-REP-4: signature
    # ------------------------------------------------------------

    def test_staff_session_cannot_sign(self):
        self.authenticate("pm_t_tech", "pm_t_tech")
        result = self._sign(self.order_a)
        self.assertIn("Record Owner Decision", result.get("error", ""))
        result = self._sign(self.order_a, token=self.order_a._portal_ensure_token())
        self.assertIn("Record Owner Decision", result.get("error", ""))
        self.assertEqual(self.order_a.state, "done")
        self.assertFalse(self.order_a.signature)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._call("write", [[self.order_a.id], {"signature": SIGNATURE.decode()}])
        self.assertFalse(self.order_a.signature)

    def test_signature_must_be_a_real_image(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        bad = {
            "svg": base64.b64encode(svg),
            "junk": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_000_000),
            "bomb": base64.b64encode(png((15000, 15000))),
            "not base64": b"%%%not-base64%%%",
        }
        for label, signature in bad.items():
            with self.subTest(label):
                result = self.make_jsonrpc_request(
                    f"/my/repairs/{self.order_a.id}/sign",
                    {"name": "Owner Wang", "signature": signature.decode()},
                )
                self.assertTrue(result.get("error"), result)
        result = self.make_jsonrpc_request(
            f"/my/repairs/{self.order_a.id}/sign",
            {"name": "Owner\x00Wang", "signature": SIGNATURE.decode()},
        )
        self.assertIn("control characters", result.get("error", ""))
        self.assertEqual(self.order_a.state, "done")
        self.assertFalse(self.order_a.signature)
        self.assertFalse(self.order_a.acceptance_result)
        # a real one is stored, and the chatter names the owner
        result = self._sign(self.order_a)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(base64.b64decode(self.order_a.signature)[:4], b"\x89PNG")
        message = self._messages(self.order_a).filtered(
            lambda m: "accepted the repair" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)

    # ------------------------------------------------------------
    # SPEC §10: bad input
    # ------------------------------------------------------------

    def test_bad_input_in_the_repair_form(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        cases = (
            {"description": "Tap\x00drips"},
            {"location": "Kitchen\x00"},
            {"unit_id": "99999999999999999999"},
            {"unit_id": "1\x00"},
            {"appointment_day": "2020-01-01", "appointment_window": "morning"},
            {"files": {"attachments": ("tap.png", png((15000, 15000)))}},
        )
        for extra in cases:
            with self.subTest(extra=str(extra)[:60]):
                res, case = self._submit(**extra)
                self.assertEqual(res.status_code, 400)
                self.assertFalse(case)
        for url in ("/my/repairs/%00", "/my/repairs/99999999999999999999"):
            res = self.url_open(url, allow_redirects=False)
            self.assertIn(res.status_code, (303, 404))
        res = self._post_quote(self.order_q, "accept\x00")
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.order_q.quote_state, "sent")

    # ------------------------------------------------------------
    # SPEC §10: internal fields
    # ------------------------------------------------------------

    def test_portal_rpc_cannot_read_internal_fields(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for fname in INTERNAL_FIELDS:
            with (
                self.subTest(field=fname),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException),
            ):
                self._call("read", [[self.order_a.id], [fname]])
        rows = self._call("search_read", [[("id", "=", self.order_a.id)]])
        self.assertEqual(len(rows), 1)
        for fname in INTERNAL_FIELDS:
            self.assertNotIn(fname, rows[0])
        res = self.url_open(f"/my/repairs/{self.order_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertNotIn("Cartridge worn out", res.text)
