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
    pm_visit_interval_months = fields.Integer(
        string="Visit Every (months)",
        config_parameter="pm_customer_service.visit_interval_months",
        default=3,
        help="Each occupied unit is visited at least this often.",
    )
    pm_new_owner_visit_months = fields.Integer(
        string="New Owners Visited Within (months)",
        config_parameter="pm_customer_service.new_owner_visit_months",
        default=1,
    )
    pm_director_monthly_visits = fields.Integer(
        string="Director's Visits per Month",
        config_parameter="pm_customer_service.director_monthly_visits",
        default=2,
    )
