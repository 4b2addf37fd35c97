# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

# R-FLOW-1: the fixed meaning of each stage; stages themselves are configurable
COMPLAINT_STATES = [
    ("received", "Received"),
    ("investigating", "Investigating"),
    ("decided", "Decided"),
    ("processing", "Processing"),
    ("confirmation", "Owner Confirmation"),
    ("return_visit", "Return Visit"),
    ("closed", "Closed"),
]


class PmCaseStage(models.Model):
    """A stage of the case workflow (R-FLOW-1). ``state`` gives the stage its
    meaning for the guards; name, order, folding and e-mail are configuration."""

    _name = "pm.case.stage"
    _description = "Case Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        COMPLAINT_STATES,
        required=True,
        default="received",
        help="What the stage means to the workflow: guards and automatic steps "
        "depend on it.",
    )
    fold = fields.Boolean(
        string="Folded in Kanban", help="Closed stages are folded by default."
    )
    description = fields.Text(translate=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'pm.case')]",
        help="Sent to the owner through the mail queue when a case reaches this "
        "stage.",
    )

    @api.model
    def _for_state(self, state):
        """The first stage with this meaning (cached: read on every intake)."""
        return self.browse(self._for_state_id(state))

    @api.model
    @tools.ormcache("state")
    def _for_state_id(self, state):
        return self.sudo().search([("state", "=", state)], limit=1).id

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if {"state", "sequence"} & set(vals):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
