# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import staff
from ..tools.vocabulary import TEAM_TYPES


class PmTeam(models.Model):
    """A service team or department (责任部门) with a leader and members."""

    _name = "pm.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_type = fields.Selection(
        TEAM_TYPES, string="Type", required=True, default="customer_service", index=True
    )
    property_id = fields.Many2one(
        "pm.property",
        index=True,
        ondelete="cascade",
        help="Empty for a company-wide department (e.g. the quality department).",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    leader_id = staff.user("Team Leader", tracking=True)
    member_ids = staff.users("pm_team_res_users_rel", "team_id", "Members")
    member_count = fields.Integer(compute="_compute_member_count")
    color = fields.Integer()
    email = fields.Char(help="Shared mailbox of the team, copied on its notifications.")

    @api.depends("property_id")
    def _compute_company_id(self):
        for team in self:
            if team.property_id:
                team.company_id = team.property_id.company_id
            elif not team.company_id:
                team.company_id = self.env.company

    @api.depends("member_ids")
    def _compute_member_count(self):
        for team in self:
            team.member_count = len(team.member_ids)
