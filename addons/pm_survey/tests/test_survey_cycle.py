# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The survey cycle runs by itself (R-SUR-1, R-SUR-2, R-SUR-9, R-APPROVE-1,
R-MAIL-1, R-TZ-1): the next campaign prepared and submitted on its preparation
date, its analysis reviewed by the director, quality and management, then
published to the property's owners."""

from collections import Counter
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.pm_base.tools.approvals import APPROVAL_ACTIVITY
from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

from ..models import survey_rules
from .common import SurveyCommon, utc

# 2027-H2 starts on 1 July; 14 days before is 17 June, 00:00 in Shanghai
PREPARATION = "2027-06-16 16:00:00"
DAY_BEFORE_END = "2027-06-16 15:59:59"


@tagged("pm_survey", "-at_install", "post_install")
class TestCycleRules(SurveyCommon):
    def test_due_period_table(self):
        cases = [
            # today, lead, months -> period
            (date(2027, 6, 16), 14, 6, (date(2027, 1, 1), 2027, "h1")),
            (date(2027, 6, 17), 14, 6, (date(2027, 7, 1), 2027, "h2")),
            (date(2027, 12, 17), 14, 6, (date(2027, 7, 1), 2027, "h2")),
            (date(2027, 12, 18), 14, 6, (date(2028, 1, 1), 2028, "h1")),
            (date(2027, 6, 1), 30, 6, (date(2027, 7, 1), 2027, "h2")),
            (date(2027, 6, 17), 14, 12, (date(2027, 1, 1), 2027, "year")),
            (date(2027, 12, 18), 14, 12, (date(2028, 1, 1), 2028, "year")),
            (date(2027, 7, 1), 0, 6, (date(2027, 7, 1), 2027, "h2")),
        ]
        for today, lead, months, expected in cases:
            with self.subTest(today=today, lead=lead, months=months):
                self.assertEqual(survey_rules.due_period(today, lead, months), expected)
        self.assertEqual(survey_rules.cycle_length(6), 6)
        self.assertEqual(survey_rules.cycle_length(12), 12)
        self.assertEqual(survey_rules.cycle_length(0), 6)
        self.assertEqual(
            survey_rules.preparation_date(date(2027, 7, 1), 14), date(2027, 6, 17)
        )


