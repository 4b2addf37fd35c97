# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.pm_base.tools import settings
from odoo.addons.pm_base.tools.settings import SURVEY


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_survey_quota_area_threshold = settings.field(
        SURVEY + "quota_area_threshold", "Large Property Threshold (m²)"
    )
    pm_survey_quota_rate_small = settings.field(
        SURVEY + "quota_rate_small", "Forms Below the Threshold (%)"
    )
    pm_survey_quota_rate_large = settings.field(
        SURVEY + "quota_rate_large", "Forms At or Above the Threshold (%)"
    )
    pm_survey_window_min_days = settings.field(
        SURVEY + "window_min_days",
        "Shortest Collection Window (days)",
        kind=fields.Integer,
    )
    pm_survey_window_max_days = settings.field(
        SURVEY + "window_max_days",
        "Longest Collection Window (days)",
        kind=fields.Integer,
    )
    pm_survey_visit_hour_from = settings.field(
        SURVEY + "visit_hour_from", "Visits From"
    )
    pm_survey_visit_hour_to = settings.field(SURVEY + "visit_hour_to", "Visits Until")
    pm_survey_recovery_min_rate = settings.field(
        SURVEY + "recovery_min_rate", "Minimum Recovery Rate (%)"
    )
    pm_survey_cycle_months = settings.field(
        SURVEY + "cycle_months", "Months of the Survey Cycle"
    )
    pm_survey_prepare_lead_days = settings.field(
        SURVEY + "prepare_lead_days", "Days Prepared Before the Period"
    )
