# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rule ids (R-…) belong to code comments, docstrings and tests: no text a user
reads shows one (emails, tooltips, settings, portal pages, reports, selections,
error messages, in English and in Chinese)."""

import io
import os
import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

# the product's addons (scripts/_env.sh), pm_base aside: it shows nothing of its own
ADDONS = tuple(a for a in os.environ["PM_ADDONS"].split(",") if a != "pm_base")
ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "addons")
RULE_ID = re.compile(r"\bR-[A-Z]+-?\w*")
# a technical model name shown as such (pm.case, res.users)
MODEL_NAME = re.compile(r"\b(pm|res|ir|mail)\.[a-z_]+(\.[a-z_]+)*\b")


@tagged("standard", "at_install")
class TestUserTexts(TransactionCase):
    def _rule_ids(self, entries):
        return sorted(
            f"{entry.occurrences[:1]}: {text[:120]!r}"
            for entry in entries
            for text in (entry.msgid, entry.msgstr)
            if RULE_ID.search(text or "")
        )

    def test_no_rule_id_in_translatable_texts(self):
        # everything a user can read goes through the translation export: field
        # strings and help, selections, views, QWeb pages and reports, mail
        # templates, messages of the code; in the source and in Chinese
        self.env["res.lang"]._activate_lang("zh_CN")
        for addon in ADDONS:
            buf = io.BytesIO()
            trans_export("zh_CN", [addon], buf, "po", self.env)
            exported = polib.pofile(buf.getvalue().decode())
            self.assertGreater(len(exported), 50, addon)
            self.assertEqual(self._rule_ids(exported), [], addon)
            shipped = polib.pofile(os.path.join(ADDONS_DIR, addon, "i18n", "zh_CN.po"))
            self.assertEqual(
                self._rule_ids(e for e in shipped if not e.obsolete), [], addon
            )

    def test_no_model_name_in_translatable_texts(self):
        # people read "报事", never "pm.case" (QWeb attributes and code
        # expressions in templates are no text)
        self.env["res.lang"]._activate_lang("zh_CN")
        for addon in ADDONS:
            shipped = polib.pofile(os.path.join(ADDONS_DIR, addon, "i18n", "zh_CN.po"))
            found = sorted(
                f"{entry.occurrences[:1]}: {entry.msgstr[:120]!r}"
                for entry in shipped
                if not entry.obsolete
                and MODEL_NAME.search(re.sub(r"<[^>]*>|\{\{.*?\}\}", "", entry.msgstr))
            )
            self.assertEqual(found, [], addon)

    def test_no_rule_id_in_mail_templates(self):
        # what the database holds (noupdate records included), in every language
        templates = self.env["mail.template"].search(
            [("model_id.model", "=like", "pm.%")]
        )
        self.assertTrue(templates)
        for lang in ("en_US", "zh_CN"):
            for template in templates.with_context(lang=lang):
                for fname in ("subject", "body_html", "description", "name"):
                    self.assertFalse(
                        RULE_ID.search(str(template[fname] or "")),
                        f"{template.name} {fname} ({lang})",
                    )

    def test_model_name_pattern(self):
        for text in ("pm.case", "升级 pm.repair.order", "res.users"):
            self.assertTrue(MODEL_NAME.search(text), text)
        for text in ("报事", "www.example.com", "CS2612-00001", "pm_owner"):
            self.assertFalse(MODEL_NAME.search(text), text)

    def test_pattern(self):
        for text in ("(R-ESC-1)", "R-REP-RV", "R-SLA-1..5", "（R-SUR-6）"):
            self.assertTrue(RULE_ID.search(text), text)
        for text in ("CS2601-00001", "HR-dept", "R-", "r-esc-1"):
            self.assertFalse(RULE_ID.search(text), text)
