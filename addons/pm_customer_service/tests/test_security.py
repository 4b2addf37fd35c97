# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PmCommon


@tagged("security")
class TestSecurity(PmCommon):
    def test_groups_are_stacked(self):
        self.assertTrue(self.user_manager.has_group("pm_base.group_pm_quality"))
        self.assertTrue(self.user_quality.has_group("pm_base.group_pm_director"))
        self.assertTrue(self.user_director.has_group("pm_base.group_pm_agent"))
        self.assertTrue(self.user_agent.has_group("pm_base.group_pm_technician"))
        self.assertFalse(self.user_technician.has_group("pm_base.group_pm_agent"))

    def test_agent_limited_to_assigned_property(self):
        self._assert_agent_reads_property_a_only(self.unit_a, self.unit_b)
        with self.assertRaises(AccessError):
            self.property_b.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.building_b.with_user(self.user_agent).read(["name"])
        # agents maintain units and owners of their property, not of others
        self.unit_a.with_user(self.user_agent).write({"state": "renovating"})
        with self.assertRaises(AccessError):
            self.env["pm.unit"].with_user(self.user_agent).create(
                {"building_id": self.building_b.id, "number": "301", "area": 80}
            )
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.user_agent).unlink()

    def test_assignment_takes_effect_immediately(self):
        with self.assertRaises(AccessError):
            self.unit_b.with_user(self.user_agent).read(["name"])
        self.property_b.user_ids = [(4, self.user_agent.id)]
        self.unit_b.with_user(self.user_agent).read(["name"])
        self.user_agent.pm_property_ids = [(3, self.property_b.id)]
        with self.assertRaises(AccessError):
            self.unit_b.with_user(self.user_agent).read(["name"])

    def test_technician_reads_only(self):
        self.unit_a.with_user(self.user_technician).read(["name", "owner_ids"])
        with self.assertRaises(AccessError):
            self.unit_a.with_user(self.user_technician).write({"area": 91})
        with self.assertRaises(AccessError):
            self.unit_b.with_user(self.user_technician).read(["name"])

    def test_director_sees_own_property(self):
        props = self.env["pm.property"].with_user(self.user_director).search([])
        self.assertIn(self.property_a, props)
        self.assertNotIn(self.property_b, props)
        self.property_a.with_user(self.user_director).write({"total_floor_area": 46000})
        with self.assertRaises(AccessError):
            self.env["pm.property"].with_user(self.user_director).create(
                {"name": "New", "code": "NEW", "total_floor_area": 10}
            )

    def test_quality_sees_all_properties_read_only(self):
        Unit = self.env["pm.unit"].with_user(self.user_quality)
        self.assertIn(self.unit_b, Unit.search([]))
        self.assertIn(self.unit_a, Unit.search([]))
        with self.assertRaises(AccessError):
            self.property_b.with_user(self.user_quality).unlink()

    def test_manager_full_access(self):
        prop = (
            self.env["pm.property"]
            .with_user(self.user_manager)
            .create({"name": "New", "code": "NEW", "total_floor_area": 10})
        )
        self.assertEqual(prop.create_uid, self.user_manager)
        prop.unlink()
        self.assertFalse(prop.exists())

    def test_multi_company(self):
        prop_c2 = self.env["pm.property"].create(
            {
                "name": "Company 2 Property",
                "code": "C2",
                "total_floor_area": 1000,
                "company_id": self.company_2.id,
            }
        )
        # even a manager does not see another company's property without access to it
        Prop = self.env["pm.property"].with_user(self.user_manager)
        self.assertNotIn(prop_c2, Prop.search([]))
        manager_2 = self._company_2_user("pm_t_manager2", "manager")
        self.assertEqual(
            self.env["pm.property"].with_user(manager_2).search([]), prop_c2
        )

    def test_no_group_no_access(self):
        user = new_test_user(self.env, "pm_t_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["pm.unit"].with_user(user).search([])
        portal = new_test_user(self.env, "pm_t_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.unit_a.with_user(portal).read(["name"])
