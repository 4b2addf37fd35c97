# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools import staff

MEMBER_ROLES = [
    ("chair", "Chair"),
    ("vice_chair", "Vice Chair"),
    ("member", "Member"),
]


class PmCommittee(models.Model):
    """The owners' committee 业主委员会 of a property for one term: its members
    (owners of the property) with their roles, and the service centre's staff
    who keep in touch with it (seed 001 §四: the committee and the property
    company work together on the owners' opinions)."""

    _name = "pm.committee"
    _description = "Owners' Committee"
    _inherit = ["mail.thread", "pm.property.bound.mixin"]
    _order = "term_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    property_id = fields.Many2one(tracking=True)
    term_start = fields.Date(required=True, tracking=True)
    term_end = fields.Date(tracking=True)
    member_ids = fields.One2many("pm.committee.member", "committee_id", "Members")
    member_count = fields.Integer(compute="_compute_member_count")
    staff_ids = staff.users(
        "pm_committee_staff_rel",
        "committee_id",
        "Staff Contacts",
        help="The service centre's staff who keep in touch with the committee.",
    )
    meeting_ids = fields.One2many("pm.meeting", "committee_id", "Meetings")
    meeting_count = fields.Integer(compute="_compute_meeting_count")
    note = fields.Html()

    _term_order = models.Constraint(
        "CHECK(term_end IS NULL OR term_end >= term_start)",
        "A committee's term cannot end before it starts.",
    )

    @api.depends("member_ids")
    def _compute_member_count(self):
        for committee in self:
            committee.member_count = len(committee.member_ids)

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        for committee in self:
            committee.meeting_count = len(committee.meeting_ids)

    def action_open_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_committee.pm_meeting_action"
        )
        action["domain"] = [("committee_id", "=", self.id)]
        action["context"] = {
            "default_committee_id": self.id,
            "default_property_id": self.property_id.id,
        }
        return action


class PmCommitteeMember(models.Model):
    """A member of an owners' committee: an owner of the property, with a
    role."""

    _name = "pm.committee.member"
    _description = "Owners' Committee Member"
    _order = "committee_id, role_sequence, id"

    committee_id = fields.Many2one(
        "pm.committee", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="committee_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="committee_id.company_id", store=True)
    # a member of an archived (past) committee reads no more minutes
    active = fields.Boolean(related="committee_id.active", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('pm_owned_unit_ids.property_id', '=', property_id)]",
    )
    role = fields.Selection(MEMBER_ROLES, required=True, default="member")
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")

    _partner_once = models.Constraint(
        "UNIQUE(committee_id, partner_id)",
        "An owner is a member of a committee once.",
    )

    @api.depends("role")
    def _compute_role_sequence(self):
        order = [key for key, _label in MEMBER_ROLES]
        for member in self:
            member.role_sequence = order.index(member.role) if member.role else 99

    @api.constrains("partner_id", "committee_id")
    def _check_owner_of_property(self):
        """Members are owners of the property (业主委员会 = owners)."""
        for member in self:
            units = member.partner_id.commercial_partner_id.pm_owned_unit_ids
            units |= member.partner_id.pm_owned_unit_ids
            if member.property_id not in units.property_id:
                raise ValidationError(
                    _(
                        "%(owner)s owns no unit of %(property)s: only its owners sit "
                        "on its committee.",
                        owner=member.partner_id.display_name,
                        property=member.property_id.display_name,
                    )
                )
