# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# who sees every property of their companies, not only those they are assigned to
ALL_PROPERTIES_GROUP = "pm_base.group_pm_quality"


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
    # the one set every record rule of the product filters on: the assigned
    # properties, or all of the companies' for the quality department and managers
    pm_visible_property_ids = fields.Many2many(
        "pm.property",
        string="Visible Properties",
        compute="_compute_pm_visible_property_ids",
    )

    @api.depends("pm_property_ids", "company_ids", "group_ids")
    def _compute_pm_visible_property_ids(self):
        Property = self.env["pm.property"].sudo().with_context(active_test=False)
        for user in self:
            if user.has_group(ALL_PROPERTIES_GROUP):
                user.pm_visible_property_ids = Property.search(
                    [("company_id", "in", user.company_ids.ids)]
                )
            else:
                user.pm_visible_property_ids = user.pm_property_ids

    def write(self, vals):
        res = super().write(vals)
        if "pm_property_ids" in vals:
            self.env.registry.clear_cache()
        return res
