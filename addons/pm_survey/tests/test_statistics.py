# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RunningCampaignCommon


@tagged("pm_survey", "-at_install", "post_install")
class TestStatistics(RunningCampaignCommon):
    def _fill(self):
        lines = self.campaign.distribution_ids
        # security (first item) gets one level per household, the others "basic"
        levels = ["very_satisfied", "satisfied", "basic", "dissatisfied"]
        for line, level in zip(lines, levels, strict=False):
            self._key_in(line, [level] + ["basic"] * 5)

    def test_rates_and_counts(self):
        """R-SUR-6/7: counts per level, satisfaction per item and overall, recovery
        rate."""
        self._fill()
        campaign = self.campaign
        security = campaign.item_line_ids.filtered(
            lambda line: line.item_id == self.item_security
        )
        self.assertEqual(
            [
                security.count_very_satisfied,
                security.count_satisfied,
                security.count_basic,
                security.count_dissatisfied,
                security.count_very_dissatisfied,
            ],
            [1, 1, 1, 1, 0],
        )
        self.assertEqual(security.valid_count, 4)
        self.assertEqual(security.satisfaction_rate, 75.0)
        cleaning = campaign.item_line_ids.filtered(
            lambda line: line.item_id == self.item_cleaning
        )
        self.assertEqual(cleaning.count_basic, 4)
        self.assertEqual(cleaning.satisfaction_rate, 100.0)
        # overall: 4 forms came back (有效答卷数) with 24 ratings, 23 satisfied
        self.assertEqual(campaign.valid_form_count, 4)
        self.assertEqual(campaign.valid_answer_count, 24)
        self.assertEqual(campaign.satisfied_answer_count, 23)
        self.assertEqual(campaign.satisfaction_rate, 95.83)
        self.assertEqual(campaign.returned_count, 4)
        self.assertEqual(campaign.recovery_rate, 80.0)

    def test_unfinished_answers_do_not_count(self):
        line = self.campaign.distribution_ids[0]
        self.campaign.survey_id._create_answer(
            partner=line.partner_id, check_attempts=False, pm_distribution_id=line.id
        )._save_lines(
            self.campaign.item_line_ids[0].question_id,
            self.campaign.item_line_ids[0].question_id.suggested_answer_ids[-1].id,
        )
        self.env.flush_all()
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.valid_answer_count, 0)
        self.assertEqual(self.campaign.valid_form_count, 0)
        self.assertEqual(self.campaign.satisfaction_rate_display, "—")
        # a full recount agrees
        self.campaign._recompute_statistics()
        self.assertEqual(self.campaign.valid_answer_count, 0)

    def test_comparison_with_previous_campaign(self):
        self._fill()
        self.campaign.action_close()
        later = self._running_campaign(
            date_start=date(2024, 9, 1), date_end=date(2024, 9, 12)
        )
        for line in later.distribution_ids[:2]:
            self._key_in(
                line,
                ["dissatisfied"] + ["very_satisfied"] * 5,
                when=self._utc_sep(),
            )
        self.assertEqual(later.previous_campaign_id, self.campaign)
        self.assertEqual(later.previous_satisfaction_rate, 95.83)
        self.assertEqual(later.satisfaction_rate, 83.33)
        self.assertEqual(later.satisfaction_delta, -12.5)
        security = later.item_line_ids.filtered(
            lambda line: line.item_id == self.item_security
        )
        self.assertTrue(security.has_previous)
        self.assertEqual(security.previous_rate, 75.0)
        self.assertEqual(security.satisfaction_rate, 0.0)
        # the first campaign has nothing to compare with
        self.assertFalse(self.campaign.previous_campaign_id)

    def _utc_sep(self):
        from .common import utc

        return utc(2024, 9, 3, 11)

    def test_query_count(self):
        """A full recount is one grouped query for the ratings and one for the
        forms, whatever the number of answers."""
        self._fill()
        campaigns = self.campaign | self._running_campaign()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            counts = campaigns._get_level_counts()
        self.assertEqual(
            counts[self.campaign.id, self.campaign.item_line_ids[0].question_id.id][
                "basic"
            ],
            1,
        )
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            campaigns._recompute_statistics()
            self.env.flush_all()
        self.assertEqual(self.campaign.satisfaction_rate, 95.83)
        self.assertEqual(self.campaign.valid_form_count, 4)

    def test_dissatisfied_item_to_opinion_and_rectification(self):
        """R-SUR-8: a dissatisfied item becomes an opinion for its team, with the
        signed owners concerned; the rectification hook waits for pm.rectification."""
        self._fill()
        team = self.env["pm.team"].create(
            {
                "name": "Security A",
                "team_type": "security",
                "property_id": self.property_a.id,
                "leader_id": self.user_director.id,
            }
        )
        security = self.campaign.item_line_ids.filtered(
            lambda line: line.item_id == self.item_security
        )
        action = security.with_user(self.user_agent).action_create_opinion()
        opinion = self.env["pm.survey.opinion"].browse(action["res_id"])
        self.assertTrue(opinion.is_dissatisfied)
        self.assertEqual(opinion.team_id, team)
        self.assertEqual(opinion.property_id, self.property_a)
        dissatisfied_unit = self.campaign.distribution_ids[3]
        self.assertEqual(opinion.partner_ids, dissatisfied_unit.partner_id)
        opinion.date_deadline = fields.Date.today() + timedelta(days=10)
        opinion.with_user(self.user_agent).action_create_rectification()
        rect = opinion.rectification_id
        self.assertEqual(opinion.state, "in_progress")
        self.assertEqual(rect.team_id, team)
        self.assertEqual(rect.user_id, self.user_director)
        self.assertEqual(
            (rect.source_type, rect.res_model, rect.res_id),
            ("survey", "pm.survey.opinion", opinion.id),
        )
        self.assertEqual(rect.callback_partner_ids, opinion.partner_ids)
        with self.assertRaisesText(UserError, "already has"):
            opinion.action_create_rectification()
        # rectified and verified: the owners concerned get a return visit
        rect.write({"measure": "Night patrols", "completion_note": "Done"})
        rect.action_start()
        rect.action_done()
        rect.with_user(self.user_director).action_verify()
        self.assertEqual(rect.return_visit_ids.partner_id, opinion.partner_ids)
        self.assertEqual(rect.return_visit_ids.unit_id, dissatisfied_unit.unit_id)
        opinion.action_done()
        self.assertEqual(opinion.state, "done")
