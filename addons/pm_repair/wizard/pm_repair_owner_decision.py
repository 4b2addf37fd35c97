# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools.vocabulary import DECISION_CHANNELS

# who signs: the order's owner, unless staff write another
FROM_OWNER = {"compute": "_compute_signer", "store": True, "readonly": False}


class PmRepairOwnerDecision(models.TransientModel):
    """Staff record an owner's answer on a work order given by phone, on paper or
    in person: the quote, the acceptance with the owner's signature, a repair not
    accepted (rework) or a witnessed refusal to sign (R-OWNER-1, R-REP-3,
    R-REP-4)."""

    _name = "pm.repair.owner.decision"
    _inherit = ["pm.owner.decision.mixin"]
    _description = "Record the Owner's Answer on a Repair Order"

    # defined again here so that its labels are this module's terms: the
    # mixin's are translated before this model exists, and it would show English
    channel = fields.Selection(DECISION_CHANNELS)
    order_id = fields.Many2one(
        "pm.repair.order", string="Repair Order", required=True, ondelete="cascade"
    )
    order_state = fields.Selection(related="order_id.state")
    decision = fields.Selection(
        [
            ("accept_quote", "Accepts the Quote"),
            ("refuse_quote", "Refuses the Quote"),
            ("accept", "Accepts the Repair and Signs"),
            ("not_fixed", "Does Not Accept: Rework"),
            ("refused_to_sign", "Refuses to Sign"),
        ],
        string="Owner's Answer",
        required=True,
        compute="_compute_decision",
        store=True,
        readonly=False,
    )
    signer_id = fields.Many2one("res.partner", string="Signed by Owner", **FROM_OWNER)
    signed_by = fields.Char(string="Signer's Name", **FROM_OWNER)
    signature = fields.Binary(
        attachment=False,
        help="Drawn by the owner on this screen, or a photo of the signed paper "
        "form (PNG or JPEG).",
    )

    @api.depends("order_id")
    def _compute_decision(self):
        for wizard in self:
            if wizard.decision:
                continue
            wizard.decision = {"quoted": "accept_quote", "done": "accept"}.get(
                wizard.order_id.state, False
            )

    @api.depends("order_id")
    def _compute_signer(self):
        for wizard in self:
            wizard.signer_id = wizard.order_id.partner_id
            wizard.signed_by = wizard.order_id.partner_id.name

    def action_confirm(self):
        self.ensure_one()
        order = self.order_id
        self._pm_check_record(order)
        values = {"note": self.note, "witness": self.witness_name}
        with_note = True
        if self.decision == "accept":
            if self.channel == "phone":
                raise UserError(
                    _(
                        "A finished repair is accepted with the owner's signature: "
                        "in person, or on the paper form."
                    )
                )
            if not self.signature:
                raise UserError(
                    _(
                        "Add the owner's signature: drawn here, or a photo of the "
                        "signed paper form."
                    )
                )
            values.update(
                partner=self.signer_id,
                name=self.signed_by,
                signature=self.signature,
            )
        elif self.decision == "not_fixed":
            with_note = False
        elif self.decision == "refused_to_sign":
            if self.channel != "in_person" or not (self.witness_name or "").strip():
                raise UserError(
                    _(
                        "A refusal to sign is recorded in person, with the name of "
                        "a witness."
                    )
                )
        order.sudo()._pm_owner_decide(
            self.decision,
            self.env.user.partner_id,
            values,
            recorded=self._pm_recorded_text(with_note=with_note),
        )
        return {"type": "ir.actions.act_window_close"}
