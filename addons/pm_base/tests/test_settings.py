# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings are read in one place, typed, with their defaults written once."""

import os
import re

from lxml import etree

from odoo.tests import BaseCase, TransactionCase

from odoo.addons.pm_base.tools import settings

from .kernel_sources import addon_root, product_files

GET_PARAM_RE = re.compile(r"\bget_param\s*\(")


class FakeParams:
    """``env["ir.config_parameter"]`` with fixed values."""

    def __init__(self, values):
        self.values = values
        self.asked = []

    def sudo(self):
        return self

    def get_param(self, key, default=False):
        self.asked.append(key)
        return self.values.get(key, default)


class TestSettings(BaseCase):
    def get(self, key, raw):
        params = FakeParams({} if raw is None else {key: raw})
        value = settings.get({"ir.config_parameter": params}, key)
        self.assertEqual(params.asked, [key])
        return value

    def test_typed_values_and_fallbacks(self):
        key = "pm_customer_service.reminder_hours"
        self.assertEqual(self.get(key, "6"), 6)
        self.assertIsInstance(self.get(key, "6"), int)
        self.assertEqual(self.get(key, "0"), 0, "zero is a value (no reminder)")
        for raw in (None, "", "six", "6.5"):
            self.assertEqual(self.get(key, raw), 4, raw)
        target = "pm_repair.target_dispatch"
        self.assertEqual(self.get(target, "2.5"), 2.5)
        self.assertIsInstance(self.get(target, "3"), float)
        self.assertEqual(self.get(target, "soon"), 2.0)

    def test_positive_and_floor(self):
        pixels = "pm_customer_service.image_max_side_px"
        self.assertEqual(self.get(pixels, "800"), 800.0)
        self.assertEqual(self.get(pixels, "0"), 1920.0)
        self.assertEqual(self.get(pixels, "-5"), 1920.0)
        # R-KEEP-1: never below two years, whatever the setting says
        years = "pm_customer_service.retention_years"
        self.assertEqual(self.get(years, "1"), 2)
        self.assertEqual(self.get(years, "5"), 5)

    def test_unknown_key_refused(self):
        with self.assertRaises(KeyError):
            settings.get({"ir.config_parameter": FakeParams({})}, "pm_x.nothing")

    def test_data_files_agree_with_the_defaults(self):
        """The parameters the data files create hold the registry's defaults, and
        every parameter they create is a known setting."""
        root = addon_root()
        seen = set()
        for addon in ("pm_customer_service", "pm_survey", "pm_repair"):
            data = os.path.join(root, addon, "data")
            for name in sorted(os.listdir(data)):
                if not name.endswith(".xml"):
                    continue
                tree = etree.parse(os.path.join(data, name))
                for record in tree.iterfind(".//record[@model='ir.config_parameter']"):
                    key = record.findtext("field[@name='key']")
                    value = record.findtext("field[@name='value']")
                    self.assertIn(key, settings.SETTINGS, f"{name}: {key}")
                    self.assertEqual(
                        settings.parse(key, value), settings.default(key), key
                    )
                    seen.add(key)
        self.assertGreaterEqual(len(seen), 30)
        self.assertIn("pm_customer_service.director_monthly_visits", seen)
        self.assertIn("pm_repair.target_dispatch", seen)
        self.assertIn("pm_survey.quota_rate_small", seen)

    def test_settings_page_defaults_from_the_registry(self):
        """The Settings page's fields take their defaults from the registry: no
        number of their own."""
        files = product_files()
        pages = {
            path: text
            for path, text in files.items()
            if path.endswith("res_config_settings.py")
        }
        self.assertEqual(len(pages), 3)
        prefixes = {"CS": settings.CS, "REPAIR": settings.REPAIR}
        prefixes["SURVEY"] = settings.SURVEY
        for path, text in pages.items():
            keys = re.findall(r'config_parameter="(pm_[a-z_]+\.[a-z_]+)"', text)
            for key in keys:
                self.assertIn(key, settings.SETTINGS, path)
                self.assertIn(f'default=settings.default("{key}")', text, key)
            # or the field made by the registry from the key
            made = re.findall(r'settings\.field\(\s*([A-Z]+) \+ "([a-z_]+)"', text)
            for prefix, name in made:
                self.assertIn(prefixes[prefix] + name, settings.SETTINGS, path)
            self.assertTrue(keys or made, path)
            self.assertNotRegex(text, r"default=[0-9]", path)

    def test_one_get_param(self):
        """The product reads ``ir.config_parameter`` in one place."""
        calls = {
            path: len(GET_PARAM_RE.findall(text))
            for path, text in product_files().items()
            if GET_PARAM_RE.search(text)
        }
        self.assertEqual(calls, {os.path.join("pm_base", "tools", "settings.py"): 1})


class TestSettingsPage(TransactionCase):
    def test_page_fields_from_the_registry(self):
        """Each field of the Settings page bound to a known setting shows the
        registry's default and a number of the setting's kind."""
        Page = self.env["res.config.settings"]
        bound = {
            field.config_parameter: field
            for field in Page._fields.values()
            if getattr(field, "config_parameter", None) in settings.SETTINGS
        }
        self.assertGreaterEqual(len(bound), 25)
        for key in (
            "pm_customer_service.retention_years",
            "pm_survey.window_max_days",
            "pm_repair.target_dispatch",
        ):
            self.assertIn(key, bound)
        for key, field in bound.items():
            with self.subTest(key=key):
                self.assertEqual(field.default(Page), settings.default(key))
                self.assertIn(field.type, ("integer", "float"))
                if settings.SETTINGS[key].type is int:
                    self.assertEqual(field.type, "integer")
        recovery = bound["pm_survey.recovery_min_rate"]
        self.assertEqual(recovery.default(Page), 30.0)
        self.assertEqual(recovery.type, "float")
        # the page shows the collection window in whole days
        window = Page._fields["pm_survey_window_min_days"]
        self.assertEqual(window.type, "integer")
