# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-RATE-1 written once: every model showing rates groups them through pm_base's
one rate mixin, and every "—" comes from pm_base's one rate tool."""

from importlib.util import find_spec

from odoo.tests import TransactionCase, tagged

from odoo.addons.pm_base.tools import rates
from odoo.addons.pm_base.tools import xlsx as xlsx_tools
from odoo.addons.pm_customer_service.models import quality_rules

from ..models import survey_rules


@tagged("post_install", "-at_install")
class TestOneRate(TransactionCase):
    def test_models_share_the_pm_base_mixin(self):
        mixin = self.env.registry["pm.rate.mixin"]
        self.assertEqual(mixin._original_module, "pm_base")
        for model in (
            "pm.case",
            "pm.kpi.board",
            "pm.survey.campaign",
            "pm.survey.campaign.item",
        ):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertIsInstance(Model, mixin)
                self.assertTrue(Model._pm_rates)
                for name, parts in Model._pm_rates.items():
                    self.assertEqual(Model._fields[name].type, "float")
                    for spec in parts:
                        self.assertIn(spec.split(":")[0], Model._fields)

    def test_old_definitions_are_gone(self):
        self.assertNotIn("pm.survey.ratio.mixin", self.env)
        for module in (
            "odoo.addons.pm_customer_service.models.pm_rate_mixin",
            "odoo.addons.pm_survey.models.pm_survey_ratio_mixin",
        ):
            self.assertIsNone(find_spec(module), module)
        for name in ("rate", "meets_target", "COMPARISONS"):
            self.assertFalse(hasattr(quality_rules, name), name)
        self.assertFalse(hasattr(survey_rules, "format_rate"))
        # what the survey rules and spreadsheets use is pm_base's
        self.assertIs(survey_rules.rate, rates.rate)
        self.assertIs(survey_rules.NO_RATE, rates.NO_RATE)
        self.assertIs(xlsx_tools.NO_RATE, rates.NO_RATE)
