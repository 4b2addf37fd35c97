# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from .pm_return_visit import SATISFIED_LEVELS

# the cases an owner may still confirm or send back (R-FLOW-2)
PORTAL_CONFIRM_STATES = ("confirmation", "return_visit")


class PmComplaint(models.Model):
    """Owner portal access to cases: token links in e-mails, confirmation, reopening
    and rating by the owner (R-FLOW-2, R-RV-1, SPEC §10)."""

    _name = "pm.complaint"
    _inherit = ["pm.complaint", "portal.mixin"]

    # one submitted portal form gives one case, whatever the double clicks (§10)
    portal_submit_key = fields.Char(copy=False, readonly=True, index=True)

    _sql_constraints = [
        (
            "portal_submit_key_unique",
            "UNIQUE(portal_submit_key)",
            "This form was already submitted.",
        ),
    ]

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/cases/{case.id}"
        return res

    # ------------------------------------------------------------
    # PORTAL ACTIONS
    # ------------------------------------------------------------

    def _pm_portal_can_confirm(self):
        self.ensure_one()
        return self.state in PORTAL_CONFIRM_STATES and not self.satisfaction

    def _pm_portal_confirm(self, satisfaction, comment=""):
        """R-FLOW-2 / R-RV-1: the owner rates the result on five levels; satisfied
        moves on to the return visit, dissatisfied reopens for second processing."""
        self.ensure_one()
        levels = dict(self._fields["satisfaction"]._description_selection(self.env))
        if satisfaction not in levels:
            raise UserError(_("Choose how satisfied you are with the result."))
        if not self._pm_portal_can_confirm():
            raise UserError(
                _("Case %s is not waiting for your confirmation.", self.name)
            )
        comment = (comment or "").strip()
        if satisfaction not in SATISFIED_LEVELS and not comment:
            raise UserError(_("Tell us what is still wrong, so that we can fix it."))
        self.message_post(
            body=_(
                "Owner's rating: %(level)s. %(comment)s",
                level=levels[satisfaction],
                comment=comment,
            )
        )
        if satisfaction in SATISFIED_LEVELS:
            self.write({"satisfaction": satisfaction})
            if self.state == "confirmation":
                self.action_owner_satisfied()
        else:
            self._reopen(comment)
        return True

    def _pm_portal_reopen(self, reason):
        """R-FLOW-2: the owner sends the case back with a reason."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason why the case is not resolved."))
        if self.state not in PORTAL_CONFIRM_STATES:
            raise UserError(_("Case %s cannot be reopened now.", self.name))
        self._reopen(reason)
        return True
