# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The technician's day on a phone, walked in the browser as the demo's
technician (issue 21): logs in and lands on 我的维修工单, signs for today's
order, stamps the arrival by scanning the unit's QR code, diagnoses, plans,
adds the photo after the work and completes (R-LAND-1, R-REP-2, R-REP-4)."""

from urllib.parse import quote, urlsplit

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTechnicianJourney(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        ref = self.env.ref
        self.technician = ref("pm_customer_service.res_users_technician_demo")
        agent = ref("pm_customer_service.res_users_agent_demo")
        self.unit = ref("pm_customer_service.pm_unit_demo_lsg-b3_505")
        # the front desk records the owner's call and dispatches the order
        order = (
            self.env["pm.repair.order"]
            .with_user(agent)
            .with_context(lang="zh_CN")
            .create(
                {
                    "property_id": self.unit.property_id.id,
                    "unit_id": self.unit.id,
                    "category_id": ref("pm_repair.pm_repair_category_water").id,
                    "urgency": "immediate",
                    "description": "卫生间花洒漏水，业主在家。",
                    "technician_id": self.technician.id,
                }
            )
        )
        order.action_dispatch()
        self.order = order.with_user(self.env.user)
        self.recorded = (order.partner_id, order.unit_id, order.description)

    def test_technician_day(self):
        qr = urlsplit(self.unit._pm_qr_url())
        self.start_tour(
            "/web/login",
            "pm_technician_day_tour",
            login=None,
            cookies={"pm_tour_qr": quote(f"{qr.path}?{qr.query}", safe="")},
            timeout=120,
        )
        order = self.order
        order.invalidate_recordset()
        self.assertEqual(order.state, "done")
        self.assertEqual(order.arrival_method, "place_qr")
        self.assertTrue(order.take_date <= order.arrival_date <= order.done_date)
        self.assertEqual(order.target_on_site, "met")
        self.assertEqual(order.diagnosis, "花洒软管老化开裂。")
        self.assertEqual(order.plan, "更换花洒软管，约二十分钟。")
        self.assertEqual(order.photo_after_ids.mapped("mimetype"), ["image/png"])
        # what the owner and the desk recorded is as they recorded it
        self.assertEqual(
            (order.partner_id, order.unit_id, order.description), self.recorded
        )
        # every step is the technician's own, in the order's history
        authors = order.message_ids.filtered("tracking_value_ids").author_id
        self.assertIn(self.technician.partner_id, authors)
