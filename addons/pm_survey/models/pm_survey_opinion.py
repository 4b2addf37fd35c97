# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools import staff
from odoo.addons.pm_base.tools.vocabulary import TEAM_TYPES


class PmSurveyOpinion(models.Model):
    """An owner opinion or a dissatisfied item raised by a campaign or a symposium,
    classified by the team that answers for it and followed until the owners are
    satisfied (R-SUR-8)."""

    _name = "pm.survey.opinion"
    _description = "Owner Opinion"
    _inherit = ["mail.thread", "mail.activity.mixin", "pm.property.derived.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Summary", required=True, tracking=True)
    description = fields.Text()
    campaign_id = fields.Many2one(
        "pm.survey.campaign", index=True, ondelete="cascade", tracking=True
    )
    symposium_id = fields.Many2one(
        "pm.survey.symposium", index=True, ondelete="cascade"
    )
    distribution_id = fields.Many2one(
        "pm.survey.distribution",
        string="Survey Form",
        domain="[('campaign_id', '=', campaign_id)]",
        ondelete="set null",
    )
    unit_id = fields.Many2one(
        "pm.unit",
        compute="_compute_unit_id",
        store=True,
        readonly=False,
        domain="[('property_id', '=', property_id)]",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "pm_survey_opinion_partner_rel",
        "opinion_id",
        "partner_id",
        string="Owners Concerned",
        help="Owners to visit again once the rectification is done.",
    )
    item_id = fields.Many2one("pm.survey.item", string="Service Item")
    team_type = fields.Selection(
        selection=TEAM_TYPES,
        compute="_compute_team_type",
        store=True,
        readonly=False,
    )
    team_id = fields.Many2one(
        "pm.team",
        string="Responsible Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('property_id', 'in', [property_id, False])]",
    )
    user_id = staff.user("Responsible", tracking=True)
    is_dissatisfied = fields.Boolean(
        string="Dissatisfied",
        help="The owners were dissatisfied: a rectification " "is expected.",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        group_expand="_expand_states",
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    follow_up = fields.Text(help="What was done and what the owners said.")
    rectification_id = fields.Many2one(
        "pm.rectification", readonly=True, copy=False, index=True
    )

    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("campaign_id", "symposium_id")
    def _compute_property_id(self):
        for opinion in self:
            source = opinion.campaign_id or opinion.symposium_id
            if source:
                opinion.property_id = source.property_id

    @api.depends("distribution_id")
    def _compute_unit_id(self):
        for opinion in self:
            if opinion.distribution_id:
                opinion.unit_id = opinion.distribution_id.unit_id

    @api.depends("item_id")
    def _compute_team_type(self):
        for opinion in self:
            if opinion.item_id.team_type:
                opinion.team_type = opinion.item_id.team_type

    @api.depends("team_type", "property_id")
    def _compute_team_id(self):
        for opinion in self:
            if not opinion.team_type or opinion.team_id.team_type == opinion.team_type:
                continue
            opinion.team_id = self.env["pm.team"].search(
                [
                    ("team_type", "=", opinion.team_type),
                    ("property_id", "in", [opinion.property_id.id, False]),
                ],
                order="property_id, sequence, id",
                limit=1,
            )

    def action_start(self):
        self.filtered(lambda o: o.state == "new").write({"state": "in_progress"})
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_create_rectification(self):
        """R-SUR-8: turn this opinion into a rectification record 整改措施落实情况记录;
        once verified, every owner concerned gets a return visit."""
        self.ensure_one()
        if self.rectification_id:
            raise UserError(_("This opinion already has a rectification."))
        rectification = self.env["pm.rectification"].create(
            self._prepare_rectification_values()
        )
        self.write({"rectification_id": rectification.id, "state": "in_progress"})
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.rectification",
            "res_id": rectification.id,
            "view_mode": "form",
        }

    def _prepare_rectification_values(self):
        """Values of the rectification record of this opinion (R-RECT-1): source,
        problem, property, responsible team and person, deadline, and the owners
        to visit again afterwards."""
        self.ensure_one()
        # R-TZ-1: the rectification's deadline counts from today at the property
        today = self.property_id._pm_today()
        deadline = self.date_deadline or today + timedelta(days=7)
        return self.env["pm.rectification"]._pm_prepare_from_source(
            self,
            "survey",
            self.description or self.name,
            property_id=self.property_id.id,
            team_id=self.team_id.id,
            user_id=self.user_id.id or self.team_id.leader_id.id,
            deadline=max(deadline, today),
            callback_partner_ids=[fields.Command.set(self.partner_ids.ids)],
        )
