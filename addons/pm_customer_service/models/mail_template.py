# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, models

# the last row of Odoo's account emails (portal invitation, password, sign-up):
# "Powered by Odoo", in every language
POWERED_BY_RE = re.compile(
    r"\s*<!-- POWERED BY -->\s*<tr>.*?utm_source=db.*?</table>\s*</td></tr>",
    re.DOTALL,
)


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _pm_remove_powered_by(self):
        """An owner's invitation and password emails end with the company, not
        with "Powered by Odoo" (the notification layouts are inherited in
        views/mail_templates_email_layouts.xml; these templates carry it in
        their own body, in each language)."""
        templates = self.with_context(active_test=False).search(
            [("body_html", "ilike", "utm_source=db")]
        )
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for lang in langs:
            for template in templates.with_context(lang=lang):
                body = str(template.body_html or "")
                cleaned = POWERED_BY_RE.sub("", body)
                if cleaned != body:
                    template.body_html = cleaned
