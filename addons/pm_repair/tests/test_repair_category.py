# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.pm_customer_service.tests.common import SharedFieldsCase

from ..models.pm_repair_category import PmRepairCategory


class TestRepairCategory(TransactionCase):
    def test_categories_of_the_sop(self):
        codes = set(self.env["pm.repair.category"].search([]).mapped("code"))
        # R-REP-1 lists these kinds of repair
        self.assertLessEqual(
            {
                "water",
                "electricity",
                "civil",
                "doors_windows",
                "leakage",
                "drains",
                "concealed",
                "appliances",
                "public",
            },
            codes,
        )
        leakage = self.env.ref("pm_repair.pm_repair_category_leakage")
        self.assertFalse(leakage.paid_in_unit)
        self.assertEqual(leakage.team_type, "engineering")

    def test_code_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["pm.repair.category"].create(
                    {"name": "Water 2", "code": "water"}
                )

    @tagged("security")
    def test_access(self):
        tech = new_test_user(
            self.env, "pm_r_tech", groups="pm_base.group_pm_technician"
        )
        category = self.env.ref("pm_repair.pm_repair_category_water").with_user(tech)
        self.assertEqual(category.code, "water")
        with self.assertRaises(AccessError):
            category.name = "Changed"
        manager = new_test_user(
            self.env, "pm_r_manager", groups="pm_base.group_pm_manager"
        )
        new = (
            self.env["pm.repair.category"]
            .with_user(manager)
            .create({"name": "Lifts", "code": "lift"})
        )
        self.assertTrue(new.paid_in_unit)


@tagged("post_install", "-at_install")
class TestRepairCategorySharedFields(SharedFieldsCase):
    def test_categories_are_catalog_entries(self):
        self.assertCatalogEntries(PmRepairCategory)
