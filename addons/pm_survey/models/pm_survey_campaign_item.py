# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.pm_base.tools import rates
from odoo.addons.pm_base.tools.write_guard import is_trusted

from . import survey_rules


class PmSurveyCampaignItem(models.Model):
    """A service item of a campaign mapped to the question that rates it, with its
    answer counts and satisfaction rate (R-SUR-6)."""

    _name = "pm.survey.campaign.item"
    _description = "Survey Campaign Item"
    # R-KEEP-1: the items of a closed campaign are kept with its figures
    _inherit = ["pm.rate.mixin", "pm.workflow.guard.mixin"]
    _order = "campaign_id, sequence, id"
    # R-RATE-1: grouped, the satisfied ratings of the group over its valid ratings
    _pm_rates = {"satisfaction_rate": ("satisfied_count:sum", "valid_count:sum")}
    # counted by the campaign as forms come back, never typed in
    _pm_count_fields = tuple(f"count_{level}" for level, _label in survey_rules.LEVELS)

    campaign_id = fields.Many2one(
        "pm.survey.campaign", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    item_id = fields.Many2one("pm.survey.item", required=True, ondelete="restrict")
    question_id = fields.Many2one(
        "survey.question",
        required=True,
        ondelete="restrict",
        domain="[('survey_id', '=', survey_id), ('question_type', '=', "
        "'simple_choice')]",
    )
    survey_id = fields.Many2one(related="campaign_id.survey_id")
    team_type = fields.Selection(related="item_id.team_type")
    # the analysis leaves out campaigns that collect nothing yet
    campaign_state = fields.Selection(
        related="campaign_id.state", store=True, string="Campaign Status"
    )
    campaign_year = fields.Integer(
        related="campaign_id.year", store=True, string="Year"
    )
    property_id = fields.Many2one(related="campaign_id.property_id", store=True)
    # statistics (R-SUR-6), counted by the campaign as forms come back
    count_very_satisfied = fields.Integer(
        "Very Satisfied", readonly=True, default=0, copy=False
    )
    count_satisfied = fields.Integer("Satisfied", readonly=True, default=0, copy=False)
    count_basic = fields.Integer(
        "Basically Satisfied", readonly=True, default=0, copy=False
    )
    count_dissatisfied = fields.Integer(
        "Dissatisfied", readonly=True, default=0, copy=False
    )
    count_very_dissatisfied = fields.Integer(
        "Very Dissatisfied", readonly=True, default=0, copy=False
    )
    valid_count = fields.Integer(
        "Valid Ratings",
        compute="_compute_statistics",
        store=True,
        help="Returned forms that rate this item.",
    )
    satisfied_count = fields.Integer(
        "Satisfied Ratings", compute="_compute_statistics", store=True
    )
    satisfaction_rate = fields.Float(
        "Satisfaction Rate (%)",
        compute="_compute_statistics",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        help="Satisfied ratings / valid ratings; grouped, the satisfied ratings of "
        "the group over its valid ratings.",
    )
    satisfaction_rate_display = fields.Char(
        "Satisfaction Rate", compute="_compute_statistics", store=True
    )
    previous_rate = fields.Float(
        "Previous Rate (%)", compute="_compute_previous_rate", digits=(16, 2)
    )
    previous_rate_display = fields.Char(
        "Previous Rate", compute="_compute_previous_rate"
    )
    has_previous = fields.Boolean(compute="_compute_previous_rate")

    _item_campaign_uniq = models.Constraint(
        "unique(campaign_id, item_id)",
        "A service item appears once per campaign.",
    )

    @api.depends(*_pm_count_fields)
    def _compute_statistics(self):
        for line in self:
            counts = {
                level: line[f"count_{level}"] for level in survey_rules.LEVELS_KEYS
            }
            line.valid_count = sum(counts.values())
            line.satisfied_count = sum(
                counts[level] for level in survey_rules.SATISFIED_LEVELS
            )
            line.satisfaction_rate = survey_rules.satisfaction_rate(counts) or 0.0
            line.satisfaction_rate_display = rates.format_rate(
                rates.rate(line.satisfied_count, line.valid_count), "%"
            )

    @api.depends("campaign_id.previous_campaign_id", "item_id")
    def _compute_previous_rate(self):
        for line in self:
            previous = line.campaign_id.previous_campaign_id.item_line_ids.filtered(
                lambda p, item=line.item_id: p.item_id == item
            )[:1]
            line.previous_rate = previous.satisfaction_rate
            line.previous_rate_display = rates.format_rate(
                rates.rate(previous.satisfied_count, previous.valid_count), "%"
            )
            line.has_previous = bool(previous.valid_count)

    def _pm_retention_kept(self):
        return self.filtered(lambda line: line.campaign_id.state == "closed")

    def write(self, vals):
        # the counts follow the answers: only the campaign's counting writes them
        if set(vals) & set(self._pm_count_fields) and not is_trusted(self.env):
            raise UserError(
                _("The answer counts of a survey are counted, never typed in.")
            )
        res = super().write(vals)
        if "question_id" in vals:
            self.campaign_id._recompute_statistics()
        return res

    @api.constrains("question_id", "campaign_id")
    def _check_question_survey(self):
        for line in self:
            if line.question_id.survey_id != line.campaign_id.survey_id:
                raise ValidationError(
                    _(
                        "Question %(question)s is not part of the questionnaire of "
                        "campaign %(name)s.",
                        question=line.question_id.title,
                        name=line.campaign_id.name,
                    )
                )

    def action_create_opinion(self):
        """Follow up a dissatisfied item (R-SUR-8): an opinion for the responsible
        team, listing the signed owners who were dissatisfied with it."""
        self.ensure_one()
        owners = self._dissatisfied_partners()
        opinion = self.env["pm.survey.opinion"].create(
            {
                "name": _(
                    "%(item)s: %(rate)s satisfied",
                    item=self.item_id.name,
                    rate=self.satisfaction_rate_display,
                ),
                "campaign_id": self.campaign_id.id,
                "item_id": self.item_id.id,
                "is_dissatisfied": True,
                "partner_ids": [fields.Command.set(owners.ids)],
                "description": _(
                    "%(count)s dissatisfied answers out of %(valid)s on %(item)s.",
                    count=self.valid_count - self.satisfied_count,
                    valid=self.valid_count,
                    item=self.item_id.name,
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.survey.opinion",
            "res_id": opinion.id,
            "view_mode": "form",
        }

    def _dissatisfied_partners(self):
        self.ensure_one()
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("pm_campaign_id", "=", self.campaign_id.id),
                    ("question_id", "=", self.question_id.id),
                    ("pm_level", "in", ("dissatisfied", "very_dissatisfied")),
                    ("user_input_id.state", "=", "done"),
                ]
            )
        )
        return lines.user_input_id.pm_distribution_id.filtered(
            lambda d: d.respondent == "signed"
        ).partner_id
