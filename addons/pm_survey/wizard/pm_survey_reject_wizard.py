# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmSurveyRejectWizard(models.TransientModel):
    """Send a campaign under approval back to draft with a reason (R-SUR-2)."""

    _name = "pm.survey.reject.wizard"
    _description = "Reject Survey Campaign"

    campaign_id = fields.Many2one("pm.survey.campaign", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.campaign_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
