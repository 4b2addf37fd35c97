# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import phone_login
from .pm_login_code import MINUTES_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    pm_sms_login_template_code = fields.Char(
        related="company_id.pm_sms_login_template_code", readonly=False
    )
    pm_login_code_minutes = fields.Integer(
        string="Sign-in Code Validity (minutes)",
        config_parameter=MINUTES_PARAM,
        default=phone_login.DEFAULT_MINUTES,
    )

    @api.constrains("pm_login_code_minutes")
    def _check_pm_login_code_minutes(self):
        for settings in self:
            minutes = settings.pm_login_code_minutes
            if not phone_login.MIN_MINUTES <= minutes <= phone_login.MAX_MINUTES:
                raise ValidationError(
                    _(
                        "A sign-in code is valid from %(low)s to %(high)s minutes.",
                        low=phone_login.MIN_MINUTES,
                        high=phone_login.MAX_MINUTES,
                    )
                )
