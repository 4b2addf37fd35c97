# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class PmApprovalRejectWizard(models.TransientModel):
    """Send a record waiting for an approval back to draft with a reason, for
    every model of the approval engine (R-APPROVE-1)."""

    _name = "pm.approval.reject.wizard"
    _description = "Send Back to Draft"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        if self.res_model not in self.env["pm.approval.mixin"]._inherit_children:
            raise UserError(_("%s has no approval to refuse.", self.res_model))
        self.env[self.res_model].browse(self.res_id)._pm_approval_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
