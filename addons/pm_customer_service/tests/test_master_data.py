# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import PmCommon


class TestMasterData(PmCommon):
    def test_unit_name_and_property(self):
        self.assertEqual(self.unit_a.name, "PA-1-101")
        self.assertEqual(self.unit_a.property_id, self.property_a)
        self.assertEqual(self.unit_a.company_id, self.company)
        self.building_a.code = "PA-X"
        self.assertEqual(self.unit_a.name, "PA-X-101")

    def _integrity_error(self, vals_list, model="pm.unit"):
        """Create, expect the database to refuse, return the error users would see."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as cm:
            with self.env.cr.savepoint():
                self.env[model].create(vals_list)
        # what a request shows: the message of the model's constraint
        error = cm.exception
        model = next(
            self.env[name]
            for name, cls in self.env.registry.items()
            if cls._table == error.diag.table_name
        )
        return ValidationError(model._sql_error_to_message(error))

    def test_unit_number_unique_per_building(self):
        error = self._integrity_error(
            {"building_id": self.building_a.id, "number": "101", "area": 50}
        )
        self.assertIn("unique within its building", str(error))
        # the same number in another building is fine
        other = self.env["pm.building"].create(
            {"name": "A2", "code": "PA-2", "property_id": self.property_a.id}
        )
        unit = self.env["pm.unit"].create(
            {"building_id": other.id, "number": "101", "area": 50}
        )
        self.assertEqual(unit.name, "PA-2-101")
        # a batch with two equal numbers is refused as a whole
        count = self.env["pm.unit"].search_count([])
        self._integrity_error(
            [
                {"building_id": other.id, "number": "201", "area": 50},
                {"building_id": other.id, "number": "201", "area": 60},
            ]
        )
        self.assertEqual(self.env["pm.unit"].search_count([]), count)

    def test_area_positive(self):
        for area in (0, -12.5):
            with self.assertRaisesRegex(ValidationError, "must be positive"):
                with self.env.cr.savepoint():
                    self.env["pm.unit"].create(
                        {"building_id": self.building_a.id, "number": "9", "area": area}
                    )
        self.assertFalse(self.env["pm.unit"].search([("number", "=", "9")]))
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            with self.env.cr.savepoint():
                self.unit_a.area = -1
        self.assertEqual(self.unit_a.area, 90)

    def test_total_floor_area_positive(self):
        with self.assertRaisesRegex(ValidationError, "total floor area"):
            self.env["pm.property"].create(
                {"name": "Zero", "code": "Z", "total_floor_area": 0}
            )
        with self.assertRaisesRegex(ValidationError, "total floor area"):
            self.property_a.total_floor_area = -100

    @freeze_time("2026-03-01")
    def test_move_in_date_horizon(self):
        # default horizon: 30 days ahead
        self.unit_a.move_in_date = date(2026, 3, 31)
        self.assertEqual(self.unit_a.move_in_date, date(2026, 3, 31))
        with self.assertRaisesRegex(ValidationError, "more than 30 days in the future"):
            self.unit_a.move_in_date = date(2026, 4, 1)
        # past dates are fine, whatever their age
        self.unit_a.move_in_date = date(2001, 1, 1)
        # the horizon is configuration
        self.env["res.config.settings"].create(
            {"pm_move_in_max_future_days": 90}
        ).execute()
        self.unit_a.move_in_date = date(2026, 5, 30)
        with self.assertRaisesRegex(ValidationError, "90 days"):
            self.unit_a.move_in_date = date(2026, 5, 31)

    def test_owner_of_another_company(self):
        foreign = self.env["res.partner"].create(
            {"name": "Foreign Owner", "company_id": self.company_2.id}
        )
        with self.assertRaisesRegex(ValidationError, "Foreign Owner belong to company"):
            with self.env.cr.savepoint():
                self.unit_a.owner_ids = [(4, foreign.id)]
        with self.assertRaisesRegex(ValidationError, "cannot be owner"):
            with self.env.cr.savepoint():
                self.unit_b.tenant_ids = [(4, foreign.id)]
        self.assertFalse(self.unit_a.owner_ids & foreign)
        # a shared partner (no company) may own units anywhere
        self.unit_b.owner_ids = [(4, self.owner.id)]
        self.assertEqual(self.owner.pm_owned_unit_ids, self.unit_a | self.unit_b)
        self.assertTrue(self.owner.pm_is_owner)
        self.assertFalse(self.owner.pm_is_tenant)

    def test_property_counts_and_codes(self):
        self.assertEqual(self.property_a.building_count, 1)
        self.assertEqual(self.property_a.unit_count, 1)
        self.assertEqual(self.property_a.occupied_unit_count, 1)
        self.assertEqual(self.property_b.occupied_unit_count, 0)
        self.assertEqual(self.property_a.display_name, "[PA] Property A")
        error = self._integrity_error(
            {"name": "Dup", "code": "PA", "total_floor_area": 1}, model="pm.property"
        )
        self.assertIn("property code must be unique", str(error))

    def test_director_is_staff(self):
        self.assertIn(self.user_director, self.property_a.user_ids)
        self.assertIn(self.property_a, self.user_director.pm_property_ids)

    def test_team_company_follows_property(self):
        team = self.env["pm.team"].create(
            {
                "name": "Engineering A",
                "team_type": "engineering",
                "property_id": self.property_a.id,
                "leader_id": self.user_agent.id,
                "member_ids": [(6, 0, (self.user_agent | self.user_technician).ids)],
            }
        )
        self.assertEqual(team.company_id, self.company)
        self.assertEqual(team.member_count, 2)

    def test_building_warranty_dates(self):
        with self.assertRaisesRegex(ValidationError, "cannot end before"):
            self.building_a.write(
                {"delivery_date": "2024-01-01", "warranty_end_date": "2023-12-31"}
            )

    def test_demo_property(self):
        prop = self.env.ref(
            "pm_customer_service.pm_property_demo", raise_if_not_found=False
        )
        if not prop:
            self.skipTest("demo data not installed")
        self.assertGreaterEqual(prop.total_floor_area, 60000)
        self.assertEqual(prop.unit_count, 200)
        self.assertEqual(prop.building_count, 4)
        self.assertGreater(prop.occupied_unit_count, 150)
        units = self.env["pm.unit"].search([("property_id", "=", prop.id)])
        self.assertTrue(all(units.mapped("owner_ids")))
        self.assertTrue(units.filtered("tenant_ids"))
        for xmlid in ("agent", "technician", "director", "quality", "manager"):
            user = self.env.ref(f"pm_customer_service.res_users_{xmlid}_demo")
            self.assertTrue(user.has_group(f"pm_base.group_pm_{xmlid}"), xmlid)
