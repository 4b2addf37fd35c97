# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmRepairRework(models.Model):
    """One rework round 返修 of a work order (R-REP-4, R-REP-5)."""

    _name = "pm.repair.rework"
    _description = "Repair Rework Round"
    # R-KEEP-1: the history of the rework rounds is kept
    _inherit = ["pm.workflow.guard.mixin"]
    _order = "order_id, round"

    order_id = fields.Many2one(
        "pm.repair.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    round = fields.Integer(required=True)
    reason = fields.Selection(
        [
            ("acceptance", "Failed Owner Acceptance"),
            ("return_visit", "Dissatisfied at Return Visit"),
        ],
        required=True,
    )
    date = fields.Datetime(required=True)
    done_date = fields.Datetime(string="Previous Completion")
    technician_id = fields.Many2one("res.users")
    return_visit_id = fields.Many2one("pm.return.visit")
    note = fields.Text()
