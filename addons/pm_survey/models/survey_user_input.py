# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools.write_guard import GUARD_MIXIN


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    pm_distribution_id = fields.Many2one(
        "pm.survey.distribution",
        string="Survey Form",
        index="btree_not_null",
        ondelete="restrict",
        help="The unit's form of a campaign this answer fills in.",
    )
    pm_campaign_id = fields.Many2one(
        related="pm_distribution_id.campaign_id",
        store=True,
        index="btree_not_null",
        string="Survey Campaign",
    )

    @api.constrains("pm_distribution_id", "state")
    def _check_pm_distribution_once(self):
        done = self.filtered(lambda a: a.pm_distribution_id and a.state == "done")
        if not done:
            return
        groups = self.sudo()._read_group(
            [
                ("pm_distribution_id", "in", done.pm_distribution_id.ids),
                ("state", "=", "done"),
            ],
            ["pm_distribution_id"],
            ["__count"],
        )
        for distribution, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "Unit %s already answered this campaign: one answer per "
                        "household.",
                        distribution.unit_id.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_campaign_answer(self):
        # R-KEEP-1: the owners' answers of a campaign are its record
        self.env[GUARD_MIXIN]._pm_refuse_deleting(
            self.filtered(lambda a: a.pm_distribution_id and a.state == "done")
        )

    def _mark_done(self):
        """Completing the answer of a campaign form returns the form (R-SUR-5); it is
        refused when the unit already answered or the window is over."""
        campaign_answers = self.filtered("pm_distribution_id")
        for answer in campaign_answers:
            answer.pm_distribution_id._record_return(
                answer,
                returned_at=self.env.context.get("pm_returned_at"),
                respondent=self.env.context.get("pm_respondent"),
            )
        res = super()._mark_done()
        # the campaign's figures grow by these answers only (R-SUR-6)
        for campaign in campaign_answers.pm_campaign_id:
            campaign.sudo()._count_answers(
                campaign_answers.filtered(lambda a, c=campaign: a.pm_campaign_id == c)
            )
        return res


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    # stored so that the statistics are one grouped query (R-SUR-6)
    pm_campaign_id = fields.Many2one(
        related="user_input_id.pm_campaign_id", store=True, index="btree_not_null"
    )
    pm_level = fields.Selection(related="suggested_answer_id.pm_level", store=True)
