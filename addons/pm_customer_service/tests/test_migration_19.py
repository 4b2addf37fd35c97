# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""From 18.0 to 19.0: what Odoo 19 dropped under the product's data is carried
over by the addons' migration scripts, run here on the shape an 18.0 database
has (the column or value 18.0 wrote), as Odoo runs them on the update."""

from odoo.modules.module import load_script
from odoo.tests import TransactionCase
from odoo.tools import sql


def migration(addon):
    return load_script(
        f"{addon}/migrations/19.0.1.0.0/pre-migration.py",
        f"{addon}_migration_19_0_1_0_0",
    )


class TestMigration19(TransactionCase):
    def test_mobile_numbers_become_phones(self):
        """Owners and QR visitors reached on their mobile keep that number."""
        cr = self.env.cr
        Partner = self.env["res.partner"]
        only_mobile = Partner.create({"name": "王伟"})
        both = Partner.create({"name": "李娜", "phone": "0571 8888 1001"})
        neither = Partner.create({"name": "张敏"})
        # the column an 18.0 database has, with what 18.0 wrote into it
        self.assertFalse(sql.column_exists(cr, "res_partner", "mobile"))
        cr.execute("ALTER TABLE res_partner ADD COLUMN mobile varchar")
        cr.execute(
            "UPDATE res_partner SET mobile = %s WHERE id = %s",
            ("138 0000 1001", only_mobile.id),
        )
        cr.execute(
            "UPDATE res_partner SET mobile = %s WHERE id = %s",
            ("138 0000 2001", both.id),
        )
        migration("pm_base").migrate(cr, "18.0.1.1.0")
        (only_mobile | both | neither).invalidate_recordset(["phone"])
        self.assertEqual(only_mobile.phone, "138 0000 1001")
        # a landline already there stays the number staff call
        self.assertEqual(both.phone, "0571 8888 1001")
        self.assertFalse(neither.phone)

    def test_without_the_column_nothing_happens(self):
        """Odoo's own upgrade may already have moved the column away."""
        self.assertFalse(sql.column_exists(self.env.cr, "res_partner", "mobile"))
        migration("pm_base").migrate(self.env.cr, "18.0.1.1.0")

    def test_zh_cn_time_format_is_one_19_accepts(self):
        cr = self.env.cr
        lang = self.env["res.lang"].with_context(active_test=False)._lang_get("zh_CN")
        self.assertTrue(lang)
        cr.execute("UPDATE res_lang SET time_format = '%H:%M' WHERE code = 'zh_CN'")
        cr.execute(
            "UPDATE res_lang SET time_format = '%I:%M:%S %p' WHERE code = 'en_US'"
        )
        migration("pm_customer_service").migrate(cr, "18.0.2.0.1")
        cr.execute(
            "SELECT code, time_format FROM res_lang WHERE code IN %s",
            [("zh_CN", "en_US")],
        )
        self.assertEqual(
            dict(cr.fetchall()), {"zh_CN": "%H:%M:%S", "en_US": "%I:%M:%S %p"}
        )
