# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase

from odoo.addons.mail.tests.common import MockEmail

from ..models import visit_rules
from .common import PmCommon


class TestVisitRules(BaseCase):
    def test_periodic_visit_due(self):
        today = date(2026, 6, 15)
        cases = [
            # last visit, interval months, expected due date
            (None, 3, today),
            (date(2026, 5, 1), 3, date(2026, 8, 1)),
            (date(2026, 3, 15), 3, today),  # due exactly today
            (date(2025, 1, 1), 3, today),  # long overdue: due now
            (date(2026, 6, 1), 1, date(2026, 7, 1)),
            (date(2026, 3, 31), 3, date(2026, 6, 30)),  # month-end clamps
        ]
        for last, months, expected in cases:
            self.assertEqual(
                visit_rules.periodic_visit_due(last, months, today), expected, last
            )
        with self.assertRaises(ValueError):
            visit_rules.periodic_visit_due(None, 0, today)

    def test_needs_periodic_visit(self):
        today = date(2026, 6, 15)
        cases = [
            (None, 3, True),
            (date(2026, 3, 15), 3, True),  # three months ago today: due
            (date(2026, 3, 16), 3, False),  # due tomorrow
            (date(2026, 6, 1), 3, False),
        ]
        for last, months, expected in cases:
            self.assertEqual(
                visit_rules.needs_periodic_visit(last, months, today), expected, last
            )

    def test_new_owner_and_quota(self):
        self.assertEqual(
            visit_rules.new_owner_visit_due(date(2026, 1, 31), 1), date(2026, 2, 28)
        )
        self.assertEqual(visit_rules.quota_shortfall(0, 2), 2)
        self.assertEqual(visit_rules.quota_shortfall(1, 2), 1)
        self.assertEqual(visit_rules.quota_shortfall(5, 2), 0)


