# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _pm_home_actions(self):
        """R-LAND-1: a technician lands on their own orders, today's first."""
        return [
            *super()._pm_home_actions(),
            (
                "pm_base.group_pm_technician",
                "pm_repair.pm_repair_order_my_action",
            ),
        ]
