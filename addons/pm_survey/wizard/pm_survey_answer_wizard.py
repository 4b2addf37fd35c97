# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import survey_rules


class PmSurveyAnswerWizard(models.TransientModel):
    """Key in one household's paper form in seconds (R-SUR-5): pick the unit, set a
    level for all items at once, change the few that differ, save and go on with the
    next unit."""

    _name = "pm.survey.answer.wizard"
    _description = "Key In a Paper Survey Form"

    campaign_id = fields.Many2one("pm.survey.campaign", required=True)
    distribution_id = fields.Many2one(
        "pm.survey.distribution",
        string="Unit Form",
        required=True,
        domain="[('campaign_id', '=', campaign_id), ('state', '!=', 'returned')]",
    )
    respondent = fields.Selection(
        [("signed", "Signed"), ("anonymous", "Anonymous")],
        required=True,
        default="signed",
    )
    returned_at = fields.Datetime(
        string="Returned On", required=True, default=fields.Datetime.now
    )
    default_level = fields.Selection(
        # a static list, so that its labels are translated (a callable is not)
        survey_rules.LEVELS,
        string="Set All Items To",
    )
    line_ids = fields.One2many(
        "pm.survey.answer.wizard.line", "wizard_id", string="Answers"
    )
    opinion = fields.Text(string="Owner's Opinion")
    opinion_item_id = fields.Many2one(
        "pm.survey.item", string="Opinion About", help="Service item of the opinion."
    )

    @api.model
    def _action_open(self, campaign, distribution=None):
        campaign._check_running()
        if not distribution:
            distribution = campaign.distribution_ids.filtered(
                lambda d: d.state == "distributed"
            )[:1]
        if not distribution:
            raise UserError(
                _(
                    "Every handed-out form of campaign %s has been keyed in.",
                    campaign.name,
                )
            )
        wizard = self.create(
            {
                "campaign_id": campaign.id,
                "distribution_id": distribution.id,
                "line_ids": [
                    fields.Command.create(
                        {"item_id": line.item_id.id, "question_id": line.question_id.id}
                    )
                    for line in campaign.item_line_ids
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Key In a Paper Form"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.onchange("default_level")
    def _onchange_default_level(self):
        if not self.default_level:
            return
        for line in self.line_ids:
            line.answer_id = line.question_id.suggested_answer_ids.filtered(
                lambda a: a.pm_level == self.default_level
            )[:1]

    def action_save(self):
        self._save()
        return {"type": "ir.actions.act_window_close"}

    def action_save_next(self):
        self._save()
        return self._action_open(self.campaign_id)

    def _save(self):
        self.ensure_one()
        missing = self.line_ids.filtered(lambda line: not line.answer_id)
        if missing:
            raise UserError(
                _(
                    "Choose an answer for: %s.",
                    ", ".join(missing.mapped("item_id.name")),
                )
            )
        self.distribution_id._record_paper_answer(
            {line.question_id: line.answer_id for line in self.line_ids},
            returned_at=self.returned_at,
            respondent=self.respondent,
            opinion=self.opinion,
            opinion_item=self.opinion_item_id,
        )


class PmSurveyAnswerWizardLine(models.TransientModel):
    _name = "pm.survey.answer.wizard.line"
    _description = "Paper Survey Form Answer"

    wizard_id = fields.Many2one(
        "pm.survey.answer.wizard", required=True, ondelete="cascade"
    )
    item_id = fields.Many2one("pm.survey.item", required=True, readonly=True)
    question_id = fields.Many2one("survey.question", required=True, readonly=True)
    answer_id = fields.Many2one(
        "survey.question.answer",
        domain="[('question_id', '=', question_id)]",
    )