class TestVisitPlan(PmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit_a2 = cls.env["pm.unit"].create(
            {
                "building_id": cls.building_a.id,
                "number": "102",
                "area": 80,
                "state": "occupied",
            }
        )
        cls.plan = cls._visit_plan(
            visitor_ids=[(6, 0, cls.user_agent.ids)],
            unit_ids=[(6, 0, (cls.unit_a | cls.unit_a2).ids)],
        )

    def test_dates_reversed(self):
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self.env["pm.visit.plan"].create(
                {
                    "name": "Bad",
                    "property_id": self.property_a.id,
                    "date_start": "2026-05-01",
                    "date_end": "2026-04-30",
                }
            )

    def test_units_of_the_property(self):
        with self.assertRaisesRegex(ValidationError, "are not in property"):
            self.plan.unit_ids = [(4, self.unit_b.id)]

    @freeze_time("2026-03-20 08:00:00")
    def test_three_step_approval(self):
        plan = self.plan
        plan.with_user(self.user_agent).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.submitted_by_id, self.user_agent)
        self.assertEqual(plan.submitted_on, datetime(2026, 3, 20, 8, 0))
        # the office cannot review its own plan
        with self.assertRaises(AccessError):
            plan.with_user(self.user_agent).action_review()
        plan.with_user(self.user_director).action_review()
        self.assertEqual(plan.reviewed_by_id, self.user_director)
        with self.assertRaises(AccessError):
            plan.with_user(self.user_director).action_approve()
        self.assertFalse(plan.visit_ids)
        plan.with_user(self.user_quality).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.user_quality)
        # approval plans one visit per target unit, for the plan's visitors
        self.assertEqual(plan.visit_ids.unit_id, self.unit_a | self.unit_a2)
        self.assertEqual(plan.visit_ids.visitor_id, self.user_agent)
        self.assertEqual(set(plan.visit_ids.mapped("due_date")), {date(2026, 6, 30)})
        self.assertEqual(
            plan.visit_ids.filtered(lambda v: v.unit_id == self.unit_a).partner_id,
            self.owner,
        )
        with self.assertRaisesRegex(UserError, "must be 'Reviewed'"):
            plan.with_user(self.user_quality).action_approve()

    def test_steps_in_order(self):
        with self.assertRaisesRegex(UserError, "must be 'Submitted'"):
            self.plan.with_user(self.user_director).action_review()

    def test_rejection_needs_reason(self):
        self.plan.with_user(self.user_agent).action_submit()
        action = self.plan.with_user(self.user_director).action_open_reject_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_director)
            .with_context(**action["context"])
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.create({"reason": "  "}).action_reject()
        self.assertEqual(self.plan.state, "submitted")
        with self.assertRaises(AccessError):
            self.plan.with_user(self.user_agent)._pm_approval_reject(
                "not mine to reject"
            )
        wizard.create({"reason": "Add Building 2"}).action_reject()
        self.assertEqual(self.plan.state, "draft")
        self.assertEqual(self.plan.reject_reason, "Add Building 2")
        self.assertEqual(self.plan.reject_user_id, self.user_director)
        self.assertFalse(self.plan.submitted_by_id)
        self.assertIn("Add Building 2", self.plan.message_ids[0].body)

    def _approved_plan(self):
        self.plan.write({"state": "reviewed"})
        self.plan.with_user(self.user_quality).action_approve()
        return self.plan.visit_ids

    def test_visit_date_within_plan(self):
        visit = self._approved_plan()[0]
        with self.assertRaisesRegex(ValidationError, "outside its plan"):
            visit.visit_date = datetime(2026, 7, 1, 2, 0)
        # 2026-06-30 23:30 in Shanghai is still inside the plan (15:30 UTC)
        self.property_a.tz = "Asia/Shanghai"
        visit.visit_date = datetime(2026, 6, 30, 15, 30)
        with self.assertRaisesRegex(ValidationError, "outside its plan"):
            visit.visit_date = datetime(2026, 6, 30, 16, 30)

    @freeze_time("2026-05-10 03:00:00")
    def test_sign_off(self):
        visit = self._approved_plan()[0]
        with self.assertRaisesRegex(UserError, "must be done"):
            visit.with_user(self.user_director).action_sign_off()
        visit.with_user(self.user_agent).action_done()
        self.assertEqual(visit.visit_date, datetime(2026, 5, 10, 3, 0))
        with self.assertRaises(AccessError):
            visit.with_user(self.user_agent).action_sign_off()
        visit.with_user(self.user_director).action_sign_off()
        self.assertEqual(visit.state, "signed")
        self.assertEqual(visit.signed_by_id, self.user_director)
        with self.assertRaisesRegex(UserError, "already signed off"):
            visit.with_user(self.user_director).action_sign_off()

    def test_issues_and_open_units(self):
        visit = self._approved_plan()[0]
        team = self.env["pm.team"].create(
            {
                "name": "Eng",
                "team_type": "engineering",
                "property_id": self.property_a.id,
            }
        )
        issue = self.env["pm.visit.issue"].create(
            {"visit_id": visit.id, "description": "Lift noisy", "team_id": team.id}
        )
        self.assertEqual(issue.category, "engineering")
        self.assertEqual(issue.unit_id, visit.unit_id)
        self.assertEqual(visit.open_issue_count, 1)
        # R-VIS-6: open issues seed the next plan
        next_plan = self.env["pm.visit.plan"].create(
            {
                "name": "Q3",
                "property_id": self.property_a.id,
                "date_start": "2026-07-01",
                "date_end": "2026-09-30",
            }
        )
        next_plan.action_load_open_issues()
        self.assertEqual(next_plan.unit_ids, visit.unit_id)
        issue.action_resolve()
        self.assertEqual(visit.open_issue_count, 0)
        # R-KEEP-1: the agent may delete an open issue recorded by mistake, never
        # a resolved one
        with self.assertRaisesRegex(UserError, "must be kept for the retention period"):
            issue.with_user(self.user_agent).unlink()
        self.assertTrue(issue.exists())
        mistake = self.env["pm.visit.issue"].create(
            {"visit_id": visit.id, "description": "Typed twice", "team_id": team.id}
        )
        mistake.with_user(self.user_agent).unlink()
        self.assertFalse(mistake.exists())

    def test_access(self):
        visit_b = self.env["pm.visit"].create({"property_id": self.property_b.id})
        Visit = self.env["pm.visit"].with_user(self.user_technician)
        self.assertNotIn(visit_b, Visit.search([]))
        with self.assertRaises(AccessError):
            visit_b.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.env["pm.visit"].with_user(self.user_technician).create(
                {"property_id": self.property_a.id}
            )


