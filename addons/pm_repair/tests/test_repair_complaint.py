# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form

from .common import RepairCommon


@freeze_time("2026-03-02 02:00:00")
class TestRepairFromCase(RepairCommon):
    """Issue 6, item 7: a case spawns a repair order in one click and sees its
    progress."""

    def _case(self, **values):
        return self._of_unit_a(
            "pm.case",
            self.user_agent,
            **{
                "subject": "Kitchen tap leaking",
                "description": "The kitchen tap drips all night.",
                "request_type": "repair",
                "partner_id": self.owner.id,
                **values,
            },
        )

    def _order_from(self, case):
        action = case.action_create_repair_order()
        form = Form(
            self.env["pm.repair.order"]
            .with_user(self.user_agent)
            .with_context(**action["context"])
        )
        form.category_id = self.cat_water
        return form.save()

    def test_case_spawns_order(self):
        case = self._case()
        order = self._order_from(case)
        self.assertEqual(order.case_id, case)
        # the order carries where the request came from (the case's channel)
        self.assertEqual((order.source, order.origin), ("phone", case.name))
        self.assertEqual((order.unit_id, order.partner_id), (self.unit_a, self.owner))
        self.assertEqual(order.location_type, "unit")
        self.assertEqual(order.description, "The kitchen tap drips all night.")
        self.assertEqual(case.repair_order_count, 1)
        # the case notes its order (and, acknowledged by it, sends the receipt)
        self.assertTrue(
            case.message_ids.filtered(lambda m: order.name in (m.body or ""))
        )
        view = case.action_view_repair_orders()
        self.assertEqual(view["domain"], [("case_id", "=", case.id)])

    def _dispatch_from_case(self):
        case = self._case()
        order = self._order_from(case)
        order.write(
            {
                "technician_id": self.user_technician.id,
                "team_id": self.team_engineering.id,
                "category_id": self.cat_water.id,
            }
        )
        order.action_dispatch()
        return case, order

    def test_case_follows_progress(self):
        self.env.company.partner_id.lang = "en_US"
        case, order = self._dispatch_from_case()
        self.assertIn("Dispatched", case.message_ids[0].body)
        self.assertIn(order.name, case.message_ids[0].body)

    def test_case_note_in_company_language(self):
        """The note on the case names the order's new state by its label in the
        company's language, whoever or whichever cron moved the order: not
        "维修工单 WX…：Dispatched。"."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("zh_CN not loaded")
        self.env.company.partner_id.lang = "zh_CN"
        self.user_agent.lang = "en_US"
        case, order = self._dispatch_from_case()
        body = case.message_ids[0].body
        self.assertIn("维修工单 ", body)
        self.assertIn(order.name, body)
        self.assertIn("：已派工。", body)
        self.assertNotIn("Dispatched", body)

    def test_common_area_case(self):
        case = self._case(unit_id=False, location="Lift lobby, building 1")
        order = self._order_from(case)
        self.assertEqual(order.location_type, "common")
        self.assertEqual(order.location, "Lift lobby, building 1")
        self.assertFalse(order.is_paid)

    def test_closed_case_spawns_nothing(self):
        case = self._case()
        case.invalid_explanation = "Private renovation: outside our service scope."
        case.action_mark_invalid()
        self.assertEqual(case.state, "closed")
        with self.assertRaisesRegex(UserError, "is closed"):
            case.action_create_repair_order()
        self.assertEqual(case.repair_order_count, 0)
