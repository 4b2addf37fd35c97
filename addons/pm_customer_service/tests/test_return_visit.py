# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import PmCaseCommon, PmCommon


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


class TestPhoneReturnVisit(PmCaseCommon):
    """A phone return visit shows whom to call and what it is about, in its list
    and its form."""

    def _visits(self, cases):
        return cases._pm_create_return_visit(method="phone", due_date="2026-03-04")

    def _read(self, visits, user):
        visits.invalidate_recordset()
        return {
            row["id"]: row
            for row in visits.with_user(user).read(
                ["partner_phone", "summary", "source_name"]
            )
        }

    def test_phone_and_summary(self):
        self.owner.phone = "0571-8888 1234"
        with_owner = self._create_case(subject="Leaking tap")
        by_phone = self._create_case(
            subject="Noisy pump",
            partner_id=False,
            contact_name="Mr Zhao",
            contact_method="phone",
            contact_info="139 0000 1111",
        )
        visits = self._visits(with_owner | by_phone)
        rows = self._read(visits, self.user_agent)
        first, second = rows[visits[0].id], rows[visits[1].id]
        self.assertEqual(first["partner_phone"], "0571-8888 1234")
        self.assertEqual(first["summary"], "Leaking tap")
        self.assertEqual(first["source_name"], with_owner.display_name)
        self.assertEqual(second["partner_phone"], "139 0000 1111")
        self.assertEqual(second["summary"], "Noisy pump")
        # the owner's phone (a mobile number)
        self.owner.write({"phone": "138 0000 2222"})
        self.assertEqual(
            self._read(visits[0], self.user_agent)[visits[0].id]["partner_phone"],
            "138 0000 2222",
        )

    def test_list_shows_them(self):
        arch = (
            self.env["pm.return.visit"]
            .with_user(self.user_agent)
            .get_views([(False, "list"), (False, "form")])["views"]
        )
        for view in ("list", "form"):
            self.assertIn('name="partner_phone"', arch[view]["arch"], view)
            self.assertIn('name="summary"', arch[view]["arch"], view)
        # the Chinese column title and date (应回访日期, 2026年12月10日) fit
        self.assertRegex(arch["list"]["arch"], r'name="due_date"[^>]*width="1\d\dpx"')

    def test_list_reads_sources_once(self):
        """A page of visits reads each source model once, not each visit."""
        cases = self.Case.create(
            [self._case_vals(subject=f"Case {n}") for n in range(8)]
        )
        visits = self._visits(cases)
        self._read(visits, self.user_agent)  # access rules and caches warm
        counts = []
        for page in (visits[:2], visits):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._read(page, self.user_agent)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
