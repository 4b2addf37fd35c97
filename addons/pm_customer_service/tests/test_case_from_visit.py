# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PmCaseCommon

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"


@tagged("pm_case")
class TestCaseFromVisit(PmCaseCommon):
    """R-LOOP-1: a problem found at a visit or a return visit becomes a case in
    one step, linked both ways (seed 000 §四.3, seed 003 篇2 §4.1.3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.phone = "13800000001"
        cls.portal_user = cls._pm_user(
            "pm_t_loop_portal", "base.group_portal", name="Owner Portal"
        )
        cls.portal_user.partner_id = cls.owner
        cls.visit = cls.env["pm.visit"].create(
            {
                "property_id": cls.property_a.id,
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "method": "door",
                "due_date": "2026-03-02",
            }
        )
        cls.issue = cls.env["pm.visit.issue"].create(
            {
                "visit_id": cls.visit.id,
                "description": "The balcony drain overflows when it rains.\n"
                "Water reaches the living room.",
                "team_id": cls.team.id,
            }
        )
        cls.return_visit = cls.env["pm.return.visit"].create(
            {
                "property_id": cls.property_a.id,
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "due_date": "2026-03-02",
                "res_model": "pm.unit",
                "res_id": cls.unit_a.id,
                "satisfaction": "2",
                "result": "The cleaner still leaves rubbish in the stairwell.",
                "remarks": "Owner asks for an answer this week.",
            }
        )

    def _cases(self):
        return self.env["pm.case"].search([("partner_id", "=", self.owner.id)])

    def _assert_agent_case(self, case):
        self.assertEqual(case.property_id, self.property_a)
        self.assertEqual(case.unit_id, self.unit_a)
        self.assertEqual(case.partner_id, self.owner)
        self.assertEqual(case.state, "received")
        # R-INTAKE-1: recorded by the agent, who owns it; not queued
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertFalse(case.to_acknowledge)
        self.assertTrue(case.sla_policy_id or case.acknowledge_deadline)

    @freeze_time(MONDAY_10)
    def test_visit_issue_makes_one_case(self):
        before = self._cases()
        issue = self.issue.with_user(self.user_agent)
        action = issue.action_make_case()
        case = self._cases() - before
        self.assertEqual(len(case), 1)
        self.assertEqual((action["res_model"], action["res_id"]), ("pm.case", case.id))
        self._assert_agent_case(case)
        self.assertEqual(case.request_type, "repair")
        self.assertEqual(case.channel, "visit")
        self.assertEqual(case.team_id, self.team)
        self.assertEqual(case.user_id, self.user_leader)
        self.assertEqual(case.description, self.issue.description)
        self.assertIn("The balcony drain overflows", case.subject)
        self.assertIn(self.visit.name, case.subject)
        # both ways
        self.assertEqual(self.issue.case_id, case)
        self.assertEqual((case.origin_model, case.origin_id), (issue._name, issue.id))
        self.assertEqual(case.origin_name, self.issue.display_name)
        origin = case.with_user(self.user_agent).action_open_origin()
        self.assertEqual(
            (origin["res_model"], origin["res_id"]), ("pm.visit.issue", issue.id)
        )
        # a note on both sides
        self.assertIn(case.name, self.issue.message_ids[:1].body)
        self.assertIn(
            f'data-oe-model="pm.visit.issue" data-oe-id="{issue.id}"',
            case.message_ids[:1].body,
        )
        # the issue follows its case now: it does not escalate on its own
        self.assertEqual(self.issue._pm_escalation_watch(), (False, False))
        # a second call opens the same case
        again = issue.action_make_case()
        self.assertEqual(again["res_id"], case.id)
        self.assertEqual(self._cases() - before, case)

    @freeze_time(MONDAY_10)
    def test_return_visit_makes_one_complaint(self):
        visit = self.return_visit.with_user(self.user_agent)
        visit.action_done()
        self.assertEqual(visit.state, "done")
        before = self._cases()
        action = visit.action_make_case()
        case = self._cases() - before
        self.assertEqual(len(case), 1)
        self.assertEqual(action["res_id"], case.id)
        self._assert_agent_case(case)
        # dissatisfied: a complaint (seed 000 §四.3)
        self.assertEqual(case.request_type, "complaint")
        self.assertEqual(case.channel, "phone")
        self.assertIn(self.return_visit.result, case.description)
        self.assertIn(self.return_visit.remarks, case.description)
        self.assertEqual(case.contact_info, "13800000001")
        # linked both ways, although the return visit is done (frozen)
        self.assertEqual(self.return_visit.case_id, case)
        self.assertEqual(
            (case.origin_model, case.origin_id),
            ("pm.return.visit", self.return_visit.id),
        )
        self.assertIn(case.name, self.return_visit.message_ids[:1].body)
        visit.action_make_case()
        self.assertEqual(self._cases() - before, case)

    @freeze_time(MONDAY_10)
    def test_unit_owner_when_no_owner_was_visited(self):
        self.visit.partner_id = False
        self.return_visit.partner_id = False
        for record in (self.issue, self.return_visit):
            record.with_user(self.user_agent).action_make_case()
            self.assertEqual(record.case_id.partner_id, self.owner, record._name)

    @freeze_time(MONDAY_10)
    def test_return_visit_needs_the_owners_words(self):
        self.return_visit.result = False
        with self.assertRaisesRegex(UserError, "Record what the owner said"):
            self.return_visit.with_user(self.user_agent).action_make_case()
        self.assertFalse(self.return_visit.case_id)

    @freeze_time(MONDAY_10)
    def test_in_chinese(self):
        """The agent reads the button, the error and the notes in zh_CN."""
        env = self._chinese_env()
        for model in ("pm.visit.issue", "pm.return.visit"):
            arch = (
                env[model].with_user(self.user_agent).get_view(view_type="form")["arch"]
            )
            self.assertIn("转为报事", arch, model)
        self.return_visit.result = False
        with self.assertRaisesRegex(UserError, "请先记录回访"):
            self.return_visit.with_env(env).with_user(
                self.user_agent
            ).action_make_case()
        self.issue.with_env(env).with_user(self.user_agent).action_make_case()
        self.assertIn("此问题已转为报事", self.issue.message_ids[:1].body)
        self.assertIn("由", self.issue.case_id.message_ids[:1].body)

    @freeze_time(MONDAY_10)
    def test_only_staff_make_a_case(self):
        before = self._cases()
        for user in self.user_technician | self.portal_user:
            for record in (self.issue, self.return_visit):
                with self.assertRaises(AccessError, msg=(user.login, record._name)):
                    record.with_user(user).action_make_case()
        self.assertEqual(self._cases(), before)
        self.assertFalse(self.issue.case_id or self.return_visit.case_id)

    @freeze_time(MONDAY_10)
    def test_links_are_set_by_the_action_only(self):
        case = self._create_case()
        with self.assertRaisesRegex(UserError, "only change through its actions"):
            self.issue.with_user(self.user_agent).write({"case_id": case.id})
        with self.assertRaisesRegex(UserError, "only change through its actions"):
            self.return_visit.with_user(self.user_agent).write({"case_id": case.id})
        with self.assertRaisesRegex(UserError, "only change through its actions"):
            case.with_user(self.user_agent).write(
                {"origin_model": "pm.visit.issue", "origin_id": self.issue.id}
            )

    @freeze_time(MONDAY_10)
    def test_sends_what_a_staff_case_sends(self):
        """The case made in one step sends, per recipient, what the same case
        recorded at the desk sends; the visit issue sends nothing."""
        # tracked as in production: the followers and the assignment emails
        Case = self.Case.with_context(tracking_disable=False)
        issue = self.issue.with_user(self.user_agent).with_context(
            tracking_disable=False
        )
        values = issue._pm_case_values()
        since = self._mail_mark()
        desk_case = Case.create(values)
        desk_sent = self._mail_sent(desk_case, since)
        # R-DISPATCH-1: the team leader, made responsible, is told once
        self.assertEqual(desk_sent.get(self.user_leader.partner_id, (0,))[0], 1)
        since = self._mail_mark()
        issue.action_make_case()
        case = self.issue.case_id
        self.assertNotEqual(case, desk_case)
        self.assertEqual(self._mail_sent(case, since), desk_sent)
        self.assertEqual(self._mail_sent(self.issue, since), {})
        self.assertEqual(self._mail_sent(self.visit, since), {})
