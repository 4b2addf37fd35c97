# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from ..tools import settings


class ResConfigSettings(models.TransientModel):
    """The product's numeric settings (``tools.settings.field``) keep a 0 saved
    on the Settings page. Odoo removes a number parameter saved as 0, which
    brings the setting's default back: a reminder of 0 hours, or no sample
    calls, would silently be 4 hours and 3 calls again."""

    _inherit = "res.config.settings"

    def set_values(self):
        res = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for name, field in self._fields.items():
            spec = settings.SETTINGS.get(getattr(field, "config_parameter", None))
            if (
                spec
                and not spec.positive
                and spec.default
                and field.type in ("integer", "float")
                and self[name] == 0
            ):
                params.set_param(field.config_parameter, "0")
        return res
