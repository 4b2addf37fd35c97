# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shared words are written once (vocabulary) and the addons reach the
kernel's tools by their public names only."""

import re

from odoo.tests import TransactionCase

from odoo.addons.pm_base.tools import vocabulary

from .kernel_sources import product_files

# fields whose selection is a list of the vocabulary
FIELDS = {
    ("pm.case", "request_type"): vocabulary.REQUEST_TYPES,
    ("pm.case", "severity"): vocabulary.SEVERITIES,
    ("pm.case", "satisfaction"): vocabulary.SATISFACTION_LEVELS,
    ("pm.sla.policy", "request_type"): vocabulary.REQUEST_TYPES,
    ("pm.sla.policy", "severity"): vocabulary.SEVERITIES,
    ("pm.dispatch.rule", "request_type"): vocabulary.REQUEST_TYPES,
    ("pm.case.stage", "state"): vocabulary.CASE_STATES,
    ("pm.team", "team_type"): vocabulary.TEAM_TYPES,
    ("pm.return.visit", "method"): vocabulary.RETURN_VISIT_METHODS,
    ("pm.return.visit", "satisfaction"): vocabulary.SATISFACTION_LEVELS,
    ("pm.rectification", "return_visit_result"): vocabulary.SATISFACTION_LEVELS,
    ("pm.survey.item", "team_type"): vocabulary.TEAM_TYPES,
    ("pm.survey.opinion", "team_type"): vocabulary.TEAM_TYPES,
    ("pm.repair.category", "team_type"): vocabulary.TEAM_TYPES,
    ("pm.repair.category", "return_visit_method"): vocabulary.RETURN_VISIT_METHODS,
    ("pm.repair.owner.decision", "channel"): vocabulary.DECISION_CHANNELS,
}
# the modules of another addon an addon may still import (moved by other work)
IMPORT_RE = re.compile(r"^from odoo\.addons\.(pm_[a-z_]+)\.([a-z_.]+) import", re.M)


class TestVocabulary(TransactionCase):
    def test_fields_use_the_vocabulary(self):
        checked = 0
        for (model, name), selection in FIELDS.items():
            if model not in self.env:
                continue
            field = self.env[model]._fields[name]
            self.assertEqual(field.selection, selection, f"{model}.{name}")
            checked += 1
        self.assertGreaterEqual(checked, 11)

    def test_one_satisfaction_scale(self):
        """Survey answers store the return visits' scale under names: each name is
        a level of the one scale, with its label, and "satisfied" means the same."""
        scale = dict(vocabulary.SATISFACTION_LEVELS)
        self.assertEqual(sorted(vocabulary.SURVEY_LEVEL_SCORES.values()), sorted(scale))
        for name, label in vocabulary.SURVEY_LEVELS:
            level = vocabulary.satisfaction_level(name)
            self.assertEqual(label, scale[level])
            self.assertEqual(vocabulary.is_satisfied(name), level in ("5", "4", "3"))
        self.assertEqual(
            [vocabulary.satisfaction_level(n) for n, _l in vocabulary.SURVEY_LEVELS],
            ["5", "4", "3", "2", "1"],
        )
        self.assertEqual(vocabulary.satisfaction_level("4"), "4")
        self.assertIsNone(vocabulary.satisfaction_level("great"))
        self.assertFalse(vocabulary.is_satisfied(None))
        if "survey.question.answer" in self.env:
            field = self.env["survey.question.answer"]._fields["pm_level"]
            self.assertEqual(field.selection, vocabulary.SURVEY_LEVELS)

    def test_addons_import_public_tools_only(self):
        """An addon imports another addon's pure tools from pm_base.tools, never
        from the other addon's models."""
        allowed = {
            # a controller class extended by the repair portal (Odoo's way)
            ("pm_customer_service", "controllers.portal"),
        }
        for path, text in product_files().items():
            addon = path.split("/", 1)[0]
            for other, module in IMPORT_RE.findall(text):
                if other == addon or other == "pm_base" and module == "tools":
                    continue
                if other == "pm_base" and module.startswith("tools."):
                    continue
                self.assertIn((other, module), allowed, f"{path}: {other}.{module}")
