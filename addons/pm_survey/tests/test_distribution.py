# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RunningCampaignCommon, utc


@tagged("pm_survey", "-at_install", "post_install")
class TestDistribution(RunningCampaignCommon):
    def test_lines_per_occupied_unit(self):
        lines = self.campaign.distribution_ids
        self.assertEqual(lines.unit_id, self.units)
        self.assertEqual(lines[0].partner_id, self.owner)
        self.assertEqual(set(lines.mapped("state")), {"distributed"})

    def test_unoccupied_or_foreign_unit(self):
        Distribution = self.env["pm.survey.distribution"]
        with self.assertRaisesText(ValidationError, "not occupied"):
            Distribution.create(
                {"campaign_id": self.campaign.id, "unit_id": self.unit_vacant.id}
            )
        self.unit_b.state = "occupied"
        with self.assertRaisesText(ValidationError, "does not belong"):
            Distribution.create(
                {"campaign_id": self.campaign.id, "unit_id": self.unit_b.id}
            )
        with self.assertRaisesText(ValidationError, "already has a form"):
            Distribution.create(
                {"campaign_id": self.campaign.id, "unit_id": self.unit_a.id}
            )
        self.assertEqual(len(self.campaign.distribution_ids), 5)

    def test_visiting_hours(self):
        """R-SUR-4: 09:00-20:00 in the property's timezone, configurable."""
        line = self.campaign.distribution_ids[0]
        line.distributed_at = utc(2024, 3, 1, 9, 0)
        line.distributed_at = utc(2024, 3, 1, 20, 0)
        with self.assertRaisesText(ValidationError, "visiting hours"):
            line.distributed_at = utc(2024, 3, 1, 21, 30)
        with self.assertRaisesText(ValidationError, "visiting hours"):
            line.distributed_at = utc(2024, 3, 1, 7, 45)
        self.env["ir.config_parameter"].set_param("pm_survey.visit_hour_from", 7.5)
        line.distributed_at = utc(2024, 3, 1, 7, 45)
        self.assertEqual(line.state, "distributed")
        # online forms are not door visits
        line.write({"channel": "online", "distributed_at": utc(2024, 3, 1, 23)})
        self.assertEqual(line.channel, "online")

    def test_hand_out_button(self):
        campaign = self._prepared_campaign()
        line = campaign.distribution_ids[0]
        self.assertEqual(line.state, "draft")
        with freeze_time(utc(2024, 3, 1, 22)), self.assertRaises(ValidationError):
            line.with_user(self.user_agent).action_hand_out()
        with freeze_time(utc(2024, 3, 1, 11)):
            line.with_user(self.user_agent).action_hand_out()
        self.assertEqual(line.distributed_by_id, self.user_agent)
        self.assertEqual(line.distributed_at, utc(2024, 3, 1, 11))
        line.action_sign_off()
        self.assertTrue(line.signed_off)

    def test_paper_wizard(self):
        """R-SUR-5: one household keyed in with a level for all and one change."""
        line = self.campaign.distribution_ids[1]
        with freeze_time(utc(2024, 3, 5, 16)):
            action = self.campaign.with_user(
                self.user_agent
            ).action_open_answer_wizard()
            wizard = self.env["pm.survey.answer.wizard"].browse(action["res_id"])
            wizard = wizard.with_user(self.user_agent)
            form = Form(wizard)
            form.distribution_id = line
            form.default_level = "satisfied"
            with form.line_ids.edit(1) as answer:
                answer.answer_id = answer.question_id.suggested_answer_ids.filtered(
                    lambda a: a.pm_level == "dissatisfied"
                )
            form.opinion = '=HYPERLINK("x") please trim the hedges'
            form.opinion_item_id = self.env.ref("pm_survey.pm_survey_item_greening")
            next_action = form.save().action_save_next()
        self.assertEqual(line.state, "returned")
        self.assertEqual(line.channel, "paper")
        self.assertEqual(line.respondent, "signed")
        self.assertEqual(line.returned_at, utc(2024, 3, 5, 16))
        answer = line.user_input_id
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.partner_id, line.partner_id)
        levels = answer.user_input_line_ids.mapped("pm_level")
        self.assertEqual(levels.count("satisfied"), 5)
        self.assertEqual(levels.count("dissatisfied"), 1)
        opinion = self.campaign.opinion_ids
        self.assertEqual(opinion.distribution_id, line)
        self.assertEqual(opinion.team_type, "greening")
        self.assertEqual(opinion.partner_ids, line.partner_id)
        # next form opened on another unit
        next_wizard = self.env["pm.survey.answer.wizard"].browse(next_action["res_id"])
        self.assertNotEqual(next_wizard.distribution_id, line)
        self.assertEqual(len(next_wizard.line_ids), 6)

    def test_wizard_requires_every_answer(self):
        action = self.campaign.action_open_answer_wizard()
        wizard = self.env["pm.survey.answer.wizard"].browse(action["res_id"])
        with self.assertRaisesText(UserError, "Choose an answer"):
            wizard.action_save()
        self.assertFalse(wizard.distribution_id.user_input_ids)

    def test_same_unit_answers_twice(self):
        line = self.campaign.distribution_ids[0]
        self._key_in(line, "basic")
        with self.assertRaisesText(UserError, "already answered"):
            self._key_in(line, "very_satisfied")
        self.assertEqual(len(line.user_input_ids), 1)
        # an online answer of the same unit is refused too
        online = self.campaign.survey_id._create_answer(
            partner=line.partner_id, check_attempts=False, pm_distribution_id=line.id
        )
        with freeze_time(utc(2024, 3, 6)), self.assertRaises(UserError):
            online._mark_done()
        self.assertNotEqual(online.state, "done")

    def test_answer_after_window(self):
        line = self.campaign.distribution_ids[0]
        with self.assertRaisesText(ValidationError, "outside the collection window"):
            self._key_in(line, "basic", when=utc(2024, 3, 13, 10))
        self.assertEqual(line.state, "distributed")
        self.assertFalse(line.user_input_ids)
        # the last day counts, in Shanghai time (23:30 local is 15:30 UTC)
        self.env["ir.config_parameter"].set_param("pm_survey.visit_hour_to", 24)
        self._key_in(line, "basic", when=utc(2024, 3, 12, 23, 30))
        self.assertEqual(line.state, "returned")

    def test_anonymous_form(self):
        line = self.campaign.distribution_ids[2]
        answer = self._key_in(line, "basic", respondent="anonymous")
        self.assertEqual(line.respondent, "anonymous")
        self.assertFalse(answer.partner_id)

    def test_invitations_in_batches(self):
        """Survey links go out a batch per cron run, one email per owner; a form
        answered before its turn gets no link."""
        self.env["ir.config_parameter"].set_param("pm_survey.invitation_batch_size", 2)
        lines = self.campaign.distribution_ids
        answered = lines[-1]
        cron = self.env.ref("pm_survey.ir_cron_pm_survey_invitations")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        with freeze_time(utc(2024, 3, 2, 2)):
            action = self.campaign.with_user(self.user_agent).action_send_invitations()
            self.assertIn("5", action["params"]["message"])
            self.assertEqual(
                Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1
            )
            self._key_in(answered, "basic")
            runs = self._cron_worker_runs(
                "pm_survey.ir_cron_pm_survey_invitations",
                lambda env: env["pm.survey.distribution"]._cron_send_invitations(),
                limit=5,
            )
        self.assertEqual(
            [(run.done, run.remaining) for run in runs], [(2, 3), (2, 1), (1, 0)]
        )
        self.assertFalse(lines.filtered("invitation_pending"))
        self.assertEqual((lines - answered).mapped("invitation_sent"), [True] * 4)
        self.assertFalse(answered.invitation_sent)
        mails = self.env["mail.mail"].search(
            [("model", "=", "pm.survey.distribution"), ("res_id", "in", lines.ids)]
        )
        self.assertEqual(len(mails), 4)
        self.assertEqual(
            mails.recipient_ids, (lines - answered).partner_id, "one email per owner"
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_email_invitation_and_online_answer(self):
        """R-SUR-5: the owner gets a personal link bound to the unit's form; the
        completed answer returns the form."""
        campaign = self._prepared_campaign()
        line = campaign.distribution_ids.filtered(lambda d: d.unit_id == self.unit_a)
        with freeze_time(utc(2024, 3, 2, 22)):
            campaign.action_send_invitations()
            self.assertTrue(line.invitation_pending)
            self.assertFalse(line.invitation_sent, "the button only queues the work")
            self.env["pm.survey.distribution"]._cron_send_invitations()
        self.assertFalse(line.invitation_pending)
        self.assertEqual(line.channel, "online")
        self.assertTrue(line.invitation_sent)
        answer = line.user_input_id
        self.assertEqual(answer.partner_id, self.owner)
        self.assertEqual(answer.pm_campaign_id, campaign)
        self.assertEqual(answer.deadline, utc(2024, 3, 12, 23, 59).replace(second=59))
        mail = self.env["mail.mail"].search(
            [("model", "=", "pm.survey.distribution"), ("res_id", "=", line.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.owner, mail.recipient_ids)
        self.assertIn(answer.access_token, mail.body_html)
        self.assertEqual(mail.state, "outgoing")
        # the owner answers online
        for question, choice in self._answers(campaign, "very_satisfied").items():
            answer._save_lines(question, choice.id)
        with freeze_time(utc(2024, 3, 4, 23)):
            answer._mark_done()
        self.assertEqual(line.state, "returned")
        self.assertEqual(line.returned_at, utc(2024, 3, 4, 23))
        self.assertEqual(campaign.returned_count, 1)
        self.assertEqual(campaign.satisfaction_rate, 100.0)
        # a second invitation of the answered unit is refused
        with self.assertRaises(UserError):
            line.action_send_invitation()

    def test_online_answer_after_window(self):
        campaign = self._prepared_campaign()
        line = campaign.distribution_ids[0]
        with freeze_time(utc(2024, 3, 2, 12)):
            line.action_send_invitation()
        answer = line.user_input_id
        for question, choice in self._answers(campaign, "basic").items():
            answer._save_lines(question, choice.id)
        with freeze_time(utc(2024, 3, 14, 12)), self.assertRaises(ValidationError):
            answer._mark_done()
        self.assertEqual(line.state, "distributed")

    def test_invitation_needs_email(self):
        self.owner.email = False
        with self.assertRaisesText(UserError, "no email"):
            self.campaign.distribution_ids[0].action_send_invitation()
