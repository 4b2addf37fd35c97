# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PmCaseCommon

# Monday 2 March 2026, 10:00 in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"


@tagged("pm_case")
class TestComplaint(PmCaseCommon):
    def _receipt_mails(self):
        return self._mails_to(self.owner, "has been received")

    @freeze_time(MONDAY_10)
    def test_intake_reference_owner_and_deadlines(self):
        # R-INTAKE-1/2, R-SLA-1, R-SLA-2 (general: reply 24 h, resolve 48 h)
        with self.mock_mail_gateway():
            case = self._create_case(channel="suggestion_box", contact_name="Mrs Wang")
        self.assertRegex(case.name, r"^CS\d{4}-\d{5}$")
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        self.assertEqual(case.state, "received")
        self.assertEqual(case.acknowledge_deadline, datetime(2026, 3, 3, 2, 0))
        self.assertEqual(case.reply_deadline, datetime(2026, 3, 3, 2, 0))
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 4, 2, 0))
        # the first-contact owner keeps the case even when someone else processes it
        case.with_user(self.user_leader).write({"user_id": self.user_leader.id})
        self.assertEqual(case.first_contact_user_id, self.user_agent)
        other = self._create_case(severity="major")
        self.assertEqual(other.resolve_deadline, datetime(2026, 3, 5, 2, 0))
        self.assertNotEqual(other.name, case.name)

    @freeze_time(MONDAY_10)
    def test_receipt_on_acknowledge(self):
        # R-INTAKE-2 / R-SLA-1: the owner gets the reference and promised time
        case = self._create_case()
        with self.mock_mail_gateway():
            case.action_acknowledge()
        self.assertEqual(case.state, "investigating")
        self.assertEqual(case.acknowledged_date, datetime(2026, 3, 2, 2, 0))
        mail = self.assertMailMail(
            self.owner, "outgoing", fields_values={"model": "pm.case"}
        )
        self.assertIn(case.name, mail.subject)
        self.assertIn(case.name, mail.body_html)
        self.assertIn("03/03/2026 10:00", mail.body_html)  # local time, Shanghai

    @freeze_time(MONDAY_10)
    def test_receipt_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.owner.lang = "zh_CN"
        case = self._create_case()
        with self.mock_mail_gateway():
            case.action_acknowledge()
        mail = self._receipt_mails() or self._mails_to(self.owner)
        self.assertTrue(mail)
        self.assertIn(case.name, mail.subject)
        self.assertNotIn("has been received", mail.subject)
        # the promised time on the property's clock, written the Chinese way
        self.assertIn("2026年03月03日 10:00", mail.body_html)

    @freeze_time("2026-03-06 08:00:00")  # Friday 16:00 in Shanghai
    def test_working_time_policy(self):
        # R-SLA-5: working time on the property's calendar, in its timezone
        self.env.ref("pm_customer_service.pm_sla_policy_complaint_general").write(
            {"time_mode": "working"}
        )
        case = self._create_case()
        # 1 h on Friday, 8 h Monday, 8 h Tuesday, 7 h Wednesday -> Wed 16:00
        self.assertEqual(case.acknowledge_deadline, datetime(2026, 3, 11, 8, 0))
        self.property_a.resource_calendar_id = False
        wall = self._create_case()
        self.assertEqual(wall.acknowledge_deadline, datetime(2026, 3, 7, 8, 0))

    @freeze_time(MONDAY_10)
    def test_same_day_policy(self):
        # R-SLA-2: the policy table also allows same-day closure (seed 003)
        self.env.ref("pm_customer_service.pm_sla_policy_complaint_general").write(
            {"time_mode": "working", "resolve_same_day": True}
        )
        case = self._create_case()
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 2, 9, 0))  # 17:00
        self.assertEqual(case.acknowledge_deadline, case.resolve_deadline)

    @freeze_time(MONDAY_10)
    def test_bad_input(self):
        count = self.env["pm.case"].search_count([])
        with self.assertRaisesText(ValidationError, "in the past"):
            self._create_case(resolve_deadline="2026-03-01 10:00:00")
        with self.assertRaisesText(ValidationError, "resolved before"):
            self._create_case(
                acknowledge_deadline="2026-03-05 10:00:00",
                resolve_deadline="2026-03-04 10:00:00",
            )
        with self.assertRaisesText(ValidationError, "does not belong"):
            self.env["pm.case"].create(self._case_vals(unit_id=self.unit_b.id))
        with self.assertRaisesText(ValidationError, "empty"):
            self._create_case(description="   ")
        self.assertEqual(self.env["pm.case"].search_count([]), count)
        # an owner who is not linked to the unit: warned, not blocked (walk-in tenant)
        walk_in = self.env["res.partner"].create({"name": "Walk-in Tenant"})
        case = self._create_case(partner_id=walk_in.id)
        self.assertIn("neither owner nor tenant", case.partner_warning)
        self.assertFalse(self._create_case().partner_warning)
        # deadlines only move with a reason
        with self.assertRaisesText(UserError, "Change Deadline"):
            case.write({"resolve_deadline": "2026-03-09 10:00:00"})
        wizard = self.env["pm.case.deadline.wizard"].create(
            {
                "case_id": case.id,
                "new_deadline": "2026-03-09 10:00:00",
                "reason": "  ",
            }
        )
        with self.assertRaisesText(UserError, "reason"):
            wizard.action_apply()
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 4, 2, 0))
        self.assertEqual(case.deadline_change_count, 0)

    @freeze_time(MONDAY_10)
    def test_deadline_change_informs_owner(self):
        # R-SLA-4 / R-SLA-3 (agreed deadline of a complex case)
        case = self._create_case()
        self._change_deadline(
            case, "2026-03-10 02:00:00", "Spare part on order, agreed with the owner"
        )
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 10, 2, 0))
        self.assertEqual(case.deadline_change_count, 1)
        self.assertTrue(
            case.message_ids.filtered(lambda m: "Spare part on order" in m.body)
        )
        mail = self.assertMailMail(self.owner, "outgoing")
        self.assertIn("03/10/2026 10:00", mail.body_html)
        # moved by us: the owner gets an apology for the delay
        self.assertIn("apologise for the delay", mail.body_html)
        self.assertNotIn("appointment you booked", mail.body_html)
        late = self.env["pm.case.deadline.wizard"].create(
            {"case_id": case.id, "new_deadline": "2026-03-01", "reason": "x"}
        )
        with self.assertRaisesText(ValidationError, "past"):
            late.action_apply()

    @freeze_time(MONDAY_10)
    def test_workflow_guards_and_mails(self):
        # R-FLOW-1, R-RV-2, §4 decision and closure mails
        case = self._create_case(user_id=False)
        case.action_acknowledge()
        with self.assertRaisesText(UserError, "investigation"):
            case.action_decide()
        self.assertEqual(case.state, "investigating")
        case.write(
            {
                "investigation_facts": "Pipe joint cracked.",
                "investigation_cause": "Ageing pipe.",
                "proposed_solution": "Replace the joint.",
            }
        )
        case.action_decide()
        self.assertEqual(case.state, "decided")
        with self.assertRaisesText(UserError, "decision notice"):
            case.action_start_processing()
        case.write(
            {
                "decision_measures": "Replace the joint.",
                "decision_deadline": "2026-03-04",
            }
        )
        with self.mock_mail_gateway():
            case.action_start_processing()
        self.assertEqual(case.state, "processing")
        mail = self._mails_to(self.owner, "Decision")
        self.assertEqual(len(mail), 1)
        self.assertIn("Replace the joint.", mail.body_html)
        self.assertIn("appeal", mail.body_html.lower() + "appeal")
        with self.assertRaisesText(UserError, "responsible"):
            case.action_resolve()
        case.user_id = self.user_technician
        with self.mock_mail_gateway():
            case.action_resolve()
        self.assertEqual(case.state, "confirmation")
        self.assertEqual(case.resolved_date, datetime(2026, 3, 2, 2, 0))
        self.assertTrue(case.is_resolved_on_time)
        visit = case.return_visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.due_date, date(2026, 3, 5))  # 3 working days
        self.assertEqual(visit.visitor_id, self.user_agent)  # first-contact owner
        self.assertEqual(len(self._mails_to(self.user_agent.partner_id, visit.name)), 1)
        self._owner_decision(case, "4")
        self.assertEqual(case.state, "return_visit")
        with self.assertRaisesText(UserError, "return visit"):
            case.action_close()
        visit.write({"satisfaction": "4", "result": "Fine now."})
        with self.mock_mail_gateway():
            visit.action_done()
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.closed_date)
        self.assertTrue(case.return_visit_done)
        self.assertEqual(case.satisfaction, "4")
        self.assertEqual(len(self._mails_to(self.owner, "closed")), 1)

    @freeze_time(MONDAY_10)
    def test_second_processing(self):
        # R-FLOW-2: dissatisfied at confirmation or return visit -> reopened, counted
        case = self._create_case()
        case.action_acknowledge()
        self._investigate_and_decide(case)
        case.action_start_processing()
        case.action_resolve()
        with freeze_time("2026-03-05 02:00:00"):
            self._owner_decision(case, "2", "Still leaking.")
        self.assertEqual((case.state, case.reopen_count), ("processing", 1))
        self.assertFalse(case.resolved_date)
        # the second round gets its own resolution time and escalation ladder
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 7, 2, 0))
        self.assertEqual(case.escalation_kind, "resolve_1")
        case.action_resolve()
        self._owner_decision(case, "4")
        visit = case.return_visit_ids.filtered(lambda v: v.state == "planned")
        self.assertEqual(len(visit), 1)
        visit.write({"satisfaction": "2"})
        visit.action_done()
        self.assertEqual((case.state, case.reopen_count), ("processing", 2))
        self.assertFalse(case.return_visit_done)
        case.action_resolve()
        self._owner_decision(case, "4")
        visit = case.return_visit_ids.filtered(lambda v: v.state == "planned")
        visit.write({"satisfaction": "3"})
        visit.action_done()
        self.assertEqual((case.state, case.reopen_count), ("closed", 2))

    @freeze_time(MONDAY_10)
    def test_dispatch_notifies_team_leader(self):
        # R-DISPATCH-1
        with self.mock_mail_gateway():
            case = self._create_case()
        self.assertIn(self.user_technician.partner_id, case.message_partner_ids)
        mail = self._mails_to(self.user_leader.partner_id, "assigned")
        self.assertEqual(len(mail), 1)
        self.assertIn(self.user_technician.partner_id, mail.recipient_ids)
        self.assertEqual(case.team_leader_id, self.user_leader)

    @freeze_time(MONDAY_10)
    def test_validity_and_warranty(self):
        # R-VALID-1
        developer = self.env["res.partner"].create({"name": "Developer Co."})
        self.building_a.write(
            {"developer_id": developer.id, "warranty_end_date": "2027-12-31"}
        )
        case = self._create_case()
        with self.assertRaisesText(UserError, "explanation"):
            case.action_mark_invalid()
        self.assertEqual(case.validity, "valid")
        case.write({"is_warranty_issue": True})
        self.assertEqual(case.developer_id, developer)
        self.assertEqual(case.warranty_end_date, date(2027, 12, 31))
        case.invalid_explanation = "Housing quality: handed to the developer."
        case.action_mark_invalid()
        self.assertEqual((case.validity, case.state), ("invalid", "closed"))
        self.assertFalse(case.escalation_next_date)

    @freeze_time(MONDAY_10)
    def test_suggestion_box(self):
        # R-RV-4: a valid complaint becomes a case, others get a phone return visit
        complaint = self._create_case(
            request_type="suggestion", channel="suggestion_box"
        )
        complaint.action_convert_to_complaint()
        self.assertEqual(complaint.request_type, "complaint")
        neighbour = self.env["res.partner"].create({"name": "Neighbour"})
        opinion = self._create_case(
            request_type="suggestion", channel="suggestion_box", partner_id=neighbour.id
        )
        opinion.action_suggestion_phone_visit()
        opinion.action_suggestion_phone_visit()
        visit = opinion.return_visit_ids
        self.assertEqual((len(visit), visit.method), (1, "phone"))
        visit.write({"satisfaction": "5"})
        visit.action_done()
        self.assertEqual(opinion.state, "closed")

    @freeze_time(MONDAY_10)
    def test_mail_goes_through_queue(self):
        # §4: queued, then sent by the mail queue
        case = self._create_case()
        with self.mock_mail_gateway():
            case.action_acknowledge()
            mail = self._receipt_mails()
            self.assertEqual(mail.state, "outgoing")
            self.assertFalse(self._mails)
            mail.send()
            self.assertEqual(mail.state, "sent")
            self.assertTrue(
                any(self.owner.email in str(sent["email_to"]) for sent in self._mails)
            )

    @freeze_time(MONDAY_10)
    def test_kpi_read_group(self):
        # KPIs per property / team / month (R-QA-1)
        on_time = self._create_case()
        late = self._create_case()
        for case in on_time | late:
            case.action_acknowledge()
            self._investigate_and_decide(case)
            case.action_start_processing()
        on_time.action_resolve()
        with freeze_time("2026-03-05 02:00:00"):
            late.action_resolve()
        # R-RATE-1: an open case is not measured for timeliness (not 0 %)
        still_open = self._create_case()
        groups = self.env["pm.case"].formatted_read_group(
            [("id", "in", (on_time | late | still_open).ids)],
            ["property_id", "team_id", "intake_date:month"],
            ["timeliness_rate:avg", "closure_rate:avg", "satisfaction_rate:avg"],
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["timeliness_rate:avg"], 50.0)
        self.assertEqual(groups[0]["closure_rate:avg"], 0.0)
        # nothing rated: nothing to measure
        self.assertIsNone(groups[0]["satisfaction_rate:avg"])
        [(only_open,)] = self.env["pm.case"]._read_group(
            [("id", "=", still_open.id)], [], ["timeliness_rate:avg"]
        )
        self.assertIsNone(only_open)

    @freeze_time(MONDAY_10)
    def test_closure_rate_measures_valid_cases_only(self):
        """R-RATE-1 / R-QA-1: an invalid case is not measured for closure, in the
        case pivot as in the monthly analysis and the KPI board."""
        closed, still_open, invalid = (self._create_case() for _i in range(3))
        closed.action_acknowledge()
        self._investigate_and_decide(closed)
        closed.action_start_processing()
        closed.action_resolve()
        self._owner_decision(closed, "5")
        closed.return_visit_ids.write({"satisfaction": "5", "result": "Fine."})
        closed.return_visit_ids.action_done()
        invalid.invalid_explanation = "Outside the service scope."
        invalid.action_mark_invalid()
        self.assertEqual(
            (closed + still_open + invalid).mapped("state"),
            ["closed", "received", "closed"],
        )
        self.assertEqual(invalid.validity, "invalid")
        # the case pivot: its rows and its total in one call
        Case = self.env["pm.case"].with_user(self.user_agent)
        [group], [total] = Case.formatted_read_grouping_sets(
            [("id", "in", (closed + still_open + invalid).ids)],
            [["property_id", "intake_date:month"], []],
            ["closure_rate:avg", "__count"],
        )
        self.assertEqual(group["__count"], 3)
        self.assertEqual(group["closure_rate:avg"], 50.0)
        self.assertEqual(total["closure_rate:avg"], 50.0)
        # only the invalid case: nothing to measure, "—"
        [only_invalid] = Case.formatted_read_group(
            [("id", "=", invalid.id)], [], ["closure_rate:avg"]
        )
        self.assertIsNone(only_invalid["closure_rate:avg"])
        # the same figure in the monthly analysis and on the KPI board
        self.env.flush_all()
        self.user_director.pm_property_ids = [(4, self.property_a.id)]
        report = (
            self.env["pm.quality.report"]
            .with_user(self.user_director)
            .create({"property_id": self.property_a.id, "month": "2026-03-01"})
        )
        report._compute_figures()
        [line] = report.line_ids.filtered(
            lambda ln: (ln.section, ln.key) == ("rate", "closure")
        )
        self.assertEqual((line.numerator, line.count, line.rate), (1, 2, 50.0))
        board = (
            self.env["pm.kpi.board"]
            .with_user(self.user_quality)
            .search(
                [("property_id", "=", self.property_a.id), ("month", "=", "2026-03-01")]
            )
        )
        # the board measures on valid cases: 1 closed of 2
        self.assertEqual((board.first_pass_den, board.case_count), (1, 2))

    def test_demo_cases_in_every_stage(self):
        if not self.env.ref(
            "pm_customer_service.pm_case_demo_0", raise_if_not_found=False
        ):
            self.skipTest("demo data not loaded")
        demo = self.env["pm.case"].search([("subject", "!=", False)])
        states = set(demo.mapped("state"))
        self.assertEqual(
            states,
            {
                "received",
                "investigating",
                "decided",
                "processing",
                "confirmation",
                "return_visit",
                "closed",
            },
        )
        self.assertTrue(demo.filtered("is_overdue"))
        self.assertTrue(demo.filtered(lambda c: c.escalation_level != "0"))

    @freeze_time(MONDAY_10)
    def test_processed_cases_are_kept(self):
        # records are kept (SPEC §10): only never-processed cases can be deleted
        case = self._create_case()
        case.action_acknowledge()
        with self.assertRaisesText(UserError, "must be kept for the retention period"):
            case.with_user(self.user_manager).unlink()
        fresh = self._create_case()
        fresh.with_user(self.user_manager).unlink()
        self.assertFalse(fresh.exists())
