# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RepairCommon


@tagged("security", "post_install", "-at_install")
class TestRepairSecurity(RepairCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls.env["pm.repair.order"].create(
            {
                "property_id": cls.property_a.id,
                "unit_id": cls.unit_a.id,
                "category_id": cls.env.ref("pm_repair.pm_repair_category_water").id,
                "description": "A",
            }
        )
        cls.order_b = cls.env["pm.repair.order"].create(
            {
                "property_id": cls.property_b.id,
                "unit_id": cls.unit_b.id,
                "category_id": cls.env.ref("pm_repair.pm_repair_category_water").id,
                "description": "B",
            }
        )

    def test_technician_sees_own_property_only(self):
        Order = self.env["pm.repair.order"].with_user(self.user_technician)
        self.assertEqual(
            Order.search([("id", "in", (self.order_a | self.order_b).ids)]),
            self.order_a,
        )
        self.order_a.with_user(self.user_technician).read(["name"])
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.user_technician).read(["name"])
        with self.assertRaises(AccessError):
            Order.create(
                {
                    "property_id": self.property_a.id,
                    "unit_id": self.unit_a.id,
                    "category_id": self.cat_water.id,
                    "description": "Technicians do not take calls",
                }
            )

    def test_agent_creates_and_quality_sees_all(self):
        order = (
            self.env["pm.repair.order"]
            .with_user(self.user_agent)
            .create(
                {
                    "property_id": self.property_a.id,
                    "unit_id": self.unit_a.id,
                    "category_id": self.cat_water.id,
                    "description": "Agent records a call",
                }
            )
        )
        self.assertEqual(order.create_uid, self.user_agent)
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.user_agent).write({"description": "x"})
        Order = self.env["pm.repair.order"].with_user(self.user_quality)
        self.assertEqual(
            len(Order.search([("id", "in", (self.order_a | self.order_b).ids)])), 2
        )

    def test_fee_schedule(self):
        with self.assertRaises(AccessError):
            self.fee_tap.with_user(self.user_technician).price = 1
        with self.assertRaises(AccessError):
            self.fee_tap.with_user(self.user_agent).price = 1
        self.fee_tap.with_user(self.user_director).price = 35
        self.assertEqual(self.fee_tap.price, 35)

    def test_rainstorm_recorded_by_agents(self):
        Storm = self.env["pm.rainstorm"]
        with self.assertRaises(AccessError):
            Storm.with_user(self.user_technician).create(
                {"property_id": self.property_a.id}
            )
        storm = Storm.with_user(self.user_agent).create(
            {"property_id": self.property_a.id}
        )
        self.assertEqual(storm.property_id, self.property_a)
