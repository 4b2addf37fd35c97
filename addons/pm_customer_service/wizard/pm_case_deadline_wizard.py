# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PmCaseDeadlineWizard(models.TransientModel):
    """Move a deadline of a case with a recorded reason (R-SLA-4)."""

    _name = "pm.case.deadline.wizard"
    _description = "Change Case Deadline"

    case_id = fields.Many2one("pm.case", required=True, ondelete="cascade")
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

    @api.depends("case_id", "deadline_field")
    def _compute_current_deadline(self):
        for wizard in self:
            wizard.current_deadline = (
                wizard.case_id[wizard.deadline_field]
                if wizard.case_id and wizard.deadline_field
                else False
            )

    @api.model_create_multi
    def create(self, vals_list):
        # a clear message instead of the database's refusal (R-SLA-4)
        defaults = self.default_get(list(self._fields))
        for vals in vals_list:
            self._check_values(defaults | vals, draft=True)
        return super().create(vals_list)

    @api.model
    def _check_values(self, values, draft=False):
        if not values.get("case_id"):
            raise UserError(_("Choose the case whose deadline moves."))
        if not values.get("deadline_field"):
            raise UserError(_("Choose which deadline moves."))
        if not values.get("new_deadline"):
            raise UserError(_("Give the new deadline."))
        reason = values.get("reason") or ""
        if not reason or (not draft and not reason.strip()):
            raise UserError(_("A deadline only moves with a reason."))

    def action_apply(self):
        self.ensure_one()
        self._check_values(
            {
                "case_id": self.case_id.id,
                "deadline_field": self.deadline_field,
                "new_deadline": self.new_deadline,
                "reason": self.reason,
            }
        )
        self.case_id._change_deadline(
            self.deadline_field, self.new_deadline, self.reason
        )
        return {"type": "ir.actions.act_window_close"}
