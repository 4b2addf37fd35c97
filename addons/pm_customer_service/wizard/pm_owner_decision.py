# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools.vocabulary import (
    DECISION_CHANNELS,
    SATISFACTION_LEVELS,
    SATISFIED_LEVELS,
)


class PmOwnerDecisionMixin(models.AbstractModel):
    """What every owner decision recorded by staff says: how the owner gave it,
    who witnessed it, notes (R-OWNER-1). The decision itself is the owner's: the
    record's own business method applies it, as for the portal."""

    _name = "pm.owner.decision.mixin"
    _description = "Owner Decision Recorded by Staff"

    channel = fields.Selection(
        DECISION_CHANNELS,
        required=True,
        help="How the owner gave the answer to the staff member recording it.",
    )
    witness_name = fields.Char(
        string="Witness", help="Who else heard or saw the owner's answer."
    )
    note = fields.Text(
        string="Notes",
        help="The owner's words, or the reference of the signed paper form.",
    )

    def _pm_check_record(self, record):
        """The staff member may change ``record`` (record rules): the decision is
        then applied with the owner's rights, like on the portal."""
        record.check_access("write")

    def _pm_recorded_text(self, with_note=True):
        """The sentence the chatter message ends with: how the owner gave the
        answer, who recorded it, the witness and notes."""
        self.ensure_one()
        how = {
            "phone": _("by phone"),
            "paper": _("on paper"),
            "in_person": _("in person"),
        }[self.channel]
        text = _(
            "Answer given %(channel)s, recorded by %(user)s.",
            channel=how,
            user=self.env.user.name,
        )
        if self.witness_name:
            text += " " + _("Witness: %s.", self.witness_name)
        if with_note and self.note:
            text += " " + _("Notes: %s", self.note)
        return text


class PmCaseOwnerDecision(models.TransientModel):
    """Staff record a case confirmation the owner gave by phone, on paper or in
    person: the owner's rating, and second processing when dissatisfied
    (R-OWNER-1, R-FLOW-2)."""

    _name = "pm.case.owner.decision"
    _inherit = ["pm.owner.decision.mixin"]
    _description = "Record the Owner's Confirmation of a Case"

    case_id = fields.Many2one("pm.case", required=True, ondelete="cascade")
    satisfaction = fields.Selection(
        SATISFACTION_LEVELS,
        string="Owner's Rating",
        required=True,
        help="Satisfied levels move the case on to the return visit; the others "
        "reopen it for second processing.",
    )
    is_satisfied = fields.Boolean(compute="_compute_is_satisfied")

    @api.depends("satisfaction")
    def _compute_is_satisfied(self):
        for wizard in self:
            wizard.is_satisfied = wizard.satisfaction in SATISFIED_LEVELS

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        self._pm_check_record(case)
        if not self.is_satisfied and not (self.note or "").strip():
            raise UserError(
                _("Write what the owner says is still wrong: the case is reopened.")
            )
        case.sudo()._pm_owner_confirm(
            self.satisfaction,
            self.note,
            self.env.user.partner_id,
            recorded=self._pm_recorded_text(with_note=False),
        )
        return {"type": "ir.actions.act_window_close"}
