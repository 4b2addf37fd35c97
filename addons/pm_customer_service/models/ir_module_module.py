# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        """Loading a language writes Odoo's account emails in it again, with
        their "Powered by Odoo" row: take it out again."""
        res = super()._update_translations(filter_lang=filter_lang, overwrite=overwrite)
        self.env["mail.template"]._pm_remove_powered_by()
        return res
