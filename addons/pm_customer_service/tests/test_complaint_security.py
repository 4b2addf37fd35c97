# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PmCaseCommon


@tagged("security")
@freeze_time("2026-03-02 02:00:00")
class TestComplaintSecurity(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_a = cls.env["pm.case"].create(cls._vals(cls.property_a, cls.unit_a))
        cls.case_b = cls.env["pm.case"].create(cls._vals(cls.property_b, cls.unit_b))

    @classmethod
    def _vals(cls, prop, unit):
        return {
            "subject": "Noise",
            "description": "Noise at night.",
            "property_id": prop.id,
            "unit_id": unit.id,
        }

    def test_agent_sees_only_assigned_property(self):
        self._assert_agent_reads_property_a_only(self.case_a, self.case_b)
        Case = self.env["pm.case"].with_user(self.user_agent)
        with self.assertRaises(AccessError):
            Case.create(self._vals(self.property_b, self.unit_b))
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.user_agent).unlink()

    def test_technician_cannot_create(self):
        with self.assertRaises(AccessError):
            self.env["pm.case"].with_user(self.user_technician).create(
                self._vals(self.property_a, self.unit_a)
            )
        self.case_a.with_user(self.user_technician).write({"location": "Bathroom"})
        self.assertEqual(self.case_a.location, "Bathroom")

    def test_quality_sees_all_and_configuration_is_managed(self):
        cases = self.env["pm.case"].with_user(self.user_quality).search([])
        self.assertIn(self.case_b, cases)
        policy = self.env.ref("pm_customer_service.pm_sla_policy_default")
        with self.assertRaises(AccessError):
            policy.with_user(self.user_quality).write({"resolve_hours": 10})
        policy.with_user(self.user_manager).write({"resolve_hours": 60})
        self.assertEqual(policy.resolve_hours, 60)

    def test_other_company(self):
        user = self._company_2_user("pm_t_quality_c2", "quality")
        self.assertFalse(
            self.env["pm.case"].with_user(user).search([("id", "=", self.case_a.id)])
        )
