# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models

from .pm_sms_template import EVENTS

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
        """Each owner event: mapped to a template of the provider (its code) or
        not (the owner gets the email only), as the staff read it."""
        mapped = {
            template.event: template.template_code
            for template in self.env["pm.sms.template"]
            .sudo()
            .search([("company_id", "=", company.id)])
        }
        labels = dict(
            self.env["pm.sms.template"]
            ._fields["event"]
            ._description_selection(self.env)
        )
        yes = Markup('<span class="badge text-bg-success">%s</span>') % self.env._(
            "Mapped"
        )
        no = Markup('<span class="badge text-bg-secondary">%s</span>') % self.env._(
            "Not mapped: email only"
        )
        head = Markup(
            '<tr><th class="text-nowrap">%s</th><th>%s</th><th>%s</th></tr>'
        ) % (
            self.env._("Event"),
            self.env._("SMS"),
            self.env._("Template Code"),
        )
        rows = Markup("").join(
            Markup(
                '<tr><td class="text-nowrap">%s</td>'
                '<td class="text-nowrap">%s</td><td>%s</td></tr>'
            )
            % (
                labels[event],
                yes if event in mapped else no,
                mapped.get(event) or "",
            )
            for event, _label in EVENTS
        )
        table = Markup(
            '<table class="table table-sm w-100 mb-0"><thead>%s</thead>%s</table>'
        ) % (head, rows)
        if company._pm_sms_configured():
            return table
        # mapped or not, nothing goes by SMS before the account is complete
        note = Markup('<p class="text-warning mb-1">%s</p>') % self.env._(
            "No SMS provider yet: owners get emails only."
        )
        return note + table

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
