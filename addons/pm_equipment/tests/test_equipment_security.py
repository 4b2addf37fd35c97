# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import EquipmentCommon


@tagged("post_install", "-at_install")
class TestEquipmentSecurity(EquipmentCommon):
    def test_property_staff_see_their_equipment_only(self):
        for user in (self.user_technician, self.user_agent):
            with self.subTest(user=user.login):
                Equipment = self.env["maintenance.equipment"].with_user(user)
                found = Equipment.search([("property_id", "!=", False)])
                self.assertEqual(found, self.lift_a | self.pump_a)
                with self.assertRaises(AccessError):
                    self.pump_b.with_user(user).read(["name"])

    def test_requests_of_another_property_invisible(self):
        request_a = self._stop(self.pump_a, "2026-03-01 00:00:00")
        request_b = self._stop(self.pump_b, "2026-03-01 00:00:00")
        Request = self.env["maintenance.request"].with_user(self.user_technician)
        self.assertEqual(Request.search([("property_id", "!=", False)]), request_a)
        with self.assertRaises(AccessError):
            request_b.with_user(self.user_technician).read(["name"])

    def test_technician_works_requests_of_the_property(self):
        """Not an Odoo administrator, nor maintenance's manager, nor a follower:
        the technician moves any request of their property on."""
        tech = self.user_technician
        self.assertFalse(tech.has_group("maintenance.group_equipment_manager"))
        self.assertFalse(tech.has_group("base.group_system"))
        request = self._stop(self.pump_a, "2026-03-01 00:00:00")
        self.assertNotIn(tech.partner_id, request.message_partner_ids)
        request.with_user(tech).write(
            {"stage_id": self.env.ref("maintenance.stage_1").id}
        )
        self.assertEqual(request.stage_id, self.env.ref("maintenance.stage_1"))
        # but the equipment register is the engineering manager's
        with self.assertRaises(AccessError):
            self.pump_a.with_user(tech).write({"name": "Renamed"})

    def test_director_manages_equipment_of_the_property(self):
        director = self.user_director
        self.assertTrue(director.has_group("maintenance.group_equipment_manager"))
        self.pump_a.with_user(director).write({"serial_no": "SN-1"})
        self.assertEqual(self.pump_a.serial_no, "SN-1")
        # maintenance's manager rule opens everything; the property rule does not
        with self.assertRaises(AccessError):
            self.pump_b.with_user(director).read(["name"])

    def test_maintenance_user_views_still_open(self):
        """A maintenance user outside the property service still has
        maintenance's own screens and the company's own equipment."""
        user = new_test_user(
            self.env,
            "pm_t_maint",
            groups="base.group_user,maintenance.group_equipment_manager",
        )
        office = self.env["maintenance.equipment"].create({"name": "Office printer"})
        for model, views in (
            ("maintenance.equipment", ("list", "form", "kanban", "search")),
            ("maintenance.request", ("list", "form", "kanban", "calendar", "search")),
        ):
            with self.subTest(model=model):
                result = (
                    self.env[model]
                    .with_user(user)
                    .get_views([(False, view) for view in views])
                )
                self.assertEqual(set(result["views"]), set(views))
        found = self.env["maintenance.equipment"].with_user(user).search([])
        self.assertIn(office, found)
        self.assertNotIn(self.pump_a, found)
        action = self.env.ref("maintenance.hr_equipment_action")
        self.assertEqual(action.res_model, "maintenance.equipment")
        request = (
            self.env["maintenance.request"]
            .with_user(user)
            .create({"name": "Printer jam", "equipment_id": office.id})
        )
        self.assertFalse(request.property_id)
