# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every addon ships a .pot in sync with its code and a complete zh_CN.po."""

import io
import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

# the product's addons, as scripts/_env.sh lists them
ADDONS = tuple(os.environ["PM_ADDONS"].split(","))
ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "addons")


@tagged("standard", "at_install")
class TestI18n(TransactionCase):
    def _po(self, addon, name):
        return polib.pofile(os.path.join(ADDONS_DIR, addon, "i18n", name))

    def test_zh_cn_complete(self):
        for addon in ADDONS:
            pot = {e.msgid for e in self._po(addon, f"{addon}.pot")}
            zh = self._po(addon, "zh_CN.po")
            translated = {e.msgid for e in zh if e.msgstr and not e.obsolete}
            self.assertEqual(pot - translated, set(), f"{addon}: untranslated")
            self.assertFalse([e.msgid for e in zh if "fuzzy" in e.flags], addon)

    def test_pot_matches_code(self):
        for addon in ADDONS:
            buf = io.BytesIO()
            trans_export(False, [addon], buf, "po", self.env)
            exported = {e.msgid for e in polib.pofile(buf.getvalue().decode())}
            shipped = {e.msgid for e in self._po(addon, f"{addon}.pot")}
            hint = "run scripts/i18n and translate the new strings"
            self.assertEqual(
                exported - shipped, set(), f"{addon}: .pot misses strings; {hint}"
            )
            self.assertEqual(
                shipped - exported, set(), f"{addon}: .pot has stale strings; {hint}"
            )
