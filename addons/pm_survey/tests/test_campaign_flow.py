# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SurveyCommon, utc


@tagged("pm_survey", "-at_install", "post_install")
class TestCampaignFlow(SurveyCommon):
    def test_campaign_defaults_questionnaire_and_items(self):
        campaign = self._campaign()
        # R-SUR-1: period from the dates; a copy of the 5-level questionnaire
        self.assertEqual((campaign.year, campaign.period), (2024, "h1"))
        self.assertIn("Property A", campaign.name)
        self.assertNotEqual(
            campaign.survey_id, self.env.ref("pm_survey.pm_survey_template_5")
        )
        self.assertEqual(len(campaign.item_line_ids), 6)
        self.assertEqual(
            set(campaign.item_line_ids.question_id.survey_id.ids),
            {campaign.survey_id.id},
        )
        three = self._campaign(
            scale="3", date_start=date(2024, 9, 1), date_end=date(2024, 9, 10)
        )
        self.assertEqual(three.period, "h2")
        levels = set(
            three.item_line_ids.question_id.suggested_answer_ids.mapped("pm_level")
        )
        self.assertEqual(levels, {"very_satisfied", "basic", "dissatisfied"})
        # a 5-level questionnaire cannot be rated on a 3-level scale
        with self.assertRaises(ValidationError):
            campaign.scale = "3"

    def test_four_step_approval(self):
        """R-SUR-2: agent drafts, director confirms, quality (deputy GM) reviews,
        manager (GM) approves; each step keeps user and time; the wrong person is
        refused."""
        campaign = self._campaign().with_user(self.user_agent)
        campaign.action_generate_distribution()
        steps = [
            (
                "action_submit",
                self.user_agent,
                "submitted",
                "submit",
                self.user_technician,
            ),
            (
                "action_confirm",
                self.user_director,
                "confirmed",
                "confirm",
                self.user_agent,
            ),
            (
                "action_review",
                self.user_quality,
                "reviewed",
                "review",
                self.user_director,
            ),
            (
                "action_approve",
                self.user_manager,
                "approved",
                "approve",
                self.user_quality,
            ),
        ]
        for hour, (method, user, state, step, wrong_user) in enumerate(steps, start=9):
            with self.assertRaises(AccessError):
                getattr(campaign.with_user(wrong_user), method)()
            with freeze_time(f"2024-02-0{hour - 8} {hour:02d}:00:00"):
                getattr(campaign.with_user(user), method)()
            self.assertEqual(campaign.state, state)
            self.assertEqual(campaign[f"{step}_user_id"], user)
            self.assertEqual(
                str(campaign[f"{step}_date"]), f"2024-02-0{hour - 8} {hour:02d}:00:00"
            )
        # steps cannot be skipped or repeated
        with self.assertRaises(UserError):
            campaign.with_user(self.user_manager).action_approve()

    def test_steps_in_order(self):
        campaign = self._campaign()
        with self.assertRaises(UserError):
            campaign.with_user(self.user_manager).action_review()
        self.assertEqual(campaign.state, "draft")

    def test_reject_with_reason(self):
        campaign = self._campaign()
        campaign.action_generate_distribution()
        campaign.with_user(self.user_agent).action_submit()
        campaign.with_user(self.user_director).action_confirm()
        wizard_action = campaign.action_open_reject_wizard()
        self.assertEqual(wizard_action["res_model"], "pm.approval.reject.wizard")
        # an agent may not reject
        with self.assertRaises(AccessError):
            campaign.with_user(self.user_agent)._pm_approval_reject("no")
        with self.assertRaises(UserError):
            campaign.with_user(self.user_quality)._pm_approval_reject("  ")
        form = Form(
            self.env["pm.approval.reject.wizard"]
            .with_user(self.user_quality)
            .with_context(**wizard_action["context"])
        )
        form.reason = "Add the parking item"
        form.save().action_reject()
        self.assertEqual(campaign.state, "draft")
        self.assertEqual(campaign.reject_reason, "Add the parking item")
        self.assertEqual(campaign.reject_user_id, self.user_quality)
        self.assertFalse(campaign.confirm_user_id)
        self.assertEqual(campaign.submit_user_id, self.user_agent)

    def test_dates_reversed(self):
        with self.assertRaisesText(ValidationError, "before its start"):
            self._campaign(date_start=date(2024, 3, 12), date_end=date(2024, 3, 1))
        # nothing half-saved
        self.assertFalse(
            self.env["pm.survey.campaign"].search(
                [("date_start", "=", date(2024, 3, 12))]
            )
        )

    def test_collection_window(self):
        """R-SUR-4: 10 to 15 days unless overridden with a reason."""
        self._campaign(date_end=date(2024, 3, 10))  # 10 days: fine
        self._campaign(date_end=date(2024, 3, 15))  # 15 days: fine
        for end in (date(2024, 3, 9), date(2024, 3, 16)):
            with self.subTest(end=end), self.assertRaisesText(ValidationError, "days"):
                self._campaign(date_end=end)
        with self.assertRaisesText(ValidationError, "reason"):
            self._campaign(date_end=date(2024, 3, 5), window_override=True)
        campaign = self._campaign(
            date_end=date(2024, 3, 5),
            window_override=True,
            window_override_reason="Spring festival",
        )
        self.assertEqual(campaign.window_days, 5)
        # configurable
        self.env["ir.config_parameter"].set_param("pm_survey.window_min_days", 3)
        self._campaign(date_end=date(2024, 3, 4))

    def test_full_flow_and_closing_rule(self):
        """From approval to closed; below 30 % recovery a closing note is needed
        (R-SUR-7)."""
        campaign = self._running_campaign()
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.target_count, 5)  # ceil(98 % of 5)
        self.assertEqual(campaign.distributed_count, 5)
        self._key_in(campaign.distribution_ids[0], "very_satisfied")
        self.assertEqual(campaign.recovery_rate, 20.0)
        self.assertTrue(campaign.recovery_low)
        with self.assertRaisesText(UserError, "closing note"):
            campaign.action_close()
        self.assertEqual(campaign.state, "running")
        # a second answer lifts the rate to 40 %: no note needed
        self._key_in(campaign.distribution_ids[1], "satisfied")
        self.assertEqual(campaign.recovery_rate, 40.0)
        self.assertFalse(campaign.recovery_low)
        with freeze_time("2024-03-13 02:00:00"):
            campaign.action_close()
        self.assertEqual(campaign.state, "closed")
        self.assertTrue(campaign.recovery_low is False)
        with self.assertRaises(UserError):
            campaign.unlink()
        # R-KEEP-1: nor the items its figures are made of, by the agent who can
        # delete the items of a campaign being prepared
        item = campaign.item_line_ids[:1]
        with self.assertRaisesText(UserError, "must be kept for the retention period"):
            item.with_user(self.user_agent).unlink()
        self.assertTrue(item.exists())

    def test_close_low_recovery_with_note(self):
        campaign = self._running_campaign()
        campaign.close_reason = "Owners away for the holidays"
        campaign.action_close()
        self.assertEqual(campaign.state, "closed")
        self.assertTrue(campaign.recovery_low)

    def test_empty_campaign_needs_note(self):
        campaign = self._campaign()
        campaign.write({"state": "approved"})
        campaign.action_start()
        # nothing handed out: no recovery rate to show, and still flagged
        self.assertEqual(campaign.recovery_rate_display, "—")
        with self.assertRaises(UserError):
            campaign.action_close()

    def test_start_needs_approval(self):
        campaign = self._campaign()
        with self.assertRaises(UserError):
            campaign.action_start()
        # the draft lists its forms for the approvers; under approval the list
        # stays as submitted
        campaign.action_generate_distribution()
        self.assertEqual(len(campaign.distribution_ids), 5)
        campaign.with_user(self.user_agent).action_submit()
        campaign.distribution_ids[1:].unlink()
        with self.assertRaises(UserError):
            campaign.action_generate_distribution()
        self.assertEqual(len(campaign.distribution_ids), 1)
        with self.assertRaises(UserError):
            campaign.action_start()

    def test_target_frozen_at_start(self):
        campaign = self._campaign()
        self.assertEqual(campaign.target_count, 5)
        # large property: 90 %
        self.property_a.total_floor_area = 50000
        self.assertEqual(campaign.target_count, 5)  # ceil(4.5)
        self.env["ir.config_parameter"].set_param("pm_survey.quota_rate_large", 50)
        campaign.write({"state": "approved"})
        campaign.action_start()
        self.assertEqual(campaign.target_count, 3)  # ceil(2.5)
        campaign.action_generate_distribution()
        self.assertEqual(len(campaign.distribution_ids), 3)
        self.assertNotIn(self.unit_vacant, campaign.distribution_ids.unit_id)
        with freeze_time(utc(2024, 3, 2)):
            campaign.distribution_ids.action_hand_out()
        self.assertEqual(campaign.distributed_count, 3)


