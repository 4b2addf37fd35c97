# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.pm_base.models.pm_escalation_mixin import PmEscalationMixin

from .common import PmCaseCommon, about

MONDAY_10 = "2026-03-02 02:00:00"


@tagged("pm_escalation")
class TestEscalation(PmCaseCommon):
    def _cron(self, **kwargs):
        self.env["pm.case"]._cron_pm_escalate(**kwargs)

    def _activities(self, case, user):
        return case.activity_ids.filtered(lambda a: a.user_id == user)

    def _logs(self, cases):
        return self.env["pm.escalation.log"].search(
            [*about(cases, model_field="res_model"), ("kind", "!=", "door_visit")]
        )

    def test_levels_each_once(self):
        # R-ESC-1: reminder, responsible, team leader, director, quality; each once
        with freeze_time(MONDAY_10):
            case = self._create_case()
        ack = case.acknowledge_deadline
        self.assertEqual(case.escalation_kind, "acknowledge")
        self.assertEqual(case.escalation_next_date, ack - timedelta(hours=4))
        steps = [
            (ack - timedelta(hours=3), self.user_technician, "0", "is due soon"),
            (ack + timedelta(minutes=5), self.user_technician, "1", "escalated"),
            (ack + timedelta(hours=24, minutes=5), self.user_leader, "2", "escalated"),
            (
                ack + timedelta(hours=48, minutes=5),
                self.user_director,
                "3",
                "escalated",
            ),
            (ack + timedelta(hours=72, minutes=5), self.user_quality, "4", "escalated"),
        ]
        for now, user, level, subject in steps:
            with freeze_time(now), self.mock_mail_gateway():
                self._cron()
                self._cron()  # R-ESC-4: a rerun sends nothing more
                self.assertEqual(case.escalation_level, level)
                mails = self._new_mails.filtered(lambda m, s=subject: s in m.subject)
                self.assertEqual(
                    len(mails),
                    1,
                    (
                        level,
                        mails.mapped("subject"),
                        mails.mapped("recipient_ids.name"),
                    ),
                )
                self.assertEqual(mails.recipient_ids, user.partner_id)
                self.assertEqual(mails.state, "outgoing")
        # the responsible person's reminder became the overdue to-do: one open
        # escalation activity per person, the latest level (R-ESC-1)
        technician_activity = self._activities(case, self.user_technician)
        self.assertEqual(len(technician_activity), 1)
        self.assertIn("Responsible Person", technician_activity.summary)
        for user in (self.user_leader, self.user_director, self.user_quality):
            self.assertEqual(len(self._activities(case, user)), 1, user.name)
        self.assertEqual(len(self._logs(case)), 5)
        self.assertFalse(case.escalation_next_date)
        # acknowledging switches to the resolution deadline, already overdue here
        with freeze_time(ack + timedelta(hours=73)):
            case.action_acknowledge()
            # the owner was called back at once: the first reply is given
            case.action_first_reply()
            self.assertEqual(case.escalation_kind, "resolve")
            self._cron()
        self.assertEqual(len(self._logs(case)), 5 + 3)  # levels 1-3 due by now

    def test_cron_twice_no_duplicates(self):
        # R-ESC-4: same mails, activities and logs after a second run
        with freeze_time(MONDAY_10):
            cases = self._create_case() | self._create_case()
        with freeze_time("2026-03-04 03:00:00"), self.mock_mail_gateway():
            self._cron()
            mails = len(self._new_mails)
            activities = len(cases.activity_ids)
            logs = len(self._logs(cases))
            self._cron()
            cases._pm_escalate()  # the server action on the same records
            self.assertEqual(len(self._new_mails), mails)
        self.assertEqual(len(cases.activity_ids), activities)
        self.assertEqual(len(self._logs(cases)), logs)
        self.assertGreater(logs, 0)

    def test_killed_mid_batch(self):
        # a run dying half-way loses its current batch only; the rerun does the
        # rest, once
        with freeze_time(MONDAY_10):
            cases = self.Case.create([self._case_vals() for _i in range(7)])
        calls = []
        origin = PmEscalationMixin._pm_escalation_notify

        def dying(record, kind, level, user):
            calls.append(record.id)
            if len(calls) == 5:
                raise RuntimeError("worker killed")
            return origin(record, kind, level, user)

        now = cases[0].acknowledge_deadline + timedelta(minutes=10)
        with freeze_time(now), self.mock_mail_gateway():
            with patch.object(PmEscalationMixin, "_pm_escalation_notify", dying):
                try:
                    self._cron(batch_size=3)
                except RuntimeError as error:
                    self.assertEqual(str(error), "worker killed")
                else:
                    self.fail("the cron should have died")
            self.assertEqual(len(self._logs(cases)), 3)
            self._cron(batch_size=3)
            self._cron(batch_size=3)
        self.env.invalidate_all()
        logs = self._logs(cases)
        self.assertEqual(sorted(logs.mapped("res_id")), sorted(cases.ids))
        self.assertEqual(set(logs.mapped("level")), {1})
        for case in cases:
            self.assertEqual(len(self._activities(case, self.user_technician)), 1)
        sent = self.env["mail.mail"].search(
            [("res_id", "in", cases.ids), ("subject", "ilike", "escalated")]
        )
        self.assertEqual(len(sent), 7)

    def test_scheduler_commits_batch_by_batch(self):
        # R-ESC-4 under the scheduler: each batch is committed with its progress;
        # a run dying half-way keeps the batches before it, and the scheduler
        # runs the job again at once for the rest, every step sent once
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.escalation_batch_size", 3
        )
        with freeze_time(MONDAY_10):
            cases = self.Case.create([self._case_vals() for _i in range(7)])
        calls = []
        origin = PmEscalationMixin._pm_escalation_notify

        def dying(record, kind, level, user):
            calls.append(record.id)
            if len(calls) == 5:
                raise RuntimeError("worker killed")
            return origin(record, kind, level, user)

        cron = self.env.ref("pm_customer_service.ir_cron_pm_case_escalate")
        now = cases[0].acknowledge_deadline + timedelta(minutes=10)
        with (
            freeze_time(now),
            self.mock_mail_gateway(),
            patch.object(PmEscalationMixin, "_pm_escalation_notify", dying),
            self.assertLogs("odoo.addons.base.models.ir_cron", "ERROR"),
            self.enter_registry_test_mode(),
        ):
            cron.method_direct_trigger()
        logs = self._logs(cases)
        self.assertEqual(sorted(logs.mapped("res_id")), sorted(cases.ids))
        self.assertEqual(set(logs.mapped("level")), {1})
        # the first run committed its first batch and died in the second; the
        # next one did the rest
        runs = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=2
        )
        self.assertEqual([(run.done, run.remaining) for run in runs], [(4, 0), (3, 4)])
        sent = self.env["mail.mail"].search(
            [("res_id", "in", cases.ids), ("subject", "ilike", "escalated")]
        )
        self.assertEqual(len(sent), 7)

    def test_cron_cost_follows_overdue_not_open(self):
        # many open cases that are not due cost nothing; due ones a bounded amount
        with freeze_time(MONDAY_10):
            self.Case.create([self._case_vals(user_id=False) for _i in range(20)])
        # the run's lock, then the search of what is due
        with freeze_time(MONDAY_10), self.assertQueryCount(3):
            self._cron()
        with freeze_time("2026-03-01 02:00:00"):
            overdue = self.Case.create([self._case_vals() for _i in range(4)])
        overdue.flush_recordset()
        self.env.invalidate_all()
        with freeze_time("2026-03-02 02:10:00"), self.mock_mail_gateway():
            count0 = self.cr.sql_log_count
            self._cron()
            per_record = (self.cr.sql_log_count - count0) / len(overdue)
        self.assertLessEqual(per_record, 22)
        self.assertEqual(len(self._logs(overdue)), 4)

    def test_auto_upgrade_to_major(self):
        # R-SEV-2 and R-ESC-2 (major: director door visit)
        with freeze_time(MONDAY_10):
            case = self._create_case()
            invalid = self._create_case(validity="invalid")
            help_case = self._create_case(request_type="help")
        with freeze_time("2026-03-31 01:00:00"):
            self.env["pm.case"]._cron_pm_auto_upgrade()
        self.assertEqual(case.severity, "general")
        with freeze_time("2026-04-01 03:00:00"):
            self.env["pm.case"]._cron_pm_auto_upgrade()
            self.env["pm.case"]._cron_pm_auto_upgrade()
        self.assertEqual(case.severity, "major")
        self.assertTrue(case.auto_major_date)
        self.assertEqual((invalid.severity, help_case.severity), ("general", "general"))
        door = case.return_visit_ids.filtered(lambda v: v.method == "door")
        self.assertEqual(len(door), 1)
        self.assertEqual(door.visitor_id, self.user_director)
        self.assertTrue(case.door_visit_required)
        self.assertEqual(len(self._activities(case, self.user_director)), 1)

    def test_door_visit_obligations(self):
        # R-ESC-2: same owner twice within the window, head office forward same day
        with freeze_time("2026-01-02 02:00:00"):
            first = self._create_case()
        with freeze_time("2026-05-01 02:00:00"):
            outside = self._create_case()  # 119 days later
        self.assertFalse(first.door_visit_required or outside.door_visit_required)
        with freeze_time("2026-06-01 02:00:00"):
            repeat = self._create_case()
            forwarded = self._create_case(channel="head_office", partner_id=False)
        self.assertTrue(repeat.door_visit_required)
        visit = repeat.return_visit_ids
        self.assertEqual((visit.method, visit.visitor_id), ("door", self.user_director))
        self.assertEqual(str(visit.due_date), "2026-06-04")
        self.assertEqual(str(forwarded.return_visit_ids.due_date), "2026-06-01")
        self.assertIn("head office", forwarded.door_visit_reason)
        # a major upgrade of an already visited case plans nothing more
        repeat.severity = "major"
        self.assertEqual(len(repeat.return_visit_ids), 1)

    def test_creation_query_count(self):
        # creating a case: sequence, SLA deadlines, first-contact owner, mails, and
        # the dispatch rules (no team given), the company's language for the
        # owner-facing default appeal text (2); with the product's other addons
        # installed, one more for the owner's channel of the "received" event
        self.Case.create(self._case_vals())  # warm-up
        self.env.invalidate_all()
        with freeze_time(MONDAY_10), self.assertQueryCount(14):
            self.Case.create(self._case_vals(user_id=False, team_id=False))
        self.assertTrue(fields.Datetime.now())

    def test_rules_are_records_an_admin_tunes(self):
        # R-ESC-3: crons and server actions are data; thresholds are parameters
        cron = self.env.ref("pm_customer_service.ir_cron_pm_case_escalate")
        self.assertEqual(cron.code.strip(), "model._cron_pm_escalate()")
        self.assertTrue(cron.active)
        upgrade = self.env.ref("pm_customer_service.ir_cron_pm_case_auto_major")
        self.assertEqual(upgrade.code.strip(), "model._cron_pm_auto_upgrade()")
        action = self.env.ref("pm_customer_service.ir_actions_server_pm_case_escalate")
        self.assertEqual(action.binding_model_id.model, "pm.case")
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "pm_customer_service"),
                ("name", "=", "ir_cron_pm_case_escalate"),
            ]
        )
        self.assertTrue(data.noupdate)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("pm_customer_service.escalation_interval_hours", "2")
        params.set_param("pm_customer_service.reminder_hours", "0")
        with freeze_time(MONDAY_10):
            case = self._create_case()
        ack = case.acknowledge_deadline
        self.assertEqual(case.escalation_next_date, ack)  # no reminder any more
        with freeze_time(ack + timedelta(hours=2, minutes=1)):
            self._cron()
        self.assertEqual(case.escalation_level, "2")  # team leader after 2 h
        # the settings screen writes the same parameters
        settings = self.env["res.config.settings"].create(
            {"pm_escalation_interval_hours": 6}
        )
        settings.execute()
        self.assertEqual(
            params.get_param("pm_customer_service.escalation_interval_hours"), "6"
        )

    def test_tracking_subtypes(self):
        # stage changes are tracked with their own (internal) subtype; an
        # escalation is a silent internal note, its recipient got its email
        # (R-MAIL-1)
        with freeze_time(MONDAY_10):
            case = self._create_case()
        stage = self.env.ref("pm_customer_service.mt_pm_case_stage")
        received = case.stage_id
        case.action_acknowledge()
        self.assertEqual(case._track_subtype({"stage_id": received}), stage)
        self.assertTrue(stage.internal)
        with freeze_time("2026-03-04 03:00:00"):
            case._pm_escalate()
        self.assertNotEqual(case.escalation_level, "0")
        self.assertFalse(case._track_subtype({"escalation_level": "0"}))
        self.assertFalse(case._track_subtype({"subject": "Old"}))
        notes = case.message_ids.filtered(lambda m: "已升级至" in m.body)
        self.assertTrue(notes)
        self.assertTrue(all(notes.mapped("is_internal")))
        self.assertFalse(notes.notification_ids)

    def test_escalation_note_in_the_companys_language(self):
        """The cron runs as a user of any language; the one note every member of
        staff reads is written in the language of the property's company."""
        self.company.partner_id.lang = "zh_CN"
        with freeze_time(MONDAY_10):
            case = self._create_case()
        with freeze_time("2026-03-04 03:00:00"):
            case.with_context(lang="en_US")._pm_escalate()
        bodies = " ".join(case.message_ids.mapped("body"))
        self.assertIn("已升级至", bodies)
        self.assertNotIn("Escalated to", bodies)
