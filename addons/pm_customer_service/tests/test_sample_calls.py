# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supervisors' sample calls 抽样回访 (seed 004 §5 f: 小区主管和领班负责信息处理的
抽样回访及督促工作; seed 002 §二.3; seed 000 §三.14(2)): each month, a few of the
cases each agent closed the month before (months of the property, Shanghai)
become return visits of their supervisor, who alone records the outcome; an
overdue one escalates like a return visit; the monthly analysis shows them per
agent."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.pm_base.tools import settings

from ..models import sample_rules
from .test_visit_escalation import SECOND, VisitEscalationCommon

SIZE = "pm_customer_service.sample_calls_per_agent"
CRON = "pm_customer_service.ir_cron_pm_sample_calls"
RETURN_CRON = "pm_customer_service.ir_cron_pm_return_visit_escalate"
# Tuesday 1 December 2026, 00:30 in Shanghai: still November in UTC
DEC_1_0030 = "2026-11-30 16:30:00"


def shanghai(*args):
    """A moment given in Shanghai, as the naive UTC datetime Odoo stores."""
    return datetime(*args) - timedelta(hours=8)


@tagged("post_install", "-at_install")
class TestSampleCalls(VisitEscalationCommon):
    """Property A (Shanghai): the demo team leader 李娜 (pm_agent) leads the
    service desk, whose member is the demo agent 周敏 (pm_agent2); Agent A is
    in no team (their cases are Engineering A's, led by Leader A)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = cls.env.ref("pm_customer_service.res_users_agent_demo")
        cls.agent = cls.env.ref("pm_customer_service.res_users_agent2_demo")
        cls.property_a.user_ids = [(4, cls.supervisor.id), (4, cls.agent.id)]
        cls.desk = cls._team_a(
            "Service Desk A",
            cls.supervisor,
            cls.supervisor | cls.agent,
            team_type="customer_service",
        )
        closed = cls.env["pm.case.stage"]._for_state("closed")
        cls.closed_stage = closed
        # five cases the agent closed in November (at its first and last
        # second, at the property), and around them what is not November
        cls.november = cls.env["pm.case"]
        for moment in (
            shanghai(2026, 11, 1, 0, 0, 0),
            shanghai(2026, 11, 10, 9),
            shanghai(2026, 11, 18, 9),
            shanghai(2026, 11, 25, 9),
            shanghai(2026, 11, 30, 23, 59, 59),
        ):
            cls.november |= cls._closed_case(cls.agent, moment)
        cls.not_november = (
            cls._closed_case(cls.agent, shanghai(2026, 10, 31, 23, 59, 59))
            | cls._closed_case(cls.agent, shanghai(2026, 12, 1, 0, 0, 0))
            | cls._closed_case(cls.agent, shanghai(2026, 11, 20), validity="invalid")
            | cls._closed_case(cls.agent, shanghai(2026, 11, 20), state="processing")
        )
        cls.Visit = cls.env["pm.return.visit"]

    @classmethod
    def _closed_case(cls, agent, closed_at, state="closed", **values):
        """A case of property A the ``agent`` is responsible for, closed at
        ``closed_at`` (UTC); the workflow is tested elsewhere."""
        # recorded by the front desk
        with freeze_time(closed_at - timedelta(days=2)):
            case = (
                cls.env["pm.case"]
                .with_user(cls.user_agent)
                .create(
                    {
                        "subject": "Noise",
                        "description": "Noise at night from the pump room.",
                        "property_id": cls.property_a.id,
                        "unit_id": cls.unit_a.id,
                        "partner_id": cls.owner.id,
                        "team_id": cls.team.id,
                        "user_id": agent.id,
                        "channel": "phone",
                        **values,
                    }
                )
            )
        stage = cls.env["pm.case.stage"]._for_state(state)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE pm_case SET stage_id = %s, state = %s, closed_date = %s "
            "WHERE id = %s",
            (stage.id, state, closed_at if state == "closed" else None, case.id),
        )
        cls.env.invalidate_all()
        return case

    def _draw(self, moment=DEC_1_0030):
        with freeze_time(moment):
            self._run_manually(CRON)
        self.env.invalidate_all()
        return self._samples()

    def _samples(self, agent=None):
        return self.Visit.search(
            [
                ("kind", "=", "sample"),
                ("property_id", "=", self.property_a.id),
                ("sampled_user_id", "=", (agent or self.agent).id),
            ],
            order="id",
        )

    def _set_size(self, size):
        self._set_setting("pm_sample_calls_per_agent", size)

    # ------------------------------------------------------------
    # THE MONTHLY DRAW
    # ------------------------------------------------------------

    def test_draw_previous_month_at_the_property(self):
        """At 00:30 on 1 December in Shanghai (30 November in UTC), the cases
        closed in November there are drawn: the first and the last second of
        the month count, 31 October and 1 December do not, nor an invalid or
        reopened case. Each goes to the agent's team leader, due in a week."""
        self._set_size(10)
        samples = self._draw()
        self.assertEqual(set(samples.mapped("res_id")), set(self.november.ids))
        self.assertEqual(len(samples), 5)
        self.assertEqual(samples.mapped("res_model"), ["pm.case"] * 5)
        self.assertEqual(set(samples.mapped("visitor_id")), {self.supervisor})
        self.assertEqual(set(samples.mapped("sample_month")), {date(2026, 11, 1)})
        self.assertEqual(set(samples.mapped("due_date")), {date(2026, 12, 8)})
        self.assertEqual(set(samples.mapped("state")), {"planned"})
        self.assertEqual(set(samples.mapped("partner_id")), {self.owner})
        # the cases are left as they were
        self.assertEqual(set(self.november.mapped("state")), {"closed"})

    def test_size_setting_and_rerun(self):
        """Three cases per agent by default, the same ones for the same
        month; a rerun draws nothing and sends nothing; a larger size adds
        other cases, never one drawn before; none at size 0."""
        self.assertEqual(settings.get(self.env, SIZE), 3)
        samples = self._draw()
        self.assertEqual(len(samples), 3)
        expected = sample_rules.pick(
            self.november.ids,
            3,
            sample_rules.seed(self.property_a.id, self.agent.id, date(2026, 11, 1)),
        )
        self.assertEqual(sorted(samples.mapped("res_id")), expected)
        since = self._mail_mark()
        self.assertEqual(self._draw(), samples)
        self.assertEqual(self._draw("2026-12-15 02:00:00"), samples)
        self.assertEqual(self._mails_since(since), (0, 0))
        self._set_size(4)
        more = self._draw()
        self.assertEqual(len(more), 4)
        self.assertEqual(len(set(more.mapped("res_id"))), 4)
        self.assertTrue(samples < more)
        self._set_size(1)
        self.assertEqual(self._draw(), more)

    def test_size_zero_draws_nothing(self):
        self._set_size(0)
        self.assertFalse(self._draw())

    def test_call_days_setting(self):
        """The supervisor has the set number of days: 3 → due 4 December."""
        self._set_setting("pm_sample_call_days", 3)
        self.assertEqual(set(self._draw().mapped("due_date")), {date(2026, 12, 4)})

    def test_supervisor_of_each_agent(self):
        """The leader of the agent's team; an agent in no team: the team
        leader of the case; a leader of their own team: the director."""
        self._closed_case(self.user_agent, shanghai(2026, 11, 12, 9))
        self._closed_case(self.user_leader, shanghai(2026, 11, 12, 9))
        self._draw()
        self.assertEqual(self._samples().visitor_id, self.supervisor)
        self.assertEqual(self._samples(self.user_agent).visitor_id, self.user_leader)
        self.assertEqual(self._samples(self.user_leader).visitor_id, self.user_director)

    def _mails_since(self, since, partner=None):
        """(emails, notifications) created since ``since`` (``_mail_mark``), to
        ``partner`` when given."""
        self.env.flush_all()
        mails = self.env["mail.mail"].sudo().search([("id", ">", since[0])])
        notes = self.env["mail.notification"].sudo().search([("id", ">", since[1])])
        if partner:
            mails = mails.filtered(lambda m: partner in m.recipient_ids)
            notes = notes.filtered(lambda n: n.res_partner_id == partner)
        return len(mails), len(notes)

    def test_one_email_per_supervisor(self):
        """Two agents of the desk sampled: their team leader gets one email
        listing the calls, in their language, nobody else anything."""
        second = self._pm_user(
            "pm_t_desk_2", "agent", name="Agent Desk", email="desk@example.com"
        )
        self.property_a.user_ids = [(4, second.id)]
        self.desk.member_ids = [(4, second.id)]
        self._closed_case(second, shanghai(2026, 11, 12, 9))
        since = self._mail_mark()
        self._draw()
        self.assertEqual(len(self._samples(second)), 1)
        self.assertEqual(self._mails_since(since), (1, 0))
        self.assertEqual(self._mails_since(since, self.supervisor.partner_id), (1, 0))
        mail = self.env["mail.mail"].sudo().search([("id", ">", since[0])])
        # the supervisor reads Chinese: one email naming the four calls
        self.assertIn("抽样回访", mail.subject)
        for visit in self._samples() | self._samples(second):
            self.assertIn(visit.name, mail.body_html)

    # ------------------------------------------------------------
    # THE SUPERVISOR'S OUTCOME
    # ------------------------------------------------------------

    def test_supervisor_records_the_outcome(self):
        """The team leader finds their sample calls and records them; the
        case is not touched (no reopening, no satisfaction of its own)."""
        self._draw()
        as_supervisor = self.Visit.with_user(self.supervisor)
        mine = as_supervisor.search(
            [("kind", "=", "sample"), ("visitor_id", "=", self.supervisor.id)]
        ).filtered(lambda v: v.property_id == self.property_a)
        self.assertEqual(mine, self._samples())
        first, second, third = mine
        with freeze_time("2026-12-03 02:00:00"):
            first.write({"satisfaction": "1", "result": "Nobody came back."})
            first.action_done()
            second.write({"satisfaction": "5"})
            second.action_done()
            third.action_not_reached()
        self.assertEqual(mine.mapped("state"), ["done"] * 3)
        self.assertEqual(mine.mapped("owner_reached"), [True, True, False])
        self.assertFalse(third.satisfaction)
        case = self.env["pm.case"].browse(first.res_id)
        self.assertEqual(case.state, "closed")
        self.assertFalse(case.satisfaction)
        self.assertEqual(case.reopen_count, 0)

    def test_agent_cannot_record_the_supervisors_outcome(self):
        """The agent checked (or any other agent) neither records the outcome
        nor edits it, nor makes a sample call of their own."""
        visit = self._draw()[0]
        as_agent = visit.with_user(self.agent)
        self.assertTrue(as_agent.name)  # they see it
        with self.assertRaises(AccessError):
            as_agent.write({"satisfaction": "5"})
        with self.assertRaises(AccessError):
            as_agent.action_done()
        with self.assertRaises(AccessError):
            as_agent.action_not_reached()
        with self.assertRaises(AccessError):
            visit.with_user(self.user_agent).write({"result": "Fine"})
        with self.assertRaises(UserError):
            as_agent.write({"kind": "owner"})
        with self.assertRaises(UserError):
            self.Visit.with_user(self.agent).create(
                {
                    "property_id": self.property_a.id,
                    "res_model": "pm.case",
                    "res_id": self.november[0].id,
                    "kind": "sample",
                    "sampled_user_id": self.agent.id,
                }
            )
        self.assertEqual(visit.state, "planned")
        self.assertFalse(visit.satisfaction)
        # a director may record it
        visit.with_user(self.user_director).write({"satisfaction": "4"})
        visit.with_user(self.user_director).action_done()
        self.assertEqual(visit.state, "done")

    def test_overdue_sample_call_escalates(self):
        """Due on 8 December: nothing at the end of that day in Shanghai, the
        supervisor one second later, then the office of the property, the
        director and the quality department, one email each."""
        visit = self._draw()[0]
        deadline = shanghai(2026, 12, 8, 23, 59, 59)
        self._climb(
            visit,
            RETURN_CRON,
            deadline,
            [
                # the reminder, four hours before the end of the day
                (deadline - timedelta(hours=4) + SECOND, "0", self.supervisor),
                (deadline - SECOND, "0", None),
                (deadline + SECOND, "1", self.supervisor),
                (deadline + timedelta(days=1, seconds=1), "2", self.user_office),
                (deadline + timedelta(days=2, seconds=1), "3", self.user_director),
                (deadline + timedelta(days=3, seconds=1), "4", self.user_quality),
            ],
        )
        # the whole ladder, each level once to its person, the call still open
        logs = self._log(visit)
        self.assertEqual(
            [(log.level, log.user_id) for log in logs],
            [
                (0, self.supervisor),
                (1, self.supervisor),
                (2, self.user_office),
                (3, self.user_director),
                (4, self.user_quality),
            ],
        )
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.kind, "sample")

    # ------------------------------------------------------------
    # THE MONTHLY ANALYSIS
    # ------------------------------------------------------------

    def test_analysis_per_person(self):
        """The December analysis shows the sample drawn in December: 周敏,
        with no case received in December, has three sample calls, one owner
        satisfied of two reached (50 %); Agent A, not sampled, "—"."""
        first, second, third = self._draw()
        with freeze_time("2026-12-03 02:00:00"):
            as_supervisor = (first | second | third).with_user(self.supervisor)
            as_supervisor[0].write({"satisfaction": "1"})
            as_supervisor[1].write({"satisfaction": "4"})
            (as_supervisor[0] | as_supervisor[1]).action_done()
            as_supervisor[2].action_not_reached()
        with freeze_time("2026-12-05 02:00:00"):
            self._closed_case(self.user_agent, shanghai(2026, 12, 5, 9))
            report = (
                self.env["pm.quality.report"]
                .with_user(self.user_quality)
                .create({"property_id": self.property_a.id, "month": "2026-12-01"})
            )
            report._compute_figures()
        persons = {
            (line.user_id, line.key): (line.numerator, line.count, line.rate_display)
            for line in report.line_ids
            if line.section == "person"
        }
        self.assertEqual(persons[self.agent, "cases"], (0, 0, ""))
        self.assertEqual(persons[self.agent, "sampled"], (0, 3, ""))
        self.assertEqual(persons[self.agent, "sample_satisfaction"], (1, 2, "50.00"))
        self.assertEqual(persons[self.agent, "first_reply"][2], "—")
        self.assertEqual(persons[self.user_agent, "cases"], (0, 1, ""))
        self.assertEqual(persons[self.user_agent, "sampled"], (0, 0, ""))
        self.assertEqual(persons[self.user_agent, "sample_satisfaction"][2], "—")
        # the table of the PDF and the xlsx: the sample after the rates
        rows = {row["cases"].user_id: row for row in report._person_rows()}
        figures = rows[self.agent]["figures"]
        self.assertEqual(
            [line.key for line in figures],
            [
                "timeliness",
                "closure",
                "return_visit",
                "satisfaction",
                "first_reply",
                "sampled",
                "sample_satisfaction",
            ],
        )
        self.assertEqual(len(report._person_headers()), 2 + len(figures))
