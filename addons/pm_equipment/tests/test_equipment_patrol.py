# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A patrol finding at a checkpoint on equipment opens the equipment's
corrective maintenance request, or joins the open one, in one step of the
service centre's staff, with the finding's note and photos, linked both ways."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_patrol.tests.common import PatrolCommon, utc


@tagged("post_install", "-at_install")
class TestEquipmentPatrol(PatrolCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pump = cls.env["maintenance.equipment"].create(
            {
                "name": "Garden pump",
                "property_id": cls.property_a.id,
                "common_area_id": cls.areas[0].id,
            }
        )
        cls.points[:2].equipment_id = cls.pump

    def setUp(self):
        super().setUp()
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
        self.morning = self._rounds()[0]

    def test_finding_opens_then_joins_request(self):
        with freeze_time(utc(8, 9, 5)):
            [(first, _r1), (second, _r2)] = self._scan(self.morning, 2)
            first.with_user(self.user_technician)._pm_report(
                "abnormal", "Pump leaking", [("leak.png", self.photo)]
            )
            second.with_user(self.user_technician)._pm_report(
                "abnormal", "Pump noisy", []
            )
        # the patroller cannot, the desk can
        with self.assertRaises(AccessError):
            first.with_user(self.user_technician).action_make_maintenance_request()
        with freeze_time(utc(8, 10)):
            action = first.with_user(self.user_agent).action_make_maintenance_request()
        request = first.maintenance_request_id
        self.assertEqual(action["res_id"], request.id)
        self.assertEqual(request.equipment_id, self.pump)
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertEqual(request.property_id, self.property_a)
        self.assertEqual(str(request.request_date), "2026-12-08")
        self.assertIn("Pump leaking", request.description)
        self.assertEqual(request.patrol_visit_ids, first)
        photos = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "maintenance.request"), ("res_id", "=", request.id)]
            )
        )
        self.assertEqual(photos.mapped("raw"), [self.photo])
        # the second finding on the same pump joins the open request
        with freeze_time(utc(8, 10, 5)):
            second.with_user(self.user_agent).action_make_maintenance_request()
        self.assertEqual(second.maintenance_request_id, request)
        self.assertEqual(request.patrol_visit_ids, first | second)
        self.assertEqual(
            self.env["maintenance.request"].search_count(
                [("equipment_id", "=", self.pump.id)]
            ),
            1,
        )
        self.assertTrue(
            any("Pump noisy" in (m.body or "") for m in request.message_ids)
        )
        # again: the same request, nothing new
        again = first.with_user(self.user_agent).action_make_maintenance_request()
        self.assertEqual(again["res_id"], request.id)
        # the link is made by the action, never typed in
        with self.assertRaises(UserError):
            first.with_user(self.user_agent).write({"maintenance_request_id": False})

    def test_refused_without_equipment_or_abnormal_finding(self):
        with freeze_time(utc(8, 9, 5)):
            visits = self._scan(self.morning, 3)
            pump_ok, _pump_abnormal, garden = (v for v, _r in visits)
            pump_ok.with_user(self.user_technician)._pm_report("normal", "", [])
            garden.with_user(self.user_technician)._pm_report(
                "abnormal", "Broken bench", []
            )
        for visit in (pump_ok, garden):
            with self.assertRaises(UserError):
                visit.with_user(self.user_agent).action_make_maintenance_request()
        self.assertFalse((pump_ok | garden).maintenance_request_id)
        self.assertFalse(
            self.env["maintenance.request"].search(
                [("equipment_id", "=", self.pump.id)]
            )
        )

    def test_equipment_of_another_property_refused(self):
        other = self.env["maintenance.equipment"].create(
            {"name": "Pump B", "property_id": self.property_b.id}
        )
        with self.assertRaises(ValidationError):
            self.points[2].equipment_id = other
