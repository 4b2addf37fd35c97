# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_survey_quota_area_threshold = fields.Float(
        string="Large Property Threshold (m²)",
        config_parameter="pm_survey.quota_area_threshold",
        default=50000,
    )
    pm_survey_quota_rate_small = fields.Float(
        string="Forms Below the Threshold (%)",
        config_parameter="pm_survey.quota_rate_small",
        default=98,
    )
    pm_survey_quota_rate_large = fields.Float(
        string="Forms At or Above the Threshold (%)",
        config_parameter="pm_survey.quota_rate_large",
        default=90,
    )
    pm_survey_window_min_days = fields.Integer(
        string="Shortest Collection Window (days)",
        config_parameter="pm_survey.window_min_days",
        default=10,
    )
    pm_survey_window_max_days = fields.Integer(
        string="Longest Collection Window (days)",
        config_parameter="pm_survey.window_max_days",
        default=15,
    )
    pm_survey_visit_hour_from = fields.Float(
        string="Visits From", config_parameter="pm_survey.visit_hour_from", default=9
    )
    pm_survey_visit_hour_to = fields.Float(
        string="Visits Until", config_parameter="pm_survey.visit_hour_to", default=20
    )
    pm_survey_recovery_min_rate = fields.Float(
        string="Minimum Recovery Rate (%)",
        config_parameter="pm_survey.recovery_min_rate",
        default=30,
    )
