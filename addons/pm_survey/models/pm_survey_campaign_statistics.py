# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models

from odoo.addons.pm_base.tools.write_guard import (
    workflow_action,
)

from . import survey_rules


class PmSurveyCampaign(models.Model):
    """The answer counts of a campaign (R-SUR-6): grown form by form as answers
    come back, rebuilt in grouped queries when needed."""

    _inherit = "pm.survey.campaign"

    @workflow_action
    def _recompute_statistics(self):
        """Count every completed answer of the campaigns again (R-SUR-6): one grouped
        query for the ratings, one for the forms. Keying in a form does not need it
        (see ``_count_answers``); it rebuilds the figures after an upgrade or when
        a campaign's items change."""
        level_counts = self._get_level_counts()
        forms = dict(
            self.env["survey.user_input.line"]
            .sudo()
            ._read_group(
                self._answer_line_domain(),
                ["pm_campaign_id"],
                ["user_input_id:count_distinct"],
            )
        )
        for line in self.item_line_ids:
            counts = level_counts.get((line.campaign_id.id, line.question_id.id), {})
            line.write(
                {
                    f"count_{level}": counts.get(level, 0)
                    for level, _label in survey_rules.LEVELS
                }
            )
        for campaign in self:
            campaign.valid_form_count = forms.get(campaign, 0)
        return True

    @workflow_action
    def _count_answers(self, user_inputs):
        """Add completed answers to the figures of their campaign (R-SUR-6): the cost
        of keying in one form is the same in a campaign of 20 answers or 2,000. A
        concurrent form of the same campaign writes the same rows, so one of the two
        transactions is retried rather than a count lost."""
        self.ensure_one()
        added = defaultdict(lambda: defaultdict(int))
        forms = 0
        for user_input in user_inputs:
            rated = user_input.user_input_line_ids.filtered(
                lambda a: a.pm_level and not a.skipped
            )
            forms += bool(rated)
            for answer in rated:
                added[answer.question_id][answer.pm_level] += 1
        for line in self.item_line_ids:
            counts = added.get(line.question_id)
            if counts:
                line.write(
                    {
                        f"count_{level}": line[f"count_{level}"] + count
                        for level, count in counts.items()
                    }
                )
        if forms:
            self.valid_form_count += forms
        return True

    def _answer_line_domain(self):
        """The rated answer lines of the completed answers of these campaigns."""
        return [
            ("pm_campaign_id", "in", self.ids),
            ("pm_level", "!=", False),
            ("skipped", "=", False),
            ("user_input_id.state", "=", "done"),
        ]

    def _get_level_counts(self):
        """Answers per campaign, question and level, in one grouped query on
        ``survey.user_input.line`` (R-SUR-6).

        :return: ``{(campaign_id, question_id): {level: count}}``
        """
        result = defaultdict(dict)
        if not self.ids:
            return result
        groups = (
            self.env["survey.user_input.line"]
            .sudo()
            ._read_group(
                self._answer_line_domain(),
                ["pm_campaign_id", "question_id", "pm_level"],
                ["__count"],
            )
        )
        for campaign, question, level, count in groups:
            result[campaign.id, question.id][level] = count
        return result