@tagged("pm_survey", "-at_install", "post_install")
class TestCampaignApprovalNotices(SurveyCommon):
    """R-APPROVE-1 on campaigns: each step asks the next approvers with one
    activity each, done or removed once the step is taken."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_director_b = cls._pm_user(
            "pm_t_director_b", "director", name="Director B"
        )
        cls.property_b.director_id = cls.user_director_b
        cls.approval = cls.env.ref("pm_base.mail_activity_type_pm_approval")

    def _asked(self, campaign):
        return campaign.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.approval
        )

    def _to_approve(self, user):
        return (
            self.env["pm.survey.campaign"]
            .with_user(user)
            .search([("pm_to_approve", "=", True)])
        )

    def test_empty_campaign_refused(self):
        campaign = self._campaign()
        with self.assertRaisesText(UserError, "no distribution lines"):
            campaign.with_user(self.user_agent).action_submit()
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.submit_user_id)
        self.assertFalse(self._asked(campaign))

    def test_each_step_asks_the_next_group(self):
        campaign = self._campaign()
        campaign.with_user(self.user_agent).action_generate_distribution()
        campaign.with_user(self.user_agent).action_submit()
        # the director of the property, not the one of property B
        self.assertEqual(self._asked(campaign).user_id, self.user_director)
        self.assertEqual(self._to_approve(self.user_director), campaign)
        self.assertFalse(self._to_approve(self.user_director_b))
        self.assertFalse(self._to_approve(self.user_manager))
        campaign.with_user(self.user_director).action_confirm()
        # quality users of the company, not managers (who only approve)
        asked = self._asked(campaign)
        self.assertIn(self.user_quality, asked.user_id)
        self.assertEqual(len(asked), len(asked.user_id), "one activity per approver")
        for user in asked.user_id:
            self.assertTrue(user.has_group("pm_base.group_pm_quality"))
            self.assertFalse(user.has_group("pm_base.group_pm_manager"))
            self.assertIn(self.company, user.company_ids)
        self.assertEqual(set(asked.mapped("summary")), {"Campaign to be reviewed"})
        waiting = self._to_approve(self.user_quality)
        self.assertIn(campaign, waiting)
        self.assertEqual(set(waiting.mapped("state")), {"confirmed"})
        self.assertFalse(self._to_approve(self.user_director))
        campaign.with_user(self.user_quality).action_review()
        asked = self._asked(campaign)
        self.assertIn(self.user_manager, asked.user_id)
        self.assertNotIn(self.user_quality, asked.user_id)
        self.assertTrue(
            all(user.has_group("pm_base.group_pm_manager") for user in asked.user_id)
        )
        self.assertEqual(len(asked), len(asked.user_id), "one activity per approver")
        waiting = self._to_approve(self.user_manager)
        self.assertIn(campaign, waiting)
        self.assertEqual(set(waiting.mapped("state")), {"reviewed"})
        campaign.with_user(self.user_manager).action_approve()
        self.assertEqual(campaign.state, "approved")
        self.assertFalse(self._asked(campaign))
        self.assertNotIn(campaign, self._to_approve(self.user_manager))

    def test_rejection_removes_the_request(self):
        campaign = self._campaign()
        campaign.action_generate_distribution()
        campaign.with_user(self.user_agent).action_submit()
        campaign.with_user(self.user_director).action_confirm()
        self.assertTrue(self._asked(campaign))
        campaign.with_user(self.user_quality)._pm_approval_reject(
            "Add the parking item"
        )
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(self._asked(campaign))
