# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import RepairCommon


@tagged("pm_repair")
class TestRepairDispatch(RepairCommon):
    """R-DISPATCH-2 on repair orders: the repair category (and building, keywords)
    choose the team, the least loaded technician gets the order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_plumber = new_test_user(
            cls.env,
            "pm_t_plumber",
            groups="pm_customer_service.group_pm_technician",
            name="Plumber A",
        )
        cls.user_plumber.pm_property_ids = cls.property_a
        cls.team_plumbing = cls.env["pm.team"].create(
            {
                "name": "Plumbing A",
                "team_type": "engineering",
                "property_id": cls.property_a.id,
                "leader_id": cls.user_lead.id,
                "member_ids": [(6, 0, (cls.user_plumber | cls.user_technician).ids)],
            }
        )
        cls.rule = cls.env["pm.dispatch.rule"].create(
            {
                "name": "Water repairs",
                "target": "repair",
                "category_id": cls.cat_water.id,
                "team_id": cls.team_plumbing.id,
                "assign_method": "least_load",
            }
        )

    def test_category_rule_least_load(self):
        self._order(technician_id=self.user_technician.id)
        order = self._order(technician_id=False)
        self.assertEqual(order.team_id, self.team_plumbing)
        self.assertEqual(order.technician_id, self.user_plumber)
        self.assertEqual(order.state, "new", "dispatching stays a staff action")
        # another category: the team of its trade, no technician chosen
        other = self._order(category_id=self.cat_public.id, technician_id=False)
        self.assertNotEqual(other.team_id, self.team_plumbing)
        self.assertFalse(other.technician_id)

    def test_case_rules_do_not_take_orders(self):
        self.rule.target = "case"
        order = self._order(technician_id=False)
        self.assertFalse(order.technician_id)
        self.assertEqual(order.team_id, self.team_engineering)
