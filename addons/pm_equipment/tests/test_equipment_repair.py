# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A repair order on equipment opens or joins its corrective maintenance request;
the request is done when the orders on it are, with the downtime recorded."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import EquipmentCommon

# 2026-03-10 09:00 in Shanghai
T1 = "2026-03-10 01:00:00"


@tagged("post_install", "-at_install")
class TestEquipmentRepair(EquipmentCommon):
    def _equipment_order(self, equipment, stopped=True, **values):
        """An order on ``equipment`` of property A recorded by the front desk."""
        return (
            self.env["pm.repair.order"]
            .with_user(self.user_agent)
            .create(
                {
                    "property_id": self.property_a.id,
                    "location_type": "common",
                    "common_area_id": self.area_a.id,
                    "category_id": self.cat_public.id,
                    "description": "The pump trips its breaker.",
                    "technician_id": self.user_technician.id,
                    "equipment_id": equipment.id,
                    "equipment_stopped": stopped,
                    **values,
                }
            )
        )

    def _work_as_technician(self, order, start):
        """Dispatched by the front desk, then worked to done by its technician."""
        tech = order.with_user(self.user_technician)
        steps = [
            (1, order.with_user(self.user_agent).action_dispatch, {}),
            (2, tech.action_take, {}),
            # the desk records the arrival (no QR scan in a test)
            (8, order.with_user(self.user_agent).action_arrive, {}),
            (15, tech.action_diagnose, {"diagnosis": "Burnt contactor"}),
            (17, tech.action_propose_plan, {"plan": "Replace the contactor"}),
            (180, tech.action_done, {}),
        ]
        for minutes, action, values in steps:
            with freeze_time(start + timedelta(minutes=minutes)):
                if values:
                    tech.write(values)
                action()

    def test_order_opens_request_as_front_desk(self):
        with freeze_time(T1):
            order = self._equipment_order(self.pump_a)
        request = order.maintenance_request_id
        self.assertTrue(request)
        self.assertEqual(request.equipment_id, self.pump_a)
        self.assertEqual(request.property_id, self.property_a)
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertTrue(request.pm_stops_equipment)
        self.assertEqual(request.pm_down_start, order.intake_date)
        self.assertFalse(request.stage_id.done)
        self.assertIn(order.name, request.name)
        self.assertIn("breaker", request.description)
        # the request shows its repair orders
        self.assertEqual(request.repair_order_ids, order)
        self.assertEqual(request.repair_order_count, 1)
        self.assertTrue(self.pump_a.out_of_service)
        self.assertFalse(self.lift_a.out_of_service)
        # a second order on the same equipment joins the open request
        second = self._equipment_order(self.pump_a, stopped=False)
        self.assertEqual(second.maintenance_request_id, request)
        self.assertEqual(request.repair_order_count, 2)

    def test_done_order_closes_request_with_downtime(self):
        start = self.env["pm.repair.order"]._fields["intake_date"].to_datetime(T1)
        with freeze_time(start):
            order = self._equipment_order(self.pump_a)
        request = order.maintenance_request_id
        self._work_as_technician(order, start)
        self.assertEqual(order.state, "done")
        self.assertTrue(request.stage_id.done)
        self.assertEqual(request.stage_id, self.done_stage)
        self.assertEqual(request.pm_down_end, start + timedelta(minutes=180))
        self.assertEqual(request.pm_downtime_hours, 3.0)
        self.assertFalse(self.pump_a.out_of_service)

    def test_request_waits_for_every_order(self):
        start = self.env["pm.repair.order"]._fields["intake_date"].to_datetime(T1)
        with freeze_time(start):
            first = self._equipment_order(self.pump_a)
            second = self._equipment_order(self.pump_a)
        request = first.maintenance_request_id
        self._work_as_technician(first, start)
        self.assertFalse(request.stage_id.done)
        self.assertFalse(request.pm_down_end)
        self._work_as_technician(second, start + timedelta(hours=4))
        self.assertTrue(request.stage_id.done)
        self.assertEqual(request.pm_down_end, start + timedelta(hours=4, minutes=180))

    def test_equipment_of_another_property_refused(self):
        with self.assertRaisesRegex(ValidationError, "Water pump B"):
            self._equipment_order(self.pump_b)

    def test_link_is_not_typed_in(self):
        order = self._equipment_order(self.pump_a)
        other = self._stop(self.lift_a, "2026-03-01 00:00:00")
        with self.assertRaises(UserError):
            order.with_user(self.user_agent).write({"maintenance_request_id": other.id})
        self.assertNotEqual(order.maintenance_request_id, other)

    def test_preventive_plan_repeats_on_done(self):
        """Preventive plans are maintenance's recurring requests: the technician
        marks one done, the next one is planned (no scheduler of ours)."""
        Request = self.env["maintenance.request"]
        plan = Request.create(
            {
                "name": "Weekly pump check",
                "equipment_id": self.pump_a.id,
                "maintenance_type": "preventive",
                "recurring_maintenance": True,
                "repeat_interval": 1,
                "repeat_unit": "week",
                "schedule_date": "2026-03-10 01:00:00",
            }
        )
        self.assertIn(plan, self.pump_a.preventive_plan_ids)
        plan.with_user(self.user_technician).write({"stage_id": self.done_stage.id})
        following = Request.search(
            [("equipment_id", "=", self.pump_a.id), ("id", "!=", plan.id)]
        )
        self.assertEqual(len(following), 1)
        self.assertEqual(str(following.schedule_date), "2026-03-17 01:00:00")
        self.assertEqual(self.pump_a.preventive_plan_ids, following)
        # a plan does not stop the equipment: no downtime
        self.assertFalse(plan.pm_down_end)