class TestVisitCron(PmCommon, MockEmail):
    def _due(self, unit):
        return self.env["pm.visit"].search(
            [("unit_id", "=", unit.id), ("state", "=", "planned")]
        )

    @freeze_time("2026-06-15 01:00:00")
    def test_cron_plans_due_visits_once(self):
        self.property_a.team_id = self.env["pm.team"].create(
            {
                "name": "CS",
                "property_id": self.property_a.id,
                "leader_id": self.user_agent.id,
            }
        )
        Unit = self.env["pm.unit"]
        never = self.unit_a  # occupied, never visited
        recent = Unit.create(
            {
                "building_id": self.building_a.id,
                "number": "2",
                "area": 50,
                "state": "occupied",
            }
        )
        old = Unit.create(
            {
                "building_id": self.building_a.id,
                "number": "3",
                "area": 50,
                "state": "occupied",
            }
        )
        newcomer = Unit.create(
            {
                "building_id": self.building_a.id,
                "number": "4",
                "area": 50,
                "state": "occupied",
                "move_in_date": "2026-06-05",
            }
        )
        vacant = Unit.create(
            {
                "building_id": self.building_a.id,
                "number": "5",
                "area": 50,
                "state": "vacant",
            }
        )
        Visit = self.env["pm.visit"]
        for unit, day in ((recent, "2026-04-01"), (old, "2026-03-01")):
            Visit.create(
                {
                    "property_id": self.property_a.id,
                    "unit_id": unit.id,
                    "due_date": day,
                    "visit_date": f"{day} 02:00:00",
                    "state": "done",
                }
            )
        with self.mock_mail_gateway():
            Visit._cron_create_due_visits()
        self.assertEqual(self._due(never).due_date, date(2026, 6, 15))
        self.assertEqual(self._due(never).visit_type, "periodic")
        self.assertEqual(self._due(never).visitor_id, self.user_agent)
        self.assertFalse(self._due(recent))
        self.assertEqual(self._due(old).due_date, date(2026, 6, 15))
        self.assertEqual(self._due(newcomer).visit_type, "new_owner")
        self.assertEqual(self._due(newcomer).due_date, date(2026, 7, 5))
        self.assertFalse(self._due(vacant))
        mails = self.env["mail.mail"].search(
            [("model", "=", "pm.property"), ("res_id", "=", self.property_a.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("3 visits due", mails.subject)
        self.assertEqual(mails.recipient_ids, self.user_agent.partner_id)
        self.assertIn(mails, self._new_mails)
        # a rerun plans nothing twice and mails nobody
        count = Visit.search_count([])
        Visit._cron_create_due_visits()
        self.assertEqual(Visit.search_count([]), count)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "pm.property"), ("res_id", "=", self.property_a.id)]
            ),
            1,
        )

    @freeze_time("2026-06-20 04:00:00")
    def test_director_quota(self):
        prop = self.property_a
        prop.invalidate_recordset()
        self.assertEqual(prop.director_visit_quota, 2)
        self.assertEqual(prop.director_visit_shortfall, 2)
        self.env["pm.visit"].create(
            {
                "property_id": prop.id,
                "visitor_id": self.user_director.id,
                "state": "done",
                "visit_date": "2026-06-03 02:00:00",
            }
        )
        # last month's visit does not count
        self.env["pm.visit"].create(
            {
                "property_id": prop.id,
                "visitor_id": self.user_director.id,
                "state": "done",
                "visit_date": "2026-05-30 02:00:00",
            }
        )
        prop.invalidate_recordset()
        self.assertEqual(prop.director_visit_count, 1)
        self.assertEqual(prop.director_visit_shortfall, 1)
        rv = self.env["pm.return.visit"].create(
            {
                "property_id": prop.id,
                "visitor_id": self.user_director.id,
                "satisfaction": "4",
            }
        )
        rv.action_done()
        prop.invalidate_recordset()
        self.assertEqual(prop.director_visit_count, 2)
        self.assertEqual(prop.director_visit_shortfall, 0)
