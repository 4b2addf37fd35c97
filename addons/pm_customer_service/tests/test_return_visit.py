# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PmCommon


class TestReturnVisit(PmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit = cls.env["pm.return.visit"].create(
            {
                "property_id": cls.property_a.id,
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "due_date": "2026-03-04",
                "res_model": "pm.unit",
                "res_id": cls.unit_a.id,
            }
        )

    def test_reference_and_source(self):
        self.assertRegex(self.visit.name, r"^RV\d{4}-\d{4}$")
        self.assertEqual(self.visit.source_name, self.unit_a.display_name)
        action = self.visit.action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("pm.unit", self.unit_a.id)
        )

    def test_done_needs_satisfaction(self):
        with self.assertRaisesRegex(UserError, "satisfaction"):
            self.visit.action_done()
        self.assertEqual(self.visit.state, "planned")
        self.visit.write({"satisfaction": "2", "result": "Still leaking"})
        self.visit.action_done()
        self.assertEqual(self.visit.state, "done")
        self.assertTrue(self.visit.done_date)
        self.assertFalse(self.visit.is_satisfied)
        with self.assertRaisesRegex(UserError, "not planned"):
            self.visit.action_done()

    def test_satisfied_levels(self):
        # R-RV-1: very satisfied, satisfied and basically satisfied count as satisfied
        for level, satisfied in (
            ("5", True),
            ("4", True),
            ("3", True),
            ("2", False),
            ("1", False),
        ):
            self.visit.satisfaction = level
            self.assertEqual(self.visit.is_satisfied, satisfied, level)

    def test_overdue(self):
        Visit = self.env["pm.return.visit"]
        with freeze_time("2026-03-04"):
            self.visit.invalidate_recordset(["is_overdue"])
            self.assertFalse(self.visit.is_overdue)
            self.assertNotIn(self.visit, Visit.search([("is_overdue", "=", True)]))
            self.assertIn(self.visit, Visit.search([("is_overdue", "=", False)]))
        with freeze_time("2026-03-05"):
            self.visit.invalidate_recordset(["is_overdue"])
            self.assertTrue(self.visit.is_overdue)
            self.assertIn(self.visit, Visit.search([("is_overdue", "=", True)]))
            self.assertNotIn(self.visit, Visit.search([("is_overdue", "!=", True)]))
            self.visit.action_cancel()
            self.assertNotIn(self.visit, Visit.search([("is_overdue", "=", True)]))
        self.assertEqual(self.visit.due_date, date(2026, 3, 4))

    def test_unit_of_another_property(self):
        with self.assertRaisesRegex(ValidationError, "does not belong to property"):
            self.env["pm.return.visit"].create(
                {"property_id": self.property_a.id, "unit_id": self.unit_b.id}
            )

    def test_access_by_property(self):
        visit_b = self.env["pm.return.visit"].create(
            {"property_id": self.property_b.id}
        )
        Visit = self.env["pm.return.visit"].with_user(self.user_technician)
        self.assertEqual(
            Visit.search([("id", "in", (self.visit | visit_b).ids)]), self.visit
        )
        with self.assertRaises(AccessError):
            visit_b.with_user(self.user_technician).read(["name"])
        # technicians record the return visits of their property
        self.visit.with_user(self.user_technician).write(
            {"satisfaction": "5", "result": "Fine"}
        )
        self.visit.with_user(self.user_technician).action_done()
        self.assertEqual(self.visit.state, "done")
        with self.assertRaises(AccessError):
            self.visit.with_user(self.user_director).unlink()
