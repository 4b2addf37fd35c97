# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

from ..models.pm_repair_order import STEP_FIELDS
from .common import SIGNATURE

# the steps of an order up to the work done (the owner has not accepted yet)
STEPS = STEP_FIELDS[: STEP_FIELDS.index("done_date") + 1]


@tagged("post_install", "-at_install", "security")
class TestRepairPortal(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("pm_repair.pm_repair_category_water")
        # R-PICK-1: each order has a technician of its own property
        cls.user_technician_b = cls._pm_user("pm_t_tech_b", "technician", name="Tech B")
        cls.user_technician_b.pm_property_ids = cls.property_b
        cls.order_a = cls._order(cls.unit_a, "done")
        cls.order_b = cls._order(cls.unit_b, "done")

    @classmethod
    def _order(cls, unit, state, **extra):
        start = fields.Datetime.now() - timedelta(hours=3)
        steps = {key: start + timedelta(minutes=10 * i) for i, key in enumerate(STEPS)}
        if state == "quoted":
            steps.pop("plan_agreed_date")
            steps.pop("done_date")
        return cls.env["pm.repair.order"].create(
            {
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "category_id": cls.category.id,
                "description": f"Tap of {unit.display_name} drips.",
                "technician_id": (
                    cls.user_technician
                    if unit.property_id == cls.property_a
                    else cls.user_technician_b
                ).id,
                "state": state,
                **steps,
                **extra,
            }
        )

    def _sign(self, order, token=None):
        url = f"/my/repairs/{order.id}/sign"
        if token:
            url += f"?access_token={token}"
        return self.make_jsonrpc_request(
            url, {"name": "Signer", "signature": SIGNATURE.decode()}
        )

    def test_owner_pages(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        self._assert_listed("/my/repairs", self.order_a, self.order_b)
        res = self.url_open(f"/my/repairs/{self.order_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("modalrepairsign", res.text)

    def test_other_owner_id_with_and_without_token(self):
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        res = self.url_open(f"/my/repairs/{self.order_a.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        token = self.order_b._portal_ensure_token()
        res = self.url_open(
            f"/my/repairs/{self.order_a.id}?access_token={token}",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)

    def test_not_logged_in(self):
        res = self.url_open("/my/repairs", allow_redirects=False)
        self.assertIn("/web/login", res.headers["Location"])
        res = self.url_open(f"/my/repairs/{self.order_a.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)

    def test_owner_signs_completion(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        result = self._sign(self.order_a)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.order_a.state, "return_visit")
        self.assertEqual(self.order_a.signed_partner_id, self.owner)
        self.assertEqual(self.order_a.acceptance_result, "pass")

    def test_signing_another_owners_order_refused(self):
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        result = self._sign(self.order_a)
        self.assertEqual(result.get("error"), "Invalid order.")
        # even holding the order's own token, only its owner signs (_pm_sign)
        result = self._sign(self.order_a, token=self.order_a._portal_ensure_token())
        self.assertIn("Only the owner", result.get("error", ""))
        self.assertEqual(self.order_a.state, "done")
        self.assertFalse(self.order_a.signature)

    def test_tenant_cannot_read_or_sign(self):
        self.authenticate("pm_p_tenant", "pm_p_tenant")
        res = self.url_open(f"/my/repairs/{self.order_a.id}", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertEqual(self._sign(self.order_a).get("error"), "Invalid order.")

    def test_quote_acceptance(self):
        order = self._order(
            self.unit_a,
            "quoted",
            quote_state="sent",
            line_ids=[
                (0, 0, {"name": "Tap", "uom": "piece", "quantity": 1, "price_unit": 30})
            ],
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open(f"/my/repairs/{order.id}")
        self.assertIn("o_pm_quote_card", res.text)
        self._post_from_page(f"/my/repairs/{order.id}", "quote", decision="accept")
        self.assertEqual(order.quote_state, "accepted")
        self.assertEqual(order.state, "in_progress")

    def test_one_way_in_for_a_repair(self):
        """Issue 21: the repairs list asks for a repair with the request form,
        repair chosen and an appointment slot offered; the former form's
        address and its submit (bookmarks, a page left open) lead there and
        create nothing (R-INTAKE-3)."""
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open("/my/repairs").text
        self.assertIn('href="/my/cases/new?request_type=repair"', page)
        res = self.url_open("/my/repairs/new", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(
            res.headers["Location"].endswith("/my/cases/new?request_type=repair")
        )
        old_form = {
            "unit_id": self.unit_a2.id,
            "category_id": self.category.id,
            "description": "Tap drips",
            "form_key": "0" * 32,
        }
        res = self.url_open("/my/repairs/submit", data=old_form, allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(
            res.headers["Location"].endswith("/my/cases/new?request_type=repair")
        )
        self.assertFalse(
            self.env["pm.repair.order"].search([("description", "=", "Tap drips")])
        )
        res = self.url_open("/my/repairs/submit", allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        form = self.url_open(res.headers["Location"]).text
        self.assertRegex(
            form, r'id="pm_request_type_repair"[^>]*value="repair" checked='
        )
        self.assertIn("o_pm_appointment_slot", form)

    def test_waiting_repair_request_in_the_repairs_list(self):
        """A repair request sent from the repairs list is found there until the
        service centre makes its order; then the order is."""
        case = self.env["pm.case"].create(
            self._case_vals(
                self.unit_a, self.owner, "Kitchen tap drips", request_type="repair"
            )
        )
        other = self.env["pm.case"].create(
            self._case_vals(
                self.unit_b, self.owner_2, "Bathroom tap drips", request_type="repair"
            )
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open("/my/repairs").text
        self.assertIn("o_pm_repair_requests", page)
        self.assertIn(f'href="/my/cases/{case.id}"', page)
        self.assertIn("Kitchen tap drips", page)
        self.assertNotIn(other.subject, page)
        self.assertIn(">Waiting<", page)
        self.env["pm.repair.order"].create(
            {
                **case._prepare_repair_order_values(),
                "category_id": self.category.id,
            }
        )
        page = self.url_open("/my/repairs").text
        self.assertNotIn("Kitchen tap drips", page)
