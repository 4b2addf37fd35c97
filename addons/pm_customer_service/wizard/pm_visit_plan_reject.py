# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmVisitPlanReject(models.TransientModel):
    _name = "pm.visit.plan.reject"
    _description = "Send a Visit Plan Back to Draft"

    reason = fields.Text(required=True)

    def action_reject(self):
        plans = self.env["pm.visit.plan"].browse(self.env.context.get("active_ids"))
        plans._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
