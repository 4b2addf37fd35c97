# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    pm_property_ids = fields.Many2many(
        "pm.property",
        "pm_property_res_users_rel",
        "user_id",
        "property_id",
        string="Assigned Properties",
        help="Properties this user works on; record rules limit staff to them.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "pm_property_ids" in vals:
            self.env.registry.clear_cache()
        return res
