# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Databases of the previous version get the quote email with the link to the
order's page (the template is kept by updates otherwise)."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

MIGRATIONS = Path(__file__).parent.parent / "migrations"
SCRIPTS = MIGRATIONS / "18.0.1.1.1"
OLD_BODY = (
    "<div><p>Work starts once you accept this quote. Please tell the service "
    "centre or the technician.</p></div>"
)


def load_script(name, folder=SCRIPTS):
    spec = importlib.util.spec_from_file_location(
        f"pm_repair_migration_{folder.name}_{name}", folder / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestRepairMigration(TransactionCase):
    def _xmlid(self):
        return self.env["ir.model.data"].search(
            [("module", "=", "pm_repair"), ("name", "=", "mail_template_repair_quote")]
        )

    def _update(self):
        # an update keeps the template (noupdate), then the migration runs
        convert_file(
            self.env, "pm_repair", "data/mail_template_data.xml", {}, mode="update"
        )
        load_script("post-migration").migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()

    def test_old_quote_template_gets_the_link(self):
        template = self.env.ref("pm_repair.mail_template_repair_quote")
        template.with_context(lang="en_US").body_html = OLD_BODY
        if self.env["res.lang"]._lang_get("zh_CN"):
            template.with_context(lang="zh_CN").body_html = "<div>请告知服务中心</div>"
        warranty = self.env.ref("pm_repair.mail_template_repair_warranty")
        warranty.body_html = "<div>Our own warranty text</div>"
        self._update()
        body = template.with_context(lang="en_US").body_html
        self.assertIn("Accept or refuse the quote", body)
        self.assertIn("get_portal_url()", body)
        self.assertIn("Our own warranty text", warranty.body_html)
        self.assertTrue(self._xmlid().noupdate)
        if self.env["res.lang"]._lang_get("zh_CN"):
            self.assertIn(
                "确认或拒绝报价", template.with_context(lang="zh_CN").body_html
            )

    def test_customised_template_is_kept(self):
        template = self.env.ref("pm_repair.mail_template_repair_quote")
        custom = "<div><p>Call us at 8888 0000 to accept.</p></div>"
        template.with_context(lang="en_US").body_html = custom
        self._update()
        self.assertIn("Call us at 8888 0000", template.body_html)
        self.assertTrue(self._xmlid().noupdate)


@tagged("post_install", "-at_install")
class TestRepairThreadMigration(TransactionCase):
    """18.0.1.2.0: cases whose repair order was finished before the update stop
    escalating (R-THREAD-1); their stages stay where staff left them."""

    def test_finished_orders_stop_their_cases_escalation(self):
        case = self.env["pm.case"].search(
            [("state", "=", "received"), ("validity", "=", "valid")], limit=1
        )
        prop = case.property_id
        order = self.env["pm.repair.order"].create(
            {
                "property_id": prop.id,
                "location_type": "common",
                "location": "Lobby",
                "category_id": self.env.ref("pm_repair.pm_repair_category_public").id,
                "description": "Lobby light out.",
            }
        )
        # linked and finished by the previous version, which did not follow it
        self.env.cr.execute(
            "UPDATE pm_repair_order SET case_id = %s, state = 'done' " "WHERE id = %s",
            [case.id, order.id],
        )
        self.env.cr.execute(
            "UPDATE pm_case SET request_type = 'repair', "
            "acknowledged_date = now(), escalation_next_date = now() WHERE id = %s",
            [case.id],
        )
        self.env.invalidate_all()
        load_script("post-migration", MIGRATIONS / "18.0.1.2.0").migrate(
            self.env.cr, "18.0.1.1.1"
        )
        self.assertFalse(case.escalation_next_date)
        self.assertEqual(case.state, "received")
