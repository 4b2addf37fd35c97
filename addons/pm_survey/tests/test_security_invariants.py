# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Campaign approvals, figures and forms hold against plain writes (R-SUR-2,
R-SUR-5/7, R-APPROVE-1) and the survey data is kept (R-KEEP-1)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SurveyCommon, utc


@tagged("security")
class TestSurveyInvariants(SurveyCommon):
    def test_campaign_approval_only_through_actions(self):
        campaign = self._campaign()
        as_agent = campaign.with_user(self.user_agent)
        for vals in (
            {"state": "approved"},
            {"approve_user_id": self.user_agent.id},
            {"approve_date": "2024-02-01 00:00:00"},
            {"recovery_rate": 100.0},
            {"target_count": 1},
        ):
            with self.assertRaisesText(UserError, "only change through its actions"):
                as_agent.write(vals)
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.approve_user_id)
        with self.assertRaisesText(UserError, "only change through its actions"):
            self.env["pm.survey.campaign"].with_user(self.user_agent).create(
                {
                    "property_id": self.property_a.id,
                    "date_start": "2024-03-01",
                    "date_end": "2024-03-12",
                    "state": "approved",
                }
            )
        # the actions record each step with its user; the group is checked
        as_agent.action_generate_distribution()
        as_agent.action_submit()
        self.assertEqual(campaign.submit_user_id, self.user_agent)
        with self.assertRaises(AccessError):
            as_agent.action_confirm()
        campaign.with_user(self.user_director).action_confirm()
        self.assertEqual(campaign.state, "confirmed")
        self.assertEqual(campaign.confirm_user_id, self.user_director)

    def test_form_returned_only_by_its_answer(self):
        campaign = self._running_campaign()
        line = campaign.distribution_ids[0].with_user(self.user_agent)
        for vals in (
            {"returned_at": utc(2024, 3, 4)},
            {"invitation_sent": True},
        ):
            with self.assertRaisesText(UserError, "only change through its actions"):
                line.write(vals)
        self.assertEqual(line.state, "distributed")
        self.assertEqual(campaign.returned_count, 0)
        # keying in the paper form returns it
        self._key_in(line, "very_satisfied")
        self.assertEqual(line.state, "returned")

    def test_closed_campaign_and_answers_are_kept(self):
        campaign = self._running_campaign()
        line = campaign.distribution_ids[0]
        answer = self._key_in(line.with_user(self.user_agent), "very_satisfied")
        self.assertEqual(line.state, "returned")
        # one retention rule, one message (the returned form and its answer)
        kept = "must be kept for the retention period"
        with self.assertRaisesText(UserError, kept):
            line.user_input_ids.with_user(self.user_manager).sudo().unlink()
        with self.assertRaisesText(UserError, kept):
            line.with_user(self.user_manager).unlink()
        campaign.close_reason = "Short campaign."
        campaign.action_close()
        with self.assertRaisesText(UserError, "closed"):
            campaign.with_user(self.user_manager).write({"purpose": "Rewritten"})
        with self.assertRaisesText(UserError, "closed"):
            line.with_user(self.user_manager).write({"signed_off": True})
        with self.assertRaisesText(UserError, kept):
            campaign.with_user(self.user_manager).unlink()
        self.assertTrue(campaign.exists() and line.exists())
        self.assertTrue(answer)
