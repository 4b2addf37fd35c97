# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError

from .common import PmCommon


class TestTranslation(PmCommon):
    """zh_CN is loaded with the module (scripts load it at install time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env_zh = cls._chinese_env()

    def test_menu_and_models_in_chinese(self):
        menu = self.env_zh.ref("pm_customer_service.pm_root_menu")
        self.assertEqual(menu.name, "物业客服")
        fields_zh = self.env_zh["pm.unit"].fields_get(["state", "move_in_date"])
        self.assertEqual(fields_zh["move_in_date"]["string"], "入住日期")
        self.assertIn(("occupied", "已入住"), fields_zh["state"]["selection"])
        group = self.env_zh.ref("pm_base.group_pm_agent")
        self.assertEqual(group.name, "客服助理")

    def test_errors_in_chinese(self):
        unit = self.unit_a.with_env(self.env_zh)
        with self.assertRaisesRegex(ValidationError, "面积必须为正数"):
            unit.area = -5

    def test_english_untouched(self):
        menu = self.env.ref("pm_customer_service.pm_root_menu").with_context(
            lang="en_US"
        )
        self.assertEqual(menu.name, "Property Service")
