# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Records that hold: what a staff member can try over RPC with a plain
``write``/``create``/``unlink`` is refused; the actions still work (R-KEEP-1,
R-SLA-4, R-APPROVE-1, R-VIS-2/3/5, R-FLOW-1/2)."""

import base64
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PmCaseCommon, TwoProcessesCase

MONDAY_10 = "2026-03-02 02:00:00"  # 10:00 in Shanghai


@tagged("security")
@freeze_time(MONDAY_10)
class TestWorkflowInvariants(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["pm.visit.plan"].create(
            {
                "name": "Spring visits",
                "property_id": cls.property_a.id,
                "date_start": "2026-03-01",
                "date_end": "2026-03-31",
                "unit_ids": [(6, 0, cls.unit_a.ids)],
            }
        )

    def _closed_case(self):
        case = self._create_case(invalid_explanation="Outside the service scope.")
        case.sudo().action_mark_invalid()
        self.assertEqual(case.state, "closed")
        return case

    # --- approvals (R-VIS-2, R-APPROVE-1) ---------------------------------

    def test_plan_approval_only_through_actions(self):
        plan = self.plan.with_user(self.user_agent)
        self.assertWritesRefused(
            plan,
            {"state": "approved"},
            {"approved_by_id": self.user_agent.id},
            {"submitted_on": "2026-03-01 00:00:00"},
        )
        self.assertEqual(self.plan.state, "draft")
        self.assertFalse(self.plan.approved_by_id)
        Plan = self.env["pm.visit.plan"].with_user(self.user_agent)
        values = {
            "name": "Forged",
            "property_id": self.property_a.id,
            "date_start": "2026-03-01",
            "date_end": "2026-03-31",
        }
        with self.assertRaisesText(UserError, "only change through its actions"):
            Plan.create(dict(values, state="approved"))
        # a context default is the caller's, not the action's
        forged = Plan.with_context(default_state="approved").create(values)
        self.assertEqual(forged.state, "draft")
        # the action records the step itself
        plan.action_submit()
        self.assertEqual(self.plan.state, "submitted")
        self.assertEqual(self.plan.submitted_by_id, self.user_agent)
        self.assertEqual(self.plan.submitted_on, datetime(2026, 3, 2, 2, 0))
        with self.assertRaises(AccessError):
            plan.action_review()

    def test_visit_sign_off_only_through_action(self):
        visit = self.env["pm.visit"].create(
            {"property_id": self.property_a.id, "unit_id": self.unit_a.id}
        )
        as_agent = visit.with_user(self.user_agent)
        self.assertWritesRefused(
            as_agent,
            {"state": "signed"},
            {"signed_by_id": self.user_director.id},
            {"cron_key": "periodic:forged"},
        )
        as_agent.action_done()
        visit.with_user(self.user_director).action_sign_off()
        self.assertEqual(visit.signed_by_id, self.user_director)
        # a signed visit is frozen
        with self.assertRaisesText(UserError, "closed"):
            visit.with_user(self.user_director).write({"summary": "Rewritten"})

    def test_rectification_and_return_visit_only_through_actions(self):
        rect = self.env["pm.rectification"].create(
            {
                "property_id": self.property_a.id,
                "problem": "Stairwell not cleaned.",
                "unit_id": self.unit_a.id,
                "partner_id": self.owner.id,
                "team_id": self.team.id,
                "measure": "Clean twice a day.",
                "deadline": "2026-03-20",
            }
        )
        as_agent = rect.with_user(self.user_agent)
        self.assertWritesRefused(
            as_agent,
            {"state": "verified"},
            {"verified_by_id": self.user_agent.id},
            {"on_time": True},
            {"escalation_next_date": False},
        )
        as_agent.action_start()
        as_agent.write({"completion_note": "Done, photos in the chatter."})
        as_agent.action_done()
        self.assertEqual(rect.state, "done")
        # sending the result back is a director's decision, like verifying it
        as_agent.write({"verification_note": "Not clean."})
        with self.assertRaises(UserError):
            as_agent.action_reject_verification()
        rect.with_user(self.user_director).action_verify()
        self.assertEqual(rect.verified_by_id, self.user_director)
        with self.assertRaisesText(UserError, "closed"):
            as_agent.write({"measure": "Rewritten"})
        visit = rect.return_visit_ids.with_user(self.user_agent)
        self.assertEqual(len(visit), 1)
        self.assertWritesRefused(
            visit,
            {"state": "done"},
            {"done_date": "2026-03-02 02:00:00"},
        )
        visit.write({"satisfaction": "4"})
        visit.action_done()
        self.assertEqual(visit.state, "done")
        with self.assertRaisesText(UserError, "closed"):
            visit.write({"satisfaction": "1"})

    def test_quality_figures_only_through_actions(self):
        report = self.env["pm.quality.report"].create(
            {"property_id": self.property_a.id, "month": "2026-02-01"}
        )
        as_director = report.with_user(self.user_director)
        self.assertWritesRefused(
            as_director,
            {"case_count": 0, "timeliness_rate": 100.0},
            {"state": "sent"},
        )
        with self.assertRaisesText(UserError, "only change through its actions"):
            self.env["pm.quality.report.line"].with_user(self.user_director).create(
                {"report_id": report.id, "section": "rate", "rate": 100.0}
            )
        self.assertEqual(report.state, "draft")

    # --- cases: stage, KPI, escalation, return visit (R-FLOW-1/2, R-ESC-1) ------

    def test_case_workflow_fields_refused(self):
        case = self._create_case()
        as_agent = case.with_user(self.user_agent)
        closed = self.env["pm.case.stage"]._for_state("closed")
        before = case.escalation_next_date
        self.assertTrue(before)
        self.assertWritesRefused(
            as_agent,
            {"stage_id": closed.id},
            {"return_visit_done": True},
            {"escalation_next_date": False},
            {"escalation_level": "4"},
            {"is_closed": True},
            {"timeliness_rate": 100.0},
            {"reopen_count": 0, "deadline_change_count": 5},
            {"first_contact_user_id": self.user_leader.id},
            {"acknowledged_date": "2026-03-01 00:00:00"},
        )
        self.assertEqual(case.state, "received")
        self.assertEqual(case.escalation_next_date, before)
        self.assertFalse(case.return_visit_done)
        # writing a field to its current value is harmless (form saves)
        as_agent.write({"subject": "Water leaking", "reopen_count": 0})
        # the action moves the stage and records the acknowledgement
        as_agent.action_acknowledge()
        self.assertEqual(case.state, "investigating")
        self.assertEqual(case.acknowledged_date, datetime(2026, 3, 2, 2, 0))

    def test_case_create_cannot_forge_workflow(self):
        closed = self.env["pm.case.stage"]._for_state("closed")
        with self.assertRaisesText(UserError, "only change through its actions"):
            self._create_case(stage_id=closed.id)
        with self.assertRaisesText(UserError, "only change through its actions"):
            self._create_case(escalation_next_date=False, escalation_kind="x")
        case = self.Case.with_context(default_stage_id=closed.id).create(
            self._case_vals()
        )
        self.assertEqual(case.state, "received")

    def test_closed_case_is_frozen(self):
        case = self._closed_case()
        as_agent = case.with_user(self.user_agent)
        processing = self.env["pm.case.stage"]._for_state("processing")
        with self.assertRaisesText(UserError, "closed"):
            as_agent.write({"description": "Nothing happened."})
        with self.assertRaisesText(UserError, "only change through its actions"):
            as_agent.write({"stage_id": processing.id})
        self.assertEqual(
            case.description, "Water leaks from the ceiling of the bathroom."
        )
        # the chatter and archiving stay open
        as_agent.message_post(body="Owner called again.")
        as_agent.action_archive()
        self.assertFalse(case.active)

    # --- deadlines (R-SLA-4) --------------------------------------------------

    def test_deadline_moves_only_through_wizard(self):
        case = self._create_case()
        as_agent = case.with_user(self.user_agent)
        old = case.resolve_deadline
        with self.assertRaisesText(UserError, "only move with a reason"):
            as_agent.with_context(pm_deadline_reason="forged").write(
                {"resolve_deadline": "2026-04-30 10:00:00"}
            )
        self.assertEqual(case.resolve_deadline, old)
        Wizard = self.env["pm.case.deadline.wizard"].with_user(self.user_agent)
        with self.assertRaisesText(UserError, "reason"):
            Wizard.create(
                {
                    "case_id": case.id,
                    "deadline_field": "resolve_deadline",
                    "new_deadline": "2026-04-30 10:00:00",
                }
            )
        with self.assertRaisesText(UserError, "new deadline"):
            Wizard.create({"case_id": case.id, "reason": "Agreed with owner"})
        # within the re-appointment cap (three days), so an agent may (R-SLA-4)
        wizard = Wizard.create(
            {
                "case_id": case.id,
                "deadline_field": "resolve_deadline",
                "new_deadline": "2026-03-05 02:00:00",
                "reason": "Agreed with the owner: parts on order.",
            }
        )
        wizard.action_apply()
        self.assertEqual(case.resolve_deadline, datetime(2026, 3, 5, 2, 0))
        self.assertEqual(case.deadline_change_count, 1)

    # --- retention (R-KEEP-1) ---------------------------------------------

    def test_kept_records_cannot_be_deleted(self):
        case = self._closed_case()
        visit = self.env["pm.return.visit"].create(
            {"property_id": self.property_a.id, "satisfaction": "5"}
        )
        visit.action_done()
        done_visit = self.env["pm.visit"].create({"property_id": self.property_a.id})
        done_visit.action_done()
        log = self.env["pm.escalation.log"].create(
            {
                "res_model": case._name,
                "res_id": case.id,
                "kind": "resolve",
                "level": 1,
                "property_id": self.property_a.id,
            }
        )
        for record in (case, visit, done_visit, log):
            with self.assertRaises(UserError):
                record.with_user(self.user_manager).unlink()
            self.assertTrue(record.exists())
        # never processed: may still go
        draft = self.env["pm.visit"].create({"property_id": self.property_a.id})
        draft.with_user(self.user_manager).unlink()
        self.assertFalse(draft.exists())

    def test_attachments_of_kept_records(self):
        case = self._create_case()
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user_agent)
            .create(
                {
                    "name": "photo.txt",
                    "raw": b"leak",
                    "res_model": case._name,
                    "res_id": case.id,
                }
            )
        )
        evidence = (
            self.env["ir.attachment"]
            .with_user(self.user_agent)
            .create({"name": "evidence.txt", "datas": base64.b64encode(b"x")})
        )
        case.with_user(self.user_agent).attachment_ids = [(4, evidence.id)]
        case.with_user(self.user_agent).action_acknowledge()
        for doc in (attachment, evidence):
            with self.assertRaisesText(UserError, "kept"):
                doc.with_user(self.user_agent).unlink()
            self.assertTrue(doc.exists())

    def test_retention_purge_is_an_administrators_action(self):
        old_case = self._closed_case()
        recent_case = self._closed_case()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE pm_case SET write_date = '2023-01-01' WHERE id = %s",
            (old_case.id,),
        )
        self.env.invalidate_all()
        Guard = self.env["pm.workflow.guard.mixin"]
        with self.assertRaises(AccessError):
            Guard.with_user(self.user_manager)._pm_retention_purge()
        admin = new_test_user(self.env, "pm_t_admin", groups="base.group_system")
        purged = Guard.with_user(admin)._pm_retention_purge()
        self.assertEqual(purged.get("pm.case"), 1)
        self.assertFalse(old_case.exists())
        self.assertTrue(recent_case.exists())
        # the setting holds the period (never below the SOP's two years)
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.retention_years", "5"
        )
        self.assertEqual(Guard._pm_retention_cutoff().year, 2021)
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.retention_years", "1"
        )
        self.assertEqual(Guard._pm_retention_cutoff().year, 2024)

    def test_retention_setting_and_purge_button(self):
        settings = self.env["res.config.settings"].with_user(self.user_manager)
        with self.assertRaises(AccessError):
            settings.create({}).action_pm_retention_purge()
        admin = new_test_user(
            self.env, "pm_t_sysadmin", groups="base.group_system,base.group_user"
        )
        form = (
            self.env["res.config.settings"]
            .with_user(admin)
            .create({"pm_retention_years": 3})
        )
        action = form.action_pm_retention_purge()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "pm_customer_service.retention_years"
            ),
            "3",
        )

    # --- property and company (SPEC §10) -----------------------------------

    def test_property_company_move(self):
        with self.assertRaises(AccessError):
            self.property_a.with_user(self.user_director).write(
                {"company_id": self.company_2.id}
            )
        with self.assertRaisesText(UserError, "already has records"):
            self.property_a.with_user(self.user_manager).write(
                {"company_id": self.company_2.id}
            )
        self.assertEqual(self.property_a.company_id, self.company)
        self.user_manager.company_ids = [(4, self.company_2.id)]
        empty = self.env["pm.property"].create(
            {"name": "Empty", "code": "PE", "total_floor_area": 1000}
        )
        empty.with_user(self.user_manager).write({"company_id": self.company_2.id})
        self.assertEqual(empty.company_id, self.company_2)

    def test_record_property_must_be_assigned(self):
        case = self._create_case(unit_id=False)
        with self.assertRaises(AccessError):
            case.with_user(self.user_agent).write({"property_id": self.property_b.id})
        self.assertEqual(case.property_id, self.property_a)
        with self.assertRaises(AccessError):
            self.env["pm.visit.plan"].with_user(self.user_agent).create(
                {
                    "name": "Elsewhere",
                    "property_id": self.property_b.id,
                    "date_start": "2026-03-01",
                    "date_end": "2026-03-31",
                }
            )
        # the quality department works for every property of the company
        case.with_user(self.user_quality).write({"property_id": self.property_b.id})
        self.assertEqual(case.property_id, self.property_b)

    def test_escalation_log_filtered_by_property(self):
        Log = self.env["pm.escalation.log"]
        logs = Log.create(
            [
                {
                    "res_model": "pm.case",
                    "res_id": res_id,
                    "kind": "resolve",
                    "level": 1,
                    "company_id": self.company.id,
                    "property_id": prop.id,
                }
                for res_id, prop in ((1, self.property_a), (2, self.property_b))
            ]
        )
        seen = Log.with_user(self.user_director).search([("id", "in", logs.ids)])
        self.assertEqual(seen.property_id, self.property_a)
        seen = Log.with_user(self.user_quality).search([("id", "in", logs.ids)])
        self.assertEqual(len(seen), 2)


@tagged("security", "post_install", "-at_install")
class TestDueVisitPlannerConcurrency(TwoProcessesCase):
    """R-VIS-3: two processes running the due-visit planner at once plan each
    unit once. Real cursors and commits: the data is cleaned up afterwards."""

    def _create_data(self, env):
        others = env["pm.property"].search([])
        # only this test's property is planned (demo properties are parked)
        others.write({"active": False})
        prop, building = self._new_property(env, "Concurrency", "PCC", "C1")
        units = env["pm.unit"].create(
            [
                {
                    "building_id": building.id,
                    "number": str(100 + n),
                    "floor": 1,
                    "area": 80,
                    "state": "occupied",
                }
                for n in range(3)
            ]
        )
        return self._data_of(prop, building, others=others.ids, units=units.ids)

    def _remove_data(self, env):
        self._remove_property(env, ["pm.visit"])
        env["pm.property"].browse(self.data["others"]).write({"active": True})

    def _count(self):
        return self._committed_count(
            "pm.visit", [("unit_id", "in", self.data["units"])]
        )

    def test_second_run_while_first_is_running(self):
        env_a, env_b = self._envs()
        first = env_a["pm.visit"]._cron_create_due_visits()
        # the first run has not committed: the second skips the property
        second = env_b["pm.visit"]._cron_create_due_visits()
        self.assertEqual(len(first), 3)
        self.assertFalse(second)
        self._commit(env_a, env_b)
        self.assertEqual(self._count(), 3)

    def test_second_run_on_an_older_snapshot(self):
        env_a, env_b = self._envs()
        # the second run's transaction began before the first one committed
        env_b.cr.execute("SELECT 1")
        first = env_a["pm.visit"]._cron_create_due_visits()
        env_a.cr.commit()
        second = env_b["pm.visit"]._cron_create_due_visits()
        env_b.cr.commit()
        self.assertEqual(len(first), 3)
        self.assertFalse(second)
        self.assertEqual(self._count(), 3)


@tagged("security", "post_install", "-at_install")
class TestQualityReportConcurrency(TwoProcessesCase):
    """R-QA-2: two runs of the monthly analysis at once make one report per
    property and month, and handle (send) each report once."""

    MONTH = "2026-01-01"

    def _create_data(self, env):
        prop = env["pm.property"].create(
            {"name": "Reports", "code": "PQR", "total_floor_area": 1000}
        )
        report = env["pm.quality.report"].create(
            {"property_id": prop.id, "month": self.MONTH}
        )
        return {"property": prop.id, "report": report.id}

    def _remove_data(self, env):
        env["pm.quality.report"].search(
            [("property_id", "=", self.data["property"])]
        ).unlink()
        env["pm.property"].browse(self.data["property"]).unlink()

    def test_report_handled_by_one_run(self):
        env_a, env_b = self._envs()
        report_id = self.data["report"]
        self.assertTrue(env_a["pm.quality.report"].browse(report_id)._lock_for_run())
        # taken by the first run: the second one skips it
        self.assertFalse(env_b["pm.quality.report"].browse(report_id)._lock_for_run())
        env_a.cr.rollback()
        self.assertTrue(env_b["pm.quality.report"].browse(report_id)._lock_for_run())

    def test_report_sent_since_the_run_began(self):
        env_a, env_b = self._envs()
        env_b.cr.execute("SELECT 1")
        env_a["pm.quality.report"].browse(self.data["report"]).write({"state": "sent"})
        env_a.cr.commit()
        report_b = env_b["pm.quality.report"].browse(self.data["report"])
        self.assertFalse(report_b._lock_for_run())

    def test_second_create_is_a_no_op(self):
        env_a, env_b = self._envs()
        env_b.cr.execute("SELECT 1")
        values = {"property_id": self.data["property"], "month": "2026-02-01"}
        env_a["pm.quality.report"].create(values)
        env_a.cr.commit()
        Report = env_b["pm.quality.report"]
        self.assertFalse(Report._try_run_step(lambda: Report.create(values)))
        env_b.cr.commit()
        count = self._committed_count(
            "pm.quality.report", [("property_id", "=", self.data["property"])]
        )
        self.assertEqual(count, 2)