@tagged("pm_survey", "-at_install", "post_install")
class TestCycleCron(SurveyCommon):
    """Property A ran its 2027-H1 campaign (4-15 January, five households);
    property B never ran one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.last = cls._campaign(
            date_start=date(2027, 1, 4),
            date_end=date(2027, 1, 15),
            purpose="Half-yearly owner survey",
            staff_ids=[(6, 0, cls.user_agent.ids)],
            user_id=cls.user_agent.id,
        )
        cls.last.action_generate_distribution()
        cls.last.write({"state": "closed"})
        cls.Campaign = cls.env["pm.survey.campaign"]

    def _run(self, when):
        with freeze_time(when):
            self.Campaign._cron_prepare_next_campaigns()
        return (
            self.Campaign.with_context(active_test=False).search(
                [("property_id", "in", (self.property_a | self.property_b).ids)]
            )
            - self.last
        )

    def _asked(self, record, activity="pm_base.mail_activity_type_pm_approval"):
        return record.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(activity)
        )

    def test_prepared_and_submitted_at_the_preparation_date(self):
        self.assertFalse(self._run(DAY_BEFORE_END), "one second before: nothing")
        new = self._run(PREPARATION)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.property_id, self.property_a)
        self.assertEqual((new.year, new.period), (2027, "h2"))
        self.assertEqual(new.date_start, date(2027, 7, 1))
        self.assertEqual(new.date_end, date(2027, 7, 12))
        self.assertEqual(new.state, "submitted")
        self.assertEqual(new.submit_user_id, self.env.ref("base.user_root"))
        self.assertEqual(new.user_id, self.user_agent)
        self.assertEqual(new.staff_ids, self.user_agent)
        self.assertEqual(new.purpose, "Half-yearly owner survey")
        # the last questionnaire copied, not shared (its answers stay with it)
        self.assertNotEqual(new.survey_id, self.last.survey_id)
        self.assertEqual(
            new.survey_id.question_ids.mapped("title"),
            self.last.survey_id.question_ids.mapped("title"),
        )
        self.assertEqual(new.item_line_ids.item_id, self.last.item_line_ids.item_id)
        self.assertEqual(new.survey_id.title, new.name)
        # the same households
        self.assertEqual(
            new.distribution_ids.unit_id, self.last.distribution_ids.unit_id
        )
        # the director of the property is asked, with an activity due that day
        asked = self._asked(new)
        self.assertEqual(asked.user_id, self.user_director)
        self.assertEqual(asked.date_deadline, date(2027, 6, 17))
        # rerun, that day or later in the period: nothing more
        self.assertEqual(self._run(PREPARATION), new)
        self.assertEqual(self._run("2027-09-01 02:00:00"), new)

    def _assert_none_made_beside(self, vals):
        """A campaign of the period made by hand (``vals`` written on it): the
        cron makes none."""
        manual = self._campaign(date_start=date(2027, 7, 5), date_end=date(2027, 7, 16))
        manual.write(vals)
        self.assertEqual(self._run(PREPARATION), manual)
        self.assertEqual(self._run("2027-06-20 02:00:00"), manual)

    def test_never_two_campaigns_of_a_period(self):
        self._assert_none_made_beside({})

    def test_never_two_campaigns_of_a_period_cancelled(self):
        self._assert_none_made_beside({"state": "cancelled"})

    def test_never_two_campaigns_of_a_period_archived(self):
        self._assert_none_made_beside({"active": False})

    def test_empty_campaign_not_submitted(self):
        """The households of the last campaign moved out: the campaign is made
        in draft and its responsible asked to prepare it, no approver asked."""
        self.units.write({"state": "vacant"})
        new = self._run(PREPARATION)
        self.assertEqual(new.state, "draft")
        self.assertFalse(new.distribution_ids)
        self.assertFalse(self._asked(new))
        todo = self._asked(new, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.user_agent)
        self.assertEqual(self._run(PREPARATION), new)

    def test_settings_change_the_verdict(self):
        ICP = self.env["ir.config_parameter"]
        # 30 days of lead: prepared on 1 June, not with the default 14
        self.assertFalse(self._run("2027-05-31 16:00:00"))
        ICP.set_param("pm_survey.prepare_lead_days", 30)
        self.assertFalse(self._run("2027-05-31 15:59:59"))
        new = self._run("2027-05-31 16:00:00")
        self.assertEqual((new.year, new.period), (2027, "h2"))

    def test_yearly_cycle(self):
        self.env["ir.config_parameter"].set_param("pm_survey.cycle_months", 12)
        self.assertFalse(self._run(PREPARATION), "2027 has its campaign")
        new = self._run("2027-12-17 16:00:00")
        self.assertEqual((new.year, new.period), (2028, "year"))

    def test_only_the_system_submits_for_the_author(self):
        draft = self._campaign(date_start=date(2027, 7, 5), date_end=date(2027, 7, 16))
        draft.action_generate_distribution()
        with self.assertRaises(AccessError):
            draft.with_user(self.user_manager)._pm_approval_submit_scheduled(
                "distribution_ids"
            )
        self.assertEqual(draft.state, "draft")


class AnalysisCommon(SurveyCommon):
    """A closed campaign of property A with two of its five forms back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._running_campaign()

    def _close(self):
        self._key_in(self.campaign.distribution_ids[0], "very_satisfied")
        self._key_in(self.campaign.distribution_ids[1], "dissatisfied")
        with freeze_time("2024-03-13 02:00:00"):
            self.campaign.action_close()

    def _produce(self):
        with freeze_time(utc(2024, 3, 14, 9)):
            self.campaign.with_user(self.user_agent).action_produce_analysis()
        return self.campaign.analysis_id

    def _approve_all(self, analysis):
        for user, action, hour in (
            (self.user_director, "action_director_review", 10),
            (self.user_quality, "action_quality_review", 11),
            (self.user_manager, "action_approve", 12),
        ):
            with freeze_time(utc(2024, 3, 15, hour)):
                getattr(analysis.with_user(user), action)()


