# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .pm_return_visit import SATISFIED_LEVELS

# the cases an owner may still confirm or send back (R-FLOW-2)
PORTAL_CONFIRM_STATES = ("confirmation", "return_visit")
# R-OWNER-1: written only by the owner's decision (portal, token link, or the
# tracked wizard staff use for a decision given by phone or on paper)
OWNER_DECISION_FIELDS = ("satisfaction",)
# staff work on a case: the portal shows the owner what concerns them (decision
# measures, deadline), never these, not even over JSON-RPC (SPEC §10)
STAFF = "pm_customer_service.group_pm_technician"


class PmComplaint(models.Model):
    """Owner portal access to cases: token links in e-mails, confirmation, reopening
    and rating by the owner (R-FLOW-2, R-RV-1, SPEC §10)."""

    _name = "pm.complaint"
    _inherit = ["pm.complaint", "portal.mixin"]

    # one submitted portal form gives one case, whatever the double clicks (§10)
    portal_submit_key = fields.Char(copy=False, readonly=True, index=True)
    # internal fields: staff only (the portal reads what it shows with sudo)
    return_visit_ids = fields.One2many(groups=STAFF)
    return_visit_count = fields.Integer(groups=STAFF)
    partner_warning = fields.Char(groups=STAFF)
    investigation_facts = fields.Text(groups=STAFF)
    investigation_cause = fields.Text(groups=STAFF)
    proposed_solution = fields.Text(groups=STAFF)
    door_visit_required = fields.Boolean(groups=STAFF)
    door_visit_reason = fields.Char(groups=STAFF)
    door_visit_reason_keys = fields.Char(groups=STAFF)
    escalation_level = fields.Selection(groups=STAFF)
    escalation_next_date = fields.Datetime(groups=STAFF)
    escalation_kind = fields.Char(groups=STAFF)
    auto_major_date = fields.Datetime(groups=STAFF)
    sla_policy_id = fields.Many2one(groups=STAFF)

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
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a new case's form sends the rating empty: not an answer
            self._pm_check_owner_fields({k: v for k, v in vals.items() if v})
        return super().create(vals_list)

    def write(self, vals):
        self._pm_check_owner_fields(vals)
        return super().write(vals)

    @api.model
    def _pm_check_owner_fields(self, vals):
        """R-OWNER-1: the owner's rating is never a plain write of a staff user
        (RPC or form): it comes from the owner's own decision or the wizard."""
        if self.env.su or not set(OWNER_DECISION_FIELDS) & set(vals):
            return
        raise AccessError(
            _(
                "The owner's rating is recorded by the owner on the portal, or by "
                "staff with 'Record Owner Decision' naming how the owner gave it."
            )
        )

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
            "res_model": "pm.complaint.owner.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    # ------------------------------------------------------------
    # OWNER DECISIONS (R-OWNER-1, R-FLOW-2, R-RV-1)
    # ------------------------------------------------------------

    def _pm_is_owner_decider(self, partner):
        """The owner of the case (their company's contacts) or the tenant who
        raised it: who may confirm, rate or reopen it."""
        self.ensure_one()
        return bool(
            partner
            and self.partner_id
            and partner.commercial_partner_id == self.partner_id.commercial_partner_id
        )

    def _pm_check_owner_decider(self, partner):
        self.ensure_one()
        if not self._pm_is_owner_decider(partner):
            raise AccessError(
                _("Only the owner of %s can give this answer.", self.name)
            )

    def _pm_portal_can_confirm(self):
        """Each round of processing waits for the owner's answer at confirmation;
        at the return visit, only while the owner has not rated yet."""
        self.ensure_one()
        return self.state == "confirmation" or (
            self.state == "return_visit" and not self.satisfaction
        )

    def _pm_portal_confirm(self, partner, satisfaction, comment=""):
        """The owner's own rating from the portal or the token link; authored by
        the owner's partner."""
        self.sudo()._pm_check_owner_decider(partner)
        return self.sudo()._pm_owner_confirm(satisfaction, comment, partner)

    def _pm_portal_reopen(self, partner, reason):
        """The owner sends the case back from the portal or the token link."""
        self.sudo()._pm_check_owner_decider(partner)
        return self.sudo()._pm_owner_reopen(reason, partner)

    def _pm_owner_confirm(self, satisfaction, comment, author, recorded=""):
        """R-FLOW-2 / R-RV-1: the owner rates the result on five levels; satisfied
        moves on to the return visit, dissatisfied reopens for second processing.

        :param author: partner the chatter shows: the owner, or the staff member
            who records an answer given by phone or on paper (``recorded`` then
            says how)
        """
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
        self._track_set_author(author)
        self.message_post(
            body=_(
                "Owner's rating: %(level)s. %(comment)s",
                level=levels[satisfaction],
                comment=comment,
            )
            + (f" {recorded}" if recorded else ""),
            author_id=author.id,
        )
        if satisfaction in SATISFIED_LEVELS:
            self.sudo().write({"satisfaction": satisfaction})
            if self.state == "confirmation":
                self._pm_owner_satisfied()
        else:
            self._reopen(comment)
        return True

    def _pm_owner_reopen(self, reason, author, recorded=""):
        """R-FLOW-2: the owner sends the case back with a reason."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason why the case is not resolved."))
        if self.state not in PORTAL_CONFIRM_STATES:
            raise UserError(_("Case %s cannot be reopened now.", self.name))
        self._track_set_author(author)
        self.message_post(
            body=_("The owner reopened the case: %s", reason)
            + (f" {recorded}" if recorded else ""),
            author_id=author.id,
        )
        self._reopen(reason)
        return True

    def _pm_owner_satisfied(self):
        """The owner confirmed the result: on to the return visit."""
        return self._move_to("return_visit")
