# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

SECRET_GROUP = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_sms_provider = fields.Selection(
        related="company_id.pm_sms_provider", readonly=False, required=True
    )
    pm_sms_key_id = fields.Char(
        related="company_id.pm_sms_key_id", readonly=False, groups=SECRET_GROUP
    )
    pm_sms_key_secret = fields.Char(
        related="company_id.pm_sms_key_secret", readonly=False, groups=SECRET_GROUP
    )
    pm_sms_endpoint = fields.Char(
        related="company_id.pm_sms_endpoint", readonly=False, groups=SECRET_GROUP
    )
    pm_sms_sign_name = fields.Char(
        related="company_id.pm_sms_sign_name", readonly=False
    )
    pm_sms_region = fields.Char(related="company_id.pm_sms_region", readonly=False)
    pm_sms_sdk_app_id = fields.Char(
        related="company_id.pm_sms_sdk_app_id", readonly=False
    )
    pm_sms_event_summary = fields.Html(
        string="SMS Events", compute="_compute_pm_sms_event_summary", sanitize=False
    )

    def set_values(self):
        res = super().set_values()
        # the account whole, once all its fields are written
        self.company_id._check_pm_sms_account()
        return res

    @api.depends("company_id")
    def _compute_pm_sms_event_summary(self):
        for settings in self:
            settings.pm_sms_event_summary = settings._pm_sms_event_rows(
                settings.company_id
            )

    def _pm_sms_event_rows(self, company):
        return self.env["pm.sms.template"]._pm_event_table(company)

    def action_pm_sms_templates(self):
        company = self.company_id
        action = {
            "type": "ir.actions.act_window",
            "res_model": "pm.sms.template",
            "view_mode": "list,form",
            "domain": [("company_id", "=", company.id)],
            "context": {"default_company_id": company.id},
        }
        action["name"] = self.env._("Owner SMS Templates")
        return action
