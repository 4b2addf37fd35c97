# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent edits of a repair order (issue 27): the save of a form loaded
before the order last changed is refused, on real cursors; and every record of
the workflow guard (cases, orders, visits, reports...) has its version in its
form."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.pm_base.models.pm_edit_version import EDIT_VERSION_KEY
from odoo.addons.pm_base.tests.concurrency import PmConcurrencyCase
from odoo.addons.pm_base.tools.write_guard import GUARD_MIXIN

DEMO = "pm_customer_service."


@tagged("post_install", "-at_install")
class TestRepairEditVersions(PmConcurrencyCase):
    def setUp(self):
        super().setUp()

        def create(env):
            ref = env.ref
            order = (
                env["pm.repair.order"]
                .with_user(ref(DEMO + "res_users_agent_demo"))
                .with_context(mail_notify_force_send=False)
                .create(
                    {
                        "property_id": ref(DEMO + "pm_property_demo").id,
                        "unit_id": ref(DEMO + "pm_unit_demo_lsg-b1_101").id,
                        "category_id": ref("pm_repair.pm_repair_category_water").id,
                        "description": "The kitchen tap drips.",
                    }
                )
            )
            return (
                order.id,
                ref(DEMO + "res_users_agent_demo").id,
                ref(DEMO + "res_users_agent2_demo").id,
            )

        self.order_id, self.agent, self.agent2 = self.transaction(create)
        self.purge_later("pm.repair.order", [self.order_id])

    def save(self, uid, version, **vals):
        def run(env):
            order = (
                env["pm.repair.order"]
                .browse(self.order_id)
                .with_context(
                    **{
                        EDIT_VERSION_KEY: {
                            "model": "pm.repair.order",
                            "id": self.order_id,
                            "version": version,
                        }
                    }
                )
            )
            return order.web_save(vals, {"pm_edit_version": {}})[0]["pm_edit_version"]

        return self.transaction(run, uid=uid)

    def test_stale_save_of_an_order_is_refused(self):
        version = self.transaction(
            lambda env: env["pm.repair.order"].browse(self.order_id).pm_edit_version,
            uid=self.agent2,
        )
        newer = self.save(self.agent, version, description="The kitchen tap leaks.")
        with self.assertRaisesRegex(UserError, "在您打开后已由 李娜 于 .* 修改"):
            self.save(self.agent2, version, description="Tap replaced.")
        description = self.transaction(
            lambda env: env["pm.repair.order"].browse(self.order_id).description
        )
        self.assertEqual(description, "The kitchen tap leaks.")
        # with the version read back, the form saves again
        self.save(self.agent, newer, description="The kitchen tap leaks a lot.")


@tagged("post_install", "-at_install")
class TestEveryGuardedFormHasItsVersion(TransactionCase):
    def test_forms_load_the_version(self):
        models = self.env[GUARD_MIXIN]._pm_guarded_models()
        self.assertIn("pm.case", models)
        self.assertIn("pm.repair.order", models)
        for model in models:
            with self.subTest(model=model):
                views = self.env[model].get_views([(False, "form")])
                self.assertIn('name="pm_edit_version"', views["views"]["form"]["arch"])
                self.assertIn("pm_edit_version", views["models"][model]["fields"])
