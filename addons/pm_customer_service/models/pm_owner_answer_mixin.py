# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


class PmOwnerAnswerMixin(models.AbstractModel):
    """Records that hold an owner's answers (rating, quote, acceptance): only the
    owner's decision writes them, given on the portal or through a token link, or
    recorded by staff with a tracked wizard naming how the owner gave it (by
    phone, on paper or in person) (R-OWNER-1).

    A model says which fields hold the owner's answers, which wizard records them
    and the wizard's field that points at the record. It lists the mixin first in
    ``_inherit`` so that the check runs before its own ``create`` and ``write``.
    The mixin declares no fields: a model inheriting it sets up none twice.
    (``pm.owner.decision.mixin`` is the other side: the wizards' fields.)
    """

    _name = "pm.owner.answer.mixin"
    _description = "Record Holding the Owner's Answers"

    # fields written only by the owner's decision
    _pm_owner_decision_fields = ()
    # the wizard staff record the owner's answer with, and its field that points
    # at the record
    _pm_owner_decision_wizard = None
    _pm_owner_decision_wizard_field = None

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a new record's form sends the owner's fields empty: not an answer
            self._pm_check_owner_fields({k: v for k, v in vals.items() if v})
        return super().create(vals_list)

    def write(self, vals):
        self._pm_check_owner_fields(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_record_owner_decision(self):
        """R-OWNER-1: staff record the owner's answer given by phone, on paper or
        in person (tracked, naming the channel)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Owner Decision"),
            "res_model": self._pm_owner_decision_wizard,
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._pm_owner_decision_wizard_field}": self.id},
        }

    # ------------------------------------------------------------
    # OWNER DECISIONS (R-OWNER-1)
    # ------------------------------------------------------------

    @api.model
    def _pm_check_owner_fields(self, vals):
        """R-OWNER-1: the owner's answers are never a plain write of a staff user
        (RPC or form): they come from the owner's own decision or the wizard."""
        if self.env.su or not self._pm_is_owner_answer(vals):
            return
        raise AccessError(self._pm_owner_fields_error())

    @api.model
    def _pm_is_owner_answer(self, vals):
        """Whether ``vals`` writes an owner's answer."""
        return bool(set(self._pm_owner_decision_fields) & set(vals))

    @api.model
    def _pm_owner_fields_error(self):
        """The message that refuses a plain write of the owner's answers."""
        raise NotImplementedError()
