# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_move_in_max_future_days = fields.Integer(
        string="Move-in Date Horizon (days)",
        config_parameter="pm_customer_service.move_in_max_future_days",
        default=30,
        help="How many days ahead a unit's move-in date may be recorded.",
    )
