# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PmComplaintDeadlineWizard(models.TransientModel):
    """Move a deadline of a case with a recorded reason (R-SLA-4)."""

    _name = "pm.complaint.deadline.wizard"
    _description = "Change Case Deadline"

    complaint_id = fields.Many2one("pm.complaint", required=True, ondelete="cascade")
    deadline_field = fields.Selection(
        [
            ("acknowledge_deadline", "Acknowledge"),
            ("reply_deadline", "First Reply"),
            ("resolve_deadline", "Resolve"),
        ],
        string="Deadline",
        required=True,
        default="resolve_deadline",
    )
    current_deadline = fields.Datetime(compute="_compute_current_deadline")
    new_deadline = fields.Datetime(required=True)
    reason = fields.Text(
        required=True,
        help="Why the deadline moves, e.g. the deadline agreed with the owner for a "
        "complex case. The owner is informed.",
    )

    @api.depends("complaint_id", "deadline_field")
    def _compute_current_deadline(self):
        for wizard in self:
            wizard.current_deadline = (
                wizard.complaint_id[wizard.deadline_field]
                if wizard.complaint_id and wizard.deadline_field
                else False
            )

    def action_apply(self):
        self.ensure_one()
        self.complaint_id._change_deadline(
            self.deadline_field, self.new_deadline, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
