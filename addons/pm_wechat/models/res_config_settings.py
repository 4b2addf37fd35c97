# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.pm_channel.models.pm_sms_template import EVENTS

SECRET_GROUP = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_wechat_enabled = fields.Boolean(
        related="company_id.pm_wechat_enabled", readonly=False
    )
    pm_wechat_app_id = fields.Char(
        related="company_id.pm_wechat_app_id", readonly=False
    )
    pm_wechat_app_secret = fields.Char(
        related="company_id.pm_wechat_app_secret", readonly=False, groups=SECRET_GROUP
    )
    pm_wechat_token = fields.Char(
        related="company_id.pm_wechat_token", readonly=False, groups=SECRET_GROUP
    )
    pm_wechat_aes_key = fields.Char(
        related="company_id.pm_wechat_aes_key", readonly=False, groups=SECRET_GROUP
    )
    pm_wechat_endpoint = fields.Char(
        related="company_id.pm_wechat_endpoint", readonly=False, groups=SECRET_GROUP
    )
    pm_wechat_server_url = fields.Char(
        string="Server URL", compute="_compute_pm_wechat_urls"
    )
    pm_wechat_oauth_domain = fields.Char(
        string="OAuth Domain", compute="_compute_pm_wechat_urls"
    )
    pm_wechat_menu_url = fields.Char(
        string="Menu URL", compute="_compute_pm_wechat_urls"
    )
    pm_wechat_event_summary = fields.Html(
        string="WeChat Events",
        compute="_compute_pm_wechat_event_summary",
        sanitize=False,
    )

    def set_values(self):
        res = super().set_values()
        self.company_id._check_pm_wechat_account()
        return res

    @api.depends("company_id")
    def _compute_pm_wechat_urls(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        base = base.rstrip("/")
        for settings in self:
            company = settings.company_id.id
            settings.pm_wechat_server_url = f"{base}/pm_wechat/server/{company}"
            settings.pm_wechat_oauth_domain = urlsplit(base).netloc
            query = urlencode({"company": company, "redirect": "/my/cases"})
            settings.pm_wechat_menu_url = f"{base}/pm_wechat/oauth?{query}"

    @api.depends("company_id")
    def _compute_pm_wechat_event_summary(self):
        for settings in self:
            mapped = {
                template.event: template.template_id
                for template in self.env["pm.wechat.template"]
                .sudo()
                .search([("company_id", "=", settings.company_id.id)])
            }
            labels = dict(
                self.env["pm.wechat.template"]
                ._fields["event"]
                ._description_selection(self.env)
            )
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td></tr>")
                % (
                    labels[event],
                    mapped.get(event) or self.env._("Not mapped: no WeChat message"),
                )
                for event, _label in EVENTS
            )
            settings.pm_wechat_event_summary = (
                Markup('<table class="table table-sm mb-0">%s</table>') % rows
            )

    def action_pm_wechat_templates(self):
        company = self.company_id
        action = {
            "type": "ir.actions.act_window",
            "res_model": "pm.wechat.template",
            "view_mode": "list,form",
            "domain": [("company_id", "=", company.id)],
            "context": {"default_company_id": company.id},
        }
        # named apart: Odoo's term extractor misreads a domain after a _() call
        action["name"] = self.env._("WeChat Message Templates")
        return action
