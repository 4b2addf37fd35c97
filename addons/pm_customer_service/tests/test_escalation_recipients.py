# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ESCALATION, PmCaseCommon

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"


class RecipientsCommon(PmCaseCommon):
    """Leader A leads the team and is also the responsible person of the case:
    one person at two levels of the escalation ladder."""

    def _run_cron(self, xmlid):
        """The scheduled action as the scheduler runs it (its own user)."""
        self._run_manually(xmlid)
        self.env.flush_all()

    def _lobby_door(self, responsible, env=None, **values):
        """A rectification of property A due on 3 March, made in ``env`` (the
        test's by default) for ``responsible``."""
        env = env or self.env
        return env["pm.rectification"].create(
            {
                "property_id": self.property_a.id,
                "problem": "Broken lobby door",
                "team_id": self.team.id,
                "user_id": responsible.id,
                "deadline": "2026-03-03",
                **values,
            }
        )

    def _hinge_job(self, responsible):
        """The lobby door rectification the agent records on Monday 10:00 for
        ``responsible``: the hinge to replace."""
        with freeze_time(MONDAY_10):
            return self._lobby_door(
                responsible, self.env(user=self.user_agent), measure="Replace the hinge"
            )

    def _escalation_activities(self, record, user):
        return record.activity_ids.filtered(
            lambda a: a.user_id == user
            and a.activity_type_id == self.env.ref(ESCALATION)
        )


@tagged("pm_escalation", "post_install", "-at_install")
class TestCaseEscalationRecipients(RecipientsCommon):
    CRON = "pm_customer_service.ir_cron_pm_case_escalate"

    def test_one_activity_and_one_email_per_level(self):
        with freeze_time(MONDAY_10):
            case = self._create_case(user_id=self.user_leader.id)
        ack = case.acknowledge_deadline
        leader = self.user_leader.partner_id
        steps = [
            (ack - timedelta(hours=3), "0"),  # reminder: responsible
            (ack + timedelta(minutes=5), "1"),  # responsible
            (ack + timedelta(hours=24, minutes=5), "2"),  # team leader: the same
        ]
        for now, level in steps:
            since = self._mail_mark()
            with freeze_time(now):
                self._run_cron(self.CRON)
                self._run_cron(self.CRON)  # R-ESC-4: a rerun sends nothing
            self.assertEqual(case.escalation_level, level)
            self.assertEqual(self._mail_sent(case, since), {leader: (1, 0)}, level)
            activities = self._escalation_activities(case, self.user_leader)
            self.assertEqual(len(activities), 1, level)
        self.assertIn("Team Leader", activities.summary)
        self.assertEqual(str(activities.date_deadline), "2026-03-04")
        # the director is another person: an activity and an email of their own
        since = self._mail_mark()
        with freeze_time(ack + timedelta(hours=48, minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(
            self._mail_sent(case, since), {self.user_director.partner_id: (1, 0)}
        )
        self.assertEqual(len(self._escalation_activities(case, self.user_leader)), 1)
        self.assertEqual(len(self._escalation_activities(case, self.user_director)), 1)

    def test_levels_due_together_notify_once(self):
        # the scheduler was down for two days: three levels are due in one run
        with freeze_time(MONDAY_10):
            case = self._create_case(user_id=self.user_leader.id)
        ack = case.acknowledge_deadline
        since = self._mail_mark()
        with freeze_time(ack + timedelta(hours=48, minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(case.escalation_level, "3")
        # every level is logged ...
        logs = self.env["pm.escalation.log"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertEqual(sorted(logs.mapped("level")), [1, 2, 3])
        # ... but each person hears once: the highest level they are at
        self.assertEqual(
            self._mail_sent(case, since),
            {
                self.user_leader.partner_id: (1, 0),
                self.user_director.partner_id: (1, 0),
            },
        )
        activity = self._escalation_activities(case, self.user_leader)
        self.assertEqual(len(activity), 1)
        self.assertIn("Team Leader", activity.summary)
        self.assertEqual(len(self._escalation_activities(case, self.user_director)), 1)

    def test_reassigned_case_moves_its_activities(self):
        agent_2 = self._pm_user(
            "pm_t_agent2", "agent", name="Agent B", email="agent2@example.com"
        )
        self.property_a.user_ids = [(4, agent_2.id)]
        # of the case's team: an agent takes the cases of their own team
        self.team.member_ids = [(4, agent_2.id)]
        with freeze_time(MONDAY_10):
            case = self._create_case()
        ack = case.acknowledge_deadline
        with freeze_time(ack + timedelta(minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(
            len(self._escalation_activities(case, self.user_technician)), 1
        )
        since = self._mail_mark()
        # another agent takes the case over
        with freeze_time(ack + timedelta(hours=1)):
            case.with_user(agent_2).action_assign_to_me()
        self.assertEqual(case.user_id, agent_2)
        self.assertFalse(
            case.activity_ids.filtered(lambda a: a.user_id == self.user_technician)
        )
        self.assertEqual(len(self._escalation_activities(case, agent_2)), 1)
        # one email for the new responsible (the assignment), none per activity
        sent = self._mail_sent(case, since)
        self.assertEqual(sent[agent_2.partner_id][0], 1)
        self.assertNotIn(self.user_technician.partner_id, sent)
        # a new team: the former leader's activity goes to the new leader
        with freeze_time(ack + timedelta(hours=24, minutes=5)):
            self._run_cron(self.CRON)
        self.assertEqual(len(self._escalation_activities(case, self.user_leader)), 1)
        other_team = self._team(
            "Security A",
            self.user_director,
            "security",
            property_id=self.property_a.id,
        )
        since = self._mail_mark()
        case.with_user(agent_2).team_id = other_team
        self.assertFalse(self._escalation_activities(case, self.user_leader))
        self.assertEqual(len(self._escalation_activities(case, self.user_director)), 1)
        self.assertEqual(
            self._mail_sent(case, since), {self.user_director.partner_id: (1, 1)}
        )


@tagged("pm_escalation", "post_install", "-at_install")
class TestRectificationEscalationRecipients(RecipientsCommon):
    CRON = "pm_customer_service.ir_cron_pm_rectification_escalate"

    def test_responsible_and_leader_hear_once_per_level(self):
        # one email per level and person, from the rectification's mail template
        # through the queue, as for a case: no second copy as a notification
        rect = self._hinge_job(self.user_leader)
        leader = self.user_leader.partner_id
        # the deadline ends on 3 March at midnight in Shanghai: the first run
        # after it is level 1, a day later level 2 (both the leader)
        for now, level in (
            ("2026-03-03 16:30:00", "1"),
            ("2026-03-04 16:30:00", "2"),
        ):
            since = self._mail_mark()
            with freeze_time(now):
                self._run_cron(self.CRON)
                self._run_cron(self.CRON)
            self.assertEqual(rect.escalation_level, level)
            self.assertEqual(self._mail_sent(rect, since), {leader: (1, 0)}, level)
            self.assertEqual(
                len(self._escalation_activities(rect, self.user_leader)), 1
            )

    def test_levels_due_together_notify_once(self):
        with freeze_time(MONDAY_10):
            rect = self._lobby_door(self.user_leader)
        since = self._mail_mark()
        with freeze_time("2026-03-05 16:30:00"):
            self._run_cron(self.CRON)
        self.assertEqual(rect.escalation_level, "3")
        self.assertEqual(
            self._mail_sent(rect, since),
            {
                self.user_leader.partner_id: (1, 0),
                self.user_director.partner_id: (1, 0),
            },
        )
        self.assertEqual(len(self._escalation_activities(rect, self.user_leader)), 1)
