# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from . import survey_rules


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    pm_item_id = fields.Many2one(
        "pm.survey.item",
        string="Service Item",
        ondelete="set null",
        help="The service item this question rates; campaigns map their items from "
        "it.",
    )


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    pm_level = fields.Selection(
        survey_rules.LEVELS,
        string="Satisfaction Level",
        help="The level of the satisfaction scale this answer stands for; very "
        "satisfied, satisfied and basically satisfied count as satisfied.",
    )
