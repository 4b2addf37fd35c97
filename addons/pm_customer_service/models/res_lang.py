# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Times read as people write them in China: 09:30:00, never 09时30分00秒 (the
# zh_CN locale's pattern). Odoo 19 accepts only times with seconds here; the
# screens drop the seconds themselves and our reports, emails and portal pages
# write times with pm_base's clock (09:30).
ZH_CN_TIME_FORMATS = {"time_format": "%H:%M:%S"}


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _pm_natural_zh_cn_times(self):
        """Show times as 09:30:00 in zh_CN, not as the locale's 09时30分00秒."""
        lang = self.with_context(active_test=False).search([("code", "=", "zh_CN")])
        lang.write(ZH_CN_TIME_FORMATS)

    @api.model
    def _pm_demo_lang(self):
        """The language the demo records are written in: zh_CN when installed."""
        return "zh_CN" if self._lang_get("zh_CN") else self.env.lang

    @api.model
    def _pm_demo_chinese_first(self, module_name):
        """Demo data of our users is Chinese: make sure zh_CN is there and that the
        module's own terms are loaded before its demo records, so that the emails,
        notes and copied questionnaires those records produce are Chinese.

        Odoo loads a module's translations only after its demo data; on a database
        created without zh_CN the language is installed here first.
        """
        lang = self.with_context(active_test=False).search([("code", "=", "zh_CN")])
        if not lang.active:
            self.env["base.language.install"].create(
                {"lang_ids": [(6, 0, lang.ids)]}
            ).lang_install()
        self._pm_natural_zh_cn_times()
        self.env["ir.module.module"].search(
            [("name", "=", module_name)]
        )._update_translations(filter_lang=["zh_CN"])
        return True
