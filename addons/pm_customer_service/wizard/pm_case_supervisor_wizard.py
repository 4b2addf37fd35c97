# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmCaseSupervisorWizard(models.TransientModel):
    """An agent's question to the supervisor, or the supervisor's answer
    (R-CLOCK-1, seed 004 5a); the case's actions check who may do it."""

    _name = "pm.case.supervisor.wizard"
    _description = "Question to the Supervisor"

    case_id = fields.Many2one("pm.case", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("ask", "Ask"), ("answer", "Answer")], required=True, default="ask"
    )
    question = fields.Text(related="case_id.supervisor_question", string="Question")
    text = fields.Text(string="Your Text", required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "ask":
            self.case_id._pm_ask_supervisor(self.text)
        else:
            self.case_id._pm_answer_supervisor(self.text)
        return {"type": "ir.actions.act_window_close"}
