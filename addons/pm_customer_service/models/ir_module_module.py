# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        res = super()._update_translations(filter_lang=filter_lang, overwrite=overwrite)
        self.env["ir.model.fields.selection"]._pm_fill_selection_translations()
        return res
