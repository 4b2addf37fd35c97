# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

RANK_TEMPLATE = "gamification.mail_template_data_new_rank_reached"


class ResUsers(models.Model):
    """No "New rank: Master" emails (Odoo's gamification, which the survey app
    brings along): karma ranks belong to forums and e-learning, which a property
    company's owners and staff do not use."""

    _inherit = "res.users"

    def _rank_changed(self):
        if self._pm_ranks_shown():
            return super()._rank_changed()
        return None

    @api.model
    def _pm_ranks_shown(self):
        """Ranks mean something only where people see them: on the profile pages
        of Odoo's forum and e-learning (``website_profile``)."""
        module = self.env["ir.module.module"].sudo()._get("website_profile")
        return module.state == "installed"

    @api.model
    def _pm_cancel_rank_emails(self):
        """Cancel the rank emails already queued when the survey app installed
        gamification with its demo karma (before this module could stop them)."""
        template = self.env.ref(RANK_TEMPLATE, raise_if_not_found=False)
        if not template or self._pm_ranks_shown():
            return
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "res.users"), ("state", "=", "outgoing")])
        )
        if not mails:
            return
        subjects = template._render_field("subject", list(set(mails.mapped("res_id"))))
        mails.filtered(lambda mail: mail.subject == subjects.get(mail.res_id)).write(
            {"state": "cancel"}
        )
