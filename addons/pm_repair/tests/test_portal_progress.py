# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon


@tagged("post_install", "-at_install", "security")
class TestRepairPortalProgress(PortalCommon):
    """The owner's repair page shows the progress with local times, the
    technician and the service centre's number; /my counts the open orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.write({"tz": "Asia/Shanghai", "service_phone": "0571-8888 6666"})
        category = cls.env.ref("pm_repair.pm_repair_category_water")
        Order = cls.env["pm.repair.order"]
        values = {
            "property_id": cls.property_a.id,
            "unit_id": cls.unit_a.id,
            "partner_id": cls.owner.id,
            "category_id": category.id,
            "description": "Tap drips.",
            "technician_id": cls.user_technician.id,
        }
        cls.order = Order.create(
            {
                **values,
                "state": "on_site",
                "intake_date": datetime(2026, 12, 1, 1, 0),
                "dispatch_date": datetime(2026, 12, 1, 1, 2),
                "take_date": datetime(2026, 12, 1, 1, 5),
                "arrival_date": datetime(2026, 12, 1, 1, 12),
            }
        )
        cls.closed = Order.create({**values, "state": "closed"})

    def test_progress_technician_and_phone(self):
        steps = self.order.with_context(lang="zh_CN")._pm_portal_progress()
        self.assertEqual([s["done"] for s in steps], [True, True, True, False, False])
        self.assertTrue(steps[3]["current"])
        # local time of the property (UTC+8), as the reader's language writes it
        self.assertEqual(
            [s["when"] for s in steps[:3]],
            ["12月01日 09:00", "12月01日 09:02", "12月01日 09:12"],
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/repairs/{self.order.id}").text
        self.assertIn("o_pm_progress", page)
        self.assertIn("12/01 09:12", page)
        self.assertIn(self.user_technician.name, page)
        self.assertIn('href="tel:057188886666"', page)

    def test_home_counts_open_orders(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["pm_repair_count"]}
        )
        self.assertEqual(counters["pm_repair_count"], 1)
