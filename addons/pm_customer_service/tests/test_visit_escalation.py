# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Household visits, visit issues and return visits escalate on the one ladder
of cases (R-CLOCK-1, R-ESC-1, R-ESC-4): the visitor (or the team the issue was
passed to), then the customer-service office of the property, then its
director, then the quality department; each level once, one email per person,
a log row per step."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ESCALATION, about
from .test_escalation_recipients import RecipientsCommon

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"
# the end of Tuesday 3 March in Shanghai (23:59:59), in UTC
TUESDAY_END = datetime(2026, 3, 3, 15, 59, 59)
SECOND = timedelta(seconds=1)
DAY = timedelta(hours=24)


class VisitEscalationCommon(RecipientsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the customer-service office of property A, led by Office A
        cls.user_office = cls._pm_user(
            "pm_t_office", "agent", name="Office A", email="office@example.com"
        )
        cls.user_office.pm_property_ids = cls.property_a
        cls.office = cls._team_a(
            "Office A", cls.user_office, cls.user_office, team_type="customer_service"
        )
        cls.property_a.team_id = cls.office

    def _visit(self, env=None, **values):
        """A door visit of unit A101 the agent plans on Monday, due Tuesday."""
        env = env or self.env(user=self.user_agent)
        with freeze_time(MONDAY_10):
            return env["pm.visit"].create(
                {
                    "property_id": self.property_a.id,
                    "unit_id": self.unit_a.id,
                    "partner_id": self.owner.id,
                    "visitor_id": self.user_agent.id,
                    "due_date": "2026-03-03",
                    **values,
                }
            )

    def _return_visit(self, **values):
        """A return visit the technician plans on Monday, due Tuesday."""
        with freeze_time(MONDAY_10):
            return (
                self.env(user=self.user_technician)["pm.return.visit"]
                .create(
                    {
                        "property_id": self.property_a.id,
                        "unit_id": self.unit_a.id,
                        "partner_id": self.owner.id,
                        "visitor_id": self.user_technician.id,
                        "due_date": "2026-03-03",
                        **values,
                    }
                )
                .with_user(self.env.user)
            )

    def _issue(self, **values):
        """An issue the agent records in a visit made on Monday 10:00 (the
        issue is due three days later, on Thursday), passed to the
        engineering team of Leader A."""
        visit = self._visit()
        with freeze_time(MONDAY_10):
            visit.with_user(self.user_agent).action_done()
            issue = (
                self.env(user=self.user_agent)["pm.visit.issue"]
                .create(
                    {
                        "visit_id": visit.id,
                        "description": "Corridor light broken",
                        "team_id": self.team.id,
                        **values,
                    }
                )
                .with_user(self.env.user)
            )
        return issue

    def _log(self, record):
        return (
            self.env["pm.escalation.log"]
            .sudo()
            .search(about(record, model_field="res_model"), order="level")
        )

    def _climb(self, record, cron, deadline, ladder):
        """Run ``cron`` twice at each ``(moment, level, recipient)`` of
        ``ladder``: the record reaches ``level`` and ``recipient`` (a user, or
        nobody) gets one email, the second run nothing (R-ESC-4)."""
        for moment, level, recipient in ladder:
            since = self._mail_mark()
            logged = len(self._log(record))
            with freeze_time(moment):
                self._run_cron(cron)
                self._run_cron(cron)
            record.invalidate_recordset()
            self.assertEqual(record.escalation_level, level, moment)
            expected = {recipient.partner_id: (1, 0)} if recipient else {}
            self.assertEqual(self._mail_sent(record, since), expected, moment)
            added = self._log(record)[logged:]
            self.assertEqual(len(added), 1 if recipient else 0, moment)
            if recipient:
                self.assertEqual(added.user_id, recipient, moment)
                self.assertEqual(str(added.level), level, moment)
                self.assertEqual(
                    len(self._escalation_activities(record, recipient)), 1, moment
                )


@tagged("pm_escalation", "post_install", "-at_install")
class TestVisitEscalationWatch(VisitEscalationCommon):
    """What each kind of record is held to, row by row."""

    def test_visit_watch(self):
        rows = [
            # (state reached by, due date, expected)
            (None, "2026-03-03", ("visit", TUESDAY_END)),
            (None, False, (False, False)),
            ("action_done", "2026-03-03", (False, False)),
            ("action_cancel", "2026-03-03", (False, False)),
        ]
        for action, due, expected in rows:
            with self.subTest(action=action, due=due):
                visit = self._visit(due_date=due)
                if action:
                    with freeze_time(MONDAY_10):
                        getattr(visit.with_user(self.user_agent), action)()
                self.assertEqual(visit._pm_escalation_watch(), expected)
                next_date = expected[1] and expected[1] - timedelta(hours=4)
                self.assertEqual(visit.escalation_next_date, next_date)
                self.assertEqual(visit.escalation_kind, expected[0])

    def test_return_visit_watch(self):
        rows = [
            (None, "2026-03-03", ("return_visit", TUESDAY_END)),
            (None, "2026-03-04", ("return_visit", TUESDAY_END + DAY)),
            (None, False, (False, False)),
            ("action_cancel", "2026-03-03", (False, False)),
        ]
        for action, due, expected in rows:
            with self.subTest(action=action, due=due):
                visit = self._return_visit(due_date=due)
                if action:
                    getattr(visit.with_user(self.user_technician), action)()
                self.assertEqual(visit._pm_escalation_watch(), expected)
                self.assertEqual(visit.escalation_kind, expected[0])
        done = self._return_visit()
        done.with_user(self.user_technician).write({"satisfaction": "4"})
        done.with_user(self.user_technician).action_done()
        self.assertEqual(done._pm_escalation_watch(), (False, False))
        self.assertFalse(done.escalation_next_date)

    def test_issue_watch(self):
        thursday_end = TUESDAY_END + 2 * DAY
        issue = self._issue()
        self.assertEqual(issue.visit_date.isoformat(), "2026-03-02")
        self.assertEqual(issue._pm_escalation_watch(), ("issue", thursday_end))
        self.assertEqual(issue.escalation_kind, "issue")
        # the setting moves the due date
        self.env["ir.config_parameter"].sudo().set_param(
            "pm_customer_service.visit_issue_days", "1"
        )
        self.assertEqual(issue._pm_escalation_watch(), ("issue", TUESDAY_END))
        self.env["ir.config_parameter"].sudo().set_param(
            "pm_customer_service.visit_issue_days", "3"
        )
        rows = [
            ({"answered_on_spot": True, "state": "resolved"}, (False, False)),
        ]
        for values, expected in rows:
            with self.subTest(values=values):
                self.assertEqual(self._issue(**values)._pm_escalation_watch(), expected)
        # resolved by the team's technician: nothing watched any more
        issue.with_user(self.user_technician).action_resolve()
        self.assertEqual(issue._pm_escalation_watch(), (False, False))
        self.assertFalse(issue.escalation_next_date)
        # reopened: watched again
        issue.with_user(self.user_agent).action_reopen()
        self.assertEqual(issue.escalation_kind, "issue")
        # passed on as a rectification: the rectification escalates instead
        with freeze_time(MONDAY_10):
            issue.with_user(self.user_agent).action_create_rectification()
        self.assertEqual(issue._pm_escalation_watch(), (False, False))
        self.assertFalse(issue.escalation_next_date)

    def test_visit_day_moves_the_issue_deadline(self):
        issue = self._issue()
        with freeze_time(MONDAY_10):
            issue.visit_id.with_user(self.user_agent).write(
                {"visit_date": "2026-03-03 02:00:00"}
            )
        self.assertEqual(
            issue.escalation_next_date, TUESDAY_END + 3 * DAY - timedelta(hours=4)
        )


@tagged("pm_escalation", "post_install", "-at_install")
class TestVisitEscalationLadder(VisitEscalationCommon):
    """The clock runs out: one level after the other, one email per person."""

    VISIT_CRON = "pm_customer_service.ir_cron_pm_visit_escalate"
    RETURN_CRON = "pm_customer_service.ir_cron_pm_return_visit_escalate"
    ISSUE_CRON = "pm_customer_service.ir_cron_pm_visit_issue_escalate"

    def _ladder(self, deadline, responsible, office):
        return [
            # the reminder, four hours before the end of the day
            (deadline - timedelta(hours=4) + SECOND, "0", responsible),
            # at the limit: nothing more
            (deadline - SECOND, "0", None),
            # one second after: the responsible person
            (deadline + SECOND, "1", responsible),
            (deadline + DAY - SECOND, "1", None),
            # a day later: the office of the property, then the director
            (deadline + DAY + SECOND, "2", office),
            (deadline + 2 * DAY + SECOND, "3", self.user_director),
            # then the quality department, and the ladder ends
            (deadline + 3 * DAY + SECOND, "4", self.user_quality),
            (deadline + 30 * DAY, "4", None),
        ]

    def test_overdue_visit(self):
        visit = self._visit()
        self._climb(
            visit,
            self.VISIT_CRON,
            TUESDAY_END,
            self._ladder(TUESDAY_END, self.user_agent, self.user_office),
        )
        self.assertEqual(self._log(visit).mapped("kind"), ["visit"] * 5)
        self.assertIn("已升级至", visit.message_ids[0].body)

    def test_overdue_return_visit(self):
        visit = self._return_visit()
        self._climb(
            visit,
            self.RETURN_CRON,
            TUESDAY_END,
            self._ladder(TUESDAY_END, self.user_technician, self.user_office),
        )
        self.assertEqual(self._log(visit).mapped("level"), [0, 1, 2, 3, 4])

    def test_unresolved_issue(self):
        issue = self._issue()
        thursday_end = TUESDAY_END + 2 * DAY
        self._climb(
            issue,
            self.ISSUE_CRON,
            thursday_end,
            self._ladder(thursday_end, self.user_leader, self.user_office),
        )
        self.assertEqual(issue.escalation_kind_label, "Visit issue resolution")

    def test_visit_made_ends_the_ladder(self):
        visit = self._visit()
        with freeze_time(TUESDAY_END + SECOND):
            self._run_cron(self.VISIT_CRON)
        self.assertEqual(visit.escalation_level, "1")
        activity = self._escalation_activities(visit, self.user_agent)
        self.assertEqual(len(activity), 1)
        with freeze_time(TUESDAY_END + DAY - SECOND):
            visit.with_user(self.user_agent).action_done()
        self.assertFalse(visit.escalation_next_date)
        self.assertFalse(self._escalation_activities(visit, self.user_agent))
        # the office is never told of a visit made in time for it
        since = self._mail_mark()
        with freeze_time(TUESDAY_END + 3 * DAY):
            self._run_cron(self.VISIT_CRON)
        self.assertEqual(self._mail_sent(visit, since), {})
        self.assertEqual(len(self._log(visit)), 1)

    def test_one_email_per_person_for_many_visits(self):
        """Two overdue visits of the same visitor: one email each per person,
        the director's level reached on both in one run."""
        visits = self._visit() | self._visit()
        since = self._mail_mark()
        with freeze_time(TUESDAY_END + 2 * DAY + SECOND):
            self._run_cron(self.VISIT_CRON)
            self._run_cron(self.VISIT_CRON)
        self.assertEqual(visits.mapped("escalation_level"), ["3", "3"])
        for visit in visits:
            self.assertEqual(
                self._mail_sent(visit, since),
                {
                    self.user_agent.partner_id: (1, 0),
                    self.user_office.partner_id: (1, 0),
                    self.user_director.partner_id: (1, 0),
                },
            )
            self.assertEqual(self._log(visit).mapped("level"), [1, 2, 3])
        activity_type = self.env.ref(ESCALATION)
        self.assertEqual(
            len(
                visits.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            6,
        )


@tagged("pm_escalation", "post_install", "-at_install")
class TestVisitOverdueFigures(VisitEscalationCommon):
    """The month's quality analysis counts the overdue visits, visit issues and
    return visits per person held to them and per team (R-CLOCK-1)."""

    def test_overdue_per_person_and_team(self):
        late = self._visit()
        in_time = self._visit()
        with freeze_time(TUESDAY_END - timedelta(hours=1)):
            in_time.with_user(self.user_agent).action_done()
        next_month = self._visit(due_date="2026-04-01")
        return_visit = self._return_visit()
        issue = self._issue()
        with freeze_time("2026-04-02 02:00:00"):
            for cron in (
                TestVisitEscalationLadder.VISIT_CRON,
                TestVisitEscalationLadder.RETURN_CRON,
                TestVisitEscalationLadder.ISSUE_CRON,
            ):
                self._run_cron(cron)
        self.assertEqual(
            [r.escalation_level for r in (late, next_month, return_visit, issue)],
            ["4", "1", "4", "4"],
        )
        self.assertEqual(in_time.escalation_level, "0")
        report = (
            self.env(user=self.user_director)["pm.quality.report"]
            .create({"property_id": self.property_a.id, "month": "2026-03-01"})
            .with_user(self.user_director)
        )
        report._compute_figures()
        figures = {
            (line.section, line.key, line.user_id or line.team_id): line.count
            for line in report.line_ids
            if line.section in ("overdue_person", "overdue_team")
        }
        self.assertEqual(
            figures,
            {
                ("overdue_person", "pm.visit", self.user_agent): 1,
                ("overdue_person", "pm.return.visit", self.user_technician): 1,
                ("overdue_person", "pm.visit.issue", self.user_leader): 1,
                ("overdue_team", "pm.visit", self.office): 1,
                ("overdue_team", "pm.return.visit", self.office): 1,
                ("overdue_team", "pm.visit.issue", self.team): 1,
            },
        )
        names = report.line_ids.filtered(
            lambda line: line.section == "overdue_person"
        ).mapped("name")
        self.assertIn("Overdue visits · Agent A", names)
        self.assertIn("Unresolved visit issues · Leader A", names)
        # April counts the visit due in April
        april = (
            self.env(user=self.user_director)["pm.quality.report"]
            .create({"property_id": self.property_a.id, "month": "2026-04-01"})
            .with_user(self.user_director)
        )
        april._compute_figures()
        lines = april.line_ids.filtered(lambda line: line.section == "overdue_person")
        self.assertEqual(
            [(line.key, line.user_id, line.count) for line in lines],
            [("pm.visit", self.user_agent, 1)],
        )