@tagged("pm_survey", "-at_install", "post_install")
class TestAnalysisRoute(AnalysisCommon):
    def _asked(self, record):
        approval = self.env.ref(APPROVAL_ACTIVITY)
        return record.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == approval
        )

    def test_route_director_quality_management(self):
        with self.assertRaises(UserError):
            self.campaign.with_user(self.user_agent).action_produce_analysis()
        self._close()
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_technician).action_produce_analysis()
        analysis = self._produce()
        self.assertEqual(analysis.state, "submitted")
        self.assertEqual(analysis.submit_user_id, self.user_agent)
        self.assertEqual(analysis.pdf_attachment_id.mimetype, "application/pdf")
        self.assertTrue(analysis.pdf_attachment_id.raw.startswith(b"%PDF"))
        self.assertFalse(analysis.published)
        self.assertEqual(self._asked(analysis).user_id, self.user_director)
        # produced again while under review: refused
        with self.assertRaises(UserError):
            self.campaign.with_user(self.user_agent).action_produce_analysis()
        steps = (
            ("action_director_review", self.user_director, self.user_agent, "director"),
            ("action_quality_review", self.user_quality, self.user_director, "quality"),
            ("action_approve", self.user_manager, self.user_quality, "approve"),
        )
        following = (self.user_quality, self.user_manager, None)
        for hour, ((action, user, lower, step), nxt) in enumerate(
            zip(steps, following, strict=True), start=10
        ):
            with self.subTest(step=step):
                # a lower role is refused
                with self.assertRaises(AccessError):
                    getattr(analysis.with_user(lower), action)()
                # out of order: management before the reviews
                if step != "approve":
                    with self.assertRaises(UserError):
                        analysis.with_user(self.user_manager).action_approve()
                with freeze_time(utc(2024, 3, 15, hour)):
                    getattr(analysis.with_user(user), action)()
                self.assertEqual(analysis[f"{step}_user_id"], user)
                self.assertEqual(analysis[f"{step}_date"], utc(2024, 3, 15, hour))
                # recorded at the property's wall clock
                self.assertTrue(
                    analysis.message_ids.filtered(
                        lambda m, h=hour, u=user: f"2024-03-15 {h}:00" in m.body
                        and u.name in m.body
                    )
                )
                asked = self._asked(analysis)
                if nxt:
                    # the people of the next step's role (demo users too)
                    group = analysis._pm_approval_following(
                        analysis._pm_approval_step(step)
                    ).group
                    self.assertIn(nxt, asked.user_id)
                    self.assertTrue(all(u.has_group(group) for u in asked.user_id))
                else:
                    self.assertFalse(asked)
        self.assertEqual(analysis.state, "approved")
        self.assertTrue(analysis.published)

    def test_sent_back_and_produced_again(self):
        self._close()
        analysis = self._produce()
        first_pdf = analysis.pdf_attachment_id
        analysis.with_user(self.user_director)._pm_approval_reject("Add the opinions")
        self.assertEqual(analysis.state, "draft")
        analysis = self._produce()
        self.assertEqual(analysis.state, "submitted")
        self.assertNotEqual(analysis.pdf_attachment_id, first_pdf)
        self.assertTrue(first_pdf.exists(), "kept as the analysis' history")

    def test_owners_told_once_each(self):
        self._close()
        analysis = self._produce()
        with freeze_time(utc(2024, 3, 15, 9)):
            analysis.with_user(self.user_director).action_director_review()
            analysis.with_user(self.user_quality).action_quality_review()
        self._commit_work()
        marks = self._mail_mark()
        with freeze_time(utc(2024, 3, 15, 12)):
            analysis.with_user(self.user_manager).action_approve()
            self.env["pm.survey.analysis"]._cron_notify_owners(batch_size=3)
            self.env["pm.survey.analysis"]._cron_notify_owners(batch_size=3)
            self.env["pm.survey.analysis"]._cron_notify_owners(batch_size=3)
            self._commit_work()
        mails, per_partner = self._emails_since(marks)
        owners = self.owner | self.owners
        self.assertEqual(per_partner, Counter({owner: 1 for owner in owners}))
        self.assertEqual(len(mails), len(owners))
        self.assertFalse(analysis.notify_pending)
        # queued, none sent while the manager approves
        self.assertTrue(all(mail.state == "outgoing" for mail in mails))


@tagged("pm_survey", "-at_install", "post_install", "security")
class TestResultsOnPortal(AnalysisCommon, PortalCommon):
    def _page(self, login):
        self.authenticate(login, login)
        return self.url_open("/my/surveys")

    def test_published_to_the_owners_of_the_property_only(self):
        self._close()
        analysis = self._produce()
        link = f"/my/surveys/results/{analysis.id}"
        for state in ("submitted", "director_reviewed", "quality_reviewed"):
            with self.subTest(state=state):
                self.assertEqual(analysis.state, state)
                page = self._page("pm_p_owner")
                self.assertEqual(page.status_code, 200)
                self.assertNotIn(link, page.text)
                self.assertEqual(self._portal_counter("pm_survey_result_count"), 0)
                res = self.url_open(link, allow_redirects=False)
                self.assertEqual(res.status_code, 303)
                step = {
                    "submitted": ("action_director_review", self.user_director),
                    "director_reviewed": ("action_quality_review", self.user_quality),
                    "quality_reviewed": ("action_approve", self.user_manager),
                }[state]
                getattr(analysis.with_user(step[1]), step[0])()
        self.assertEqual(analysis.state, "approved")
        page = self._page("pm_p_owner")
        self.assertIn(link, page.text)
        # the home page's tile leads to it
        self.assertEqual(self._portal_counter("pm_survey_result_count"), 1)
        home = self.url_open("/my")
        self.assertIn("pm_survey_result_count", home.text)
        res = self.url_open(link)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.headers["Content-Type"], "application/pdf")
        self.assertTrue(res.content.startswith(b"%PDF"))
        # the owner of a unit of another property: neither listed nor served
        page = self._page("pm_p_owner2")
        self.assertNotIn(link, page.text)
        self.assertEqual(self._portal_counter("pm_survey_result_count"), 0)
        res = self.url_open(link, allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        # the tenant of a unit is not an owner
        page = self._page("pm_p_tenant")
        self.assertNotIn(link, page.text)
