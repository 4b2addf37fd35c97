# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.pm_base.tools import settings


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_survey_quota_area_threshold = fields.Float(
        string="Large Property Threshold (m²)",
        config_parameter="pm_survey.quota_area_threshold",
        default=settings.default("pm_survey.quota_area_threshold"),
    )
    pm_survey_quota_rate_small = fields.Float(
        string="Forms Below the Threshold (%)",
        config_parameter="pm_survey.quota_rate_small",
        default=settings.default("pm_survey.quota_rate_small"),
    )
    pm_survey_quota_rate_large = fields.Float(
        string="Forms At or Above the Threshold (%)",
        config_parameter="pm_survey.quota_rate_large",
        default=settings.default("pm_survey.quota_rate_large"),
    )
    pm_survey_window_min_days = fields.Integer(
        string="Shortest Collection Window (days)",
        config_parameter="pm_survey.window_min_days",
        default=settings.default("pm_survey.window_min_days"),
    )
    pm_survey_window_max_days = fields.Integer(
        string="Longest Collection Window (days)",
        config_parameter="pm_survey.window_max_days",
        default=settings.default("pm_survey.window_max_days"),
    )
    pm_survey_visit_hour_from = fields.Float(
        string="Visits From",
        config_parameter="pm_survey.visit_hour_from",
        default=settings.default("pm_survey.visit_hour_from"),
    )
    pm_survey_visit_hour_to = fields.Float(
        string="Visits Until",
        config_parameter="pm_survey.visit_hour_to",
        default=settings.default("pm_survey.visit_hour_to"),
    )
    pm_survey_recovery_min_rate = fields.Float(
        string="Minimum Recovery Rate (%)",
        config_parameter="pm_survey.recovery_min_rate",
        default=settings.default("pm_survey.recovery_min_rate"),
    )
