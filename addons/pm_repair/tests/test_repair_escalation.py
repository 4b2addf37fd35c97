# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The clock of the time targets of a repair order: a missed target escalates on
the one escalation ladder (team leader, engineering manager, director, quality
department), one step per level, each logged, each person emailed once."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.common import ESCALATION

from .common import T0, RepairCommon, minutes

CRON = "pm_repair.ir_cron_pm_repair_escalate"
SECOND = timedelta(seconds=1)
DAY = timedelta(hours=24)
APPOINTMENT = T0 + timedelta(hours=2)
# R-CLOCK-1: T0 is 10:00 in Shanghai; the immediate repair received then is
# finished by the last second of that Shanghai day (15:59:59 UTC)
END_OF_T0_DAY = datetime(2024, 3, 11, 15, 59, 59)
COMPLETION_DAYS = "pm_repair.target_completion_days"


@tagged("pm_repair", "pm_escalation")
class TestRepairEscalation(RepairCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_lead.email = "lead@example.com"
        cls.user_director.email = "director@example.com"
        cls.user_quality.email = "quality@example.com"
        cls.user_agent.email = "agent@example.com"
        cls.user_technician.email = "tech@example.com"
        cls.user_eng_manager = cls._pm_user(
            "pm_t_eng_manager",
            "director",
            name="Engineering Manager",
            email="engineering@example.com",
        )
        # the company's engineering department and quality department: other
        # departments (demo data) must not catch the escalation
        cls.env["pm.team"].search(
            [
                ("team_type", "in", ("engineering", "quality")),
                ("property_id", "=", False),
            ]
        ).write({"active": False})
        cls.engineering_dept = cls._team(
            "Engineering Dept", cls.user_eng_manager, "engineering"
        )
        cls.quality_team = cls._team("Quality Dept", cls.user_quality, "quality")

    def _run_cron(self):
        """The scheduled action as the scheduler runs it (its own user)."""
        self._run_manually(CRON)
        self.env.flush_all()

    def _desk_order(self, **values):
        """A water repair of unit A-101 the front desk records at T0 (10:00 in
        Shanghai), nobody dispatched yet."""
        with freeze_time(T0):
            order = self._new_order(self.user_agent, **values)
        self.assertEqual(order.state, "new")
        self.assertEqual(order.team_id, self.team_engineering)
        return order

    def _logs(self, order):
        return self.env["pm.escalation.log"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )

    def _step_at(self, moment, order):
        """Run the cron twice at ``moment`` (the rerun adds nothing); what it
        sent on ``order``: per partner (emails, notifications)."""
        since = self._mail_mark()
        with freeze_time(moment):
            self._run_cron()
            counts = self._trace_counts(order)
            self._run_cron()
            self.assertEqual(self._trace_counts(order), counts, "a rerun adds nothing")
        return self._mail_sent(order, since)

    # ------------------------------------------------------------
    # THE WATCH RULE
    # ------------------------------------------------------------

    def test_watched_target_per_state(self):
        """Which target's clock runs, and when it is missed, in each state."""
        dispatched = T0 + minutes(1)
        diagnosed = T0 + minutes(15)
        table = [
            # state, urgency, stamps (minutes after T0), kind, missed from
            ("new", "immediate", {}, "dispatch", T0 + minutes(2)),
            ("new", "emergency", {}, "dispatch", T0 + minutes(1.5)),
            (
                "dispatched",
                "immediate",
                {"dispatch_date": dispatched},
                "on_site",
                dispatched + minutes(10),
            ),
            (
                "taken",
                "emergency",
                {"dispatch_date": dispatched},
                "on_site",
                dispatched + minutes(10),
            ),
            # on site, every step on time so far: the completion's clock
            (
                "on_site",
                "immediate",
                {"dispatch_date": dispatched, "arrival_date": T0 + minutes(8)},
                "completion",
                END_OF_T0_DAY,
            ),
            (
                "diagnosed",
                "immediate",
                {
                    "dispatch_date": dispatched,
                    "arrival_date": T0 + minutes(8),
                    "diagnosis_date": diagnosed,
                },
                "plan",
                diagnosed + minutes(3),
            ),
            (
                "quoted",
                "immediate",
                {
                    "dispatch_date": dispatched,
                    "arrival_date": T0 + minutes(8),
                    "diagnosis_date": diagnosed,
                    "plan_date": diagnosed + minutes(2),
                },
                "completion",
                END_OF_T0_DAY,
            ),
            # an appointment: dispatch first, then the call 15 minutes ahead,
            # then the arrival at the latest 3 minutes ahead
            ("new", "appointment", {}, "dispatch", T0 + minutes(2)),
            (
                "dispatched",
                "appointment",
                {"dispatch_date": dispatched},
                "contact",
                APPOINTMENT - minutes(15),
            ),
            (
                "taken",
                "appointment",
                {"dispatch_date": dispatched, "contact_date": T0 + minutes(30)},
                "arrival",
                APPOINTMENT - minutes(3),
            ),
            # the work is under way: the completion's clock alone, until the
            # end of the day received (an appointment: of the appointment's)
            ("in_progress", "immediate", {}, "completion", END_OF_T0_DAY),
            ("in_progress", "emergency", {}, "completion", END_OF_T0_DAY),
            (
                "in_progress",
                "appointment",
                {"appointment_date": T0 + timedelta(days=2)},
                "completion",
                END_OF_T0_DAY + timedelta(days=2),
            ),
            # finished or stopped: no clock
            ("done", "immediate", {"done_date": T0 + minutes(60)}, False, False),
            ("cancelled", "immediate", {}, False, False),
            ("warranty", "immediate", {}, False, False),
        ]
        Order = self.env["pm.repair.order"]
        for state, urgency, stamps, kind, missed in table:
            with self.subTest(state=state, urgency=urgency, kind=kind):
                order = Order.new(
                    {
                        "property_id": self.property_a.id,
                        "state": state,
                        "urgency": urgency,
                        "intake_date": T0,
                        "appointment_date": APPOINTMENT,
                        **stamps,
                    }
                )
                watched, deadline = order._pm_escalation_watch()
                self.assertEqual(watched, kind)
                # the deadline is the limit: a step made at it meets the target,
                # the ladder steps on once it is over
                self.assertEqual(deadline, missed)

    # ------------------------------------------------------------
    # THE CRON
    # ------------------------------------------------------------

    def test_missed_dispatch_climbs_the_ladder(self):
        order = self._desk_order()
        self.assertEqual(order.escalation_kind, "dispatch")
        limit = T0 + minutes(2)
        self.assertEqual(order.escalation_next_date, limit)
        # the scheduled action runs as soon as the step is due, not at its next
        # round
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count(
                [
                    ("cron_id", "=", self.env.ref(CRON).id),
                    ("call_at", "=", limit + SECOND),
                ]
            )
        )
        # at the limit: not missed yet; one second after: the team leader
        ladder = [
            (limit + SECOND, "1", self.user_lead),
            (limit + SECOND + DAY, "2", self.user_eng_manager),
            (limit + SECOND + 2 * DAY, "3", self.user_director),
            (limit + SECOND + 3 * DAY, "4", self.user_quality),
        ]
        for moment, level, user in ladder:
            with self.subTest(level=level):
                # a minute before the step is due: nothing
                self.assertEqual(self._step_at(moment - minutes(1), order), {})
                self.assertEqual(
                    self._step_at(moment, order), {user.partner_id: (1, 0)}
                )
                self.assertEqual(order.escalation_level, level)
                log = self._logs(order).filtered(lambda r, lv=level: r.level == int(lv))
                self.assertEqual(log.user_id, user)
                self.assertEqual(log.kind, "dispatch")
                self.assertEqual(log.property_id, self.property_a)
                activity = order.activity_ids.filtered(
                    lambda a, u=user: a.user_id == u
                    and a.activity_type_id == self.env.ref(ESCALATION)
                )
                self.assertEqual(len(activity), 1)
        self.assertEqual(sorted(self._logs(order).mapped("level")), [1, 2, 3, 4])
        # the ladder is complete: a week later nothing more
        self.assertFalse(order.escalation_next_date)
        self.assertEqual(self._step_at(limit + 7 * DAY, order), {})
        # what the log shows: the repair's own ladder, in words
        self.assertEqual(
            self._logs(order).sorted("level").mapped("level_label"),
            [
                "Team Leader",
                "Engineering Manager",
                "Service Centre Director",
                "Quality Department",
            ],
        )
        self.assertEqual(
            set(self._logs(order).mapped("kind_label")), {"Dispatch target"}
        )
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", order._name),
                ("res_id", "=", order.id),
                ("recipient_ids", "in", self.user_lead.partner_id.ids),
            ]
        )
        self.assertIn("Dispatch target missed - escalated to Team Leader", mail.subject)

    def test_dispatched_at_the_limit(self):
        order = self._desk_order(technician_id=self.user_technician.id)
        limit = T0 + minutes(2)
        self.assertEqual(self._step_at(limit, order), {})
        with freeze_time(limit):
            order.with_user(self.user_agent).action_dispatch()
        self.assertEqual(order.target_dispatch, "met")
        self.assertEqual(order.escalation_kind, "on_site")
        self.assertEqual(self._step_at(limit + SECOND, order), {})
        self.assertFalse(self._logs(order))
        self.assertEqual(order.escalation_level, "0")

    def test_met_target_ends_its_ladder(self):
        order = self._desk_order(technician_id=self.user_technician.id)
        limit = T0 + minutes(2)
        self.assertEqual(
            self._step_at(limit + SECOND, order), {self.user_lead.partner_id: (1, 0)}
        )
        # the front desk dispatches: the dispatch is missed but done, the
        # leader's to-do is closed, the arrival's clock starts
        dispatched = limit + minutes(1)
        with freeze_time(dispatched):
            order.with_user(self.user_agent).action_dispatch()
        self.assertEqual(order.target_dispatch, "missed")
        self.assertEqual(order.escalation_kind, "on_site")
        self.assertEqual(order.escalation_next_date, dispatched + minutes(10))
        self.assertFalse(self._escalations(order))
        done = self._escalations(order, active=False)
        self.assertEqual(done.user_id, self.user_lead)
        # a day later the dispatch's ladder does not go on; the arrival's
        # starts with the team leader
        arrival_missed = dispatched + minutes(10) + SECOND
        self.assertEqual(
            self._step_at(arrival_missed, order), {self.user_lead.partner_id: (1, 0)}
        )
        self.assertEqual(
            sorted(self._logs(order).mapped("kind")), ["dispatch", "on_site"]
        )
        # the technician takes the order and arrives (the front desk records
        # it): the arrival's ladder ends; until the diagnosis only the
        # completion's clock runs, to the end of the day
        with freeze_time(arrival_missed + minutes(5)):
            order.with_user(self.user_technician).action_take()
            order.with_user(self.user_agent).action_arrive()
        self.assertEqual(order.escalation_kind, "completion")
        self.assertEqual(order.escalation_next_date, END_OF_T0_DAY)
        self.assertEqual(self._step_at(END_OF_T0_DAY, order), {})
        self.assertEqual(
            sorted(self._logs(order).mapped("kind")), ["dispatch", "on_site"]
        )

    def test_cancelled_order_stops_escalating(self):
        order = self._desk_order()
        self._step_at(T0 + minutes(2) + SECOND, order)
        self.assertEqual(order.escalation_level, "1")
        with freeze_time(T0 + minutes(5)):
            order.with_user(self.user_agent).action_cancel()
        self.assertFalse(order.escalation_next_date)
        self.assertEqual(self._step_at(T0 + minutes(3) + DAY, order), {})
        self.assertEqual(len(self._logs(order)), 1)

    def test_escalation_log_button(self):
        order = self._desk_order()
        self._step_at(T0 + minutes(2) + SECOND, order)
        as_director = order.with_user(self.user_director)
        self.assertEqual(as_director.escalation_count, 1)
        action = as_director.action_view_escalations()
        logs = self.env["pm.escalation.log"].with_user(self.user_director)
        self.assertEqual(logs.search(action["domain"]), self._logs(order))

    def test_chinese_team_leader_reads_chinese(self):
        """The step reaches a Chinese-speaking team leader in Chinese: the
        email, the to-do and the log's words."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
        for module in ("pm_base", "pm_customer_service", "pm_repair"):
            self.env.ref(f"base.module_{module}")._update_translations(["zh_CN"])
        self.user_lead.lang = "zh_CN"
        order = self._desk_order()
        self._step_at(T0 + minutes(2) + SECOND, order)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", order._name),
                ("res_id", "=", order.id),
                ("recipient_ids", "in", self.user_lead.partner_id.ids),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("派工时效未达成 - 已升级至部门负责人", mail.subject)
        self.assertIn("该工单已升级给您", mail.body_html)
        activity = self._escalations(order)
        self.assertIn("派工时效未达成", activity.summary)
        for english in ("escalated", "Dispatch", "Team Leader", "Hello", "Received"):
            self.assertNotIn(english, mail.subject)
            self.assertNotIn(english, mail.body_html)
            self.assertNotIn(english, activity.summary)
        log = self._logs(order).with_context(lang="zh_CN")
        self.assertEqual(log.level_label, "部门负责人")
        self.assertEqual(log.kind_label, "派工时效")

    # ------------------------------------------------------------
    # R-CLOCK-1: THE COMPLETION
    # ------------------------------------------------------------

    def _working_order(self):
        """An immediate repair received at T0 (10:00 in Shanghai), dispatched by
        the front desk, then taken, reached, diagnosed and planned by the
        technician (the front desk records the arrival by hand), every step on
        time: the work is in progress."""
        order = self._desk_order(technician_id=self.user_technician.id)
        as_tech = order.with_user(self.user_technician)
        self._step(order.with_user(self.user_agent), T0 + minutes(1), "action_dispatch")
        self._step(as_tech, T0 + minutes(2), "action_take")
        # the unit's QR code cannot be scanned: the front desk records the arrival
        self._step(order.with_user(self.user_agent), T0 + minutes(8), "action_arrive")
        self._step(as_tech, T0 + minutes(15), "action_diagnose", diagnosis="Worn")
        self._step(as_tech, T0 + minutes(17), "action_propose_plan", plan="Fix it")
        if order.state == "quoted":
            self._owner_decides(order, T0 + minutes(20), "accept_quote", "phone")
        self.assertEqual(order.state, "in_progress")
        for key in ("dispatch", "on_site", "plan"):
            self.assertEqual(order[f"target_{key}"], "met")
        return order

    def _finish(self, order, moment):
        """The technician finishes the work at ``moment``."""
        self._step(order.with_user(self.user_technician), moment, "action_done")
        self.assertEqual(order.state, "done")

    def test_missed_completion_climbs_the_ladder(self):
        order = self._working_order()
        self.assertEqual(order.escalation_kind, "completion")
        self.assertEqual(order.escalation_next_date, END_OF_T0_DAY)
        self.assertFalse(order.target_completion)
        Order = self.env["pm.repair.order"].with_user(self.user_agent)
        overdue = [("id", "=", order.id), ("target_overdue", "=", True)]
        with freeze_time(END_OF_T0_DAY):
            self.assertFalse(Order.search(overdue))
        with freeze_time(END_OF_T0_DAY + SECOND):
            self.assertEqual(Order.search(overdue), order)
            order.invalidate_recordset(["target_overdue"])
            self.assertTrue(order.target_overdue)
        ladder = [
            (END_OF_T0_DAY + SECOND, "1", self.user_lead),
            (END_OF_T0_DAY + SECOND + DAY, "2", self.user_eng_manager),
            (END_OF_T0_DAY + SECOND + 2 * DAY, "3", self.user_director),
            (END_OF_T0_DAY + SECOND + 3 * DAY, "4", self.user_quality),
        ]
        # at the limit (23:59:59 in Shanghai) nothing is missed yet
        self.assertEqual(self._step_at(END_OF_T0_DAY, order), {})
        for moment, level, user in ladder:
            with self.subTest(level=level):
                self.assertEqual(self._step_at(moment - minutes(1), order), {})
                # one email to the level's person, nobody else, no notification
                self.assertEqual(
                    self._step_at(moment, order), {user.partner_id: (1, 0)}
                )
                self.assertEqual(order.escalation_level, level)
                log = self._logs(order).filtered(lambda r, lv=level: r.level == int(lv))
                self.assertEqual((log.user_id, log.kind), (user, "completion"))
                self.assertEqual(
                    len(
                        self._escalations(order).filtered(
                            lambda a, u=user: a.user_id == u
                        )
                    ),
                    1,
                )
        self.assertEqual(sorted(self._logs(order).mapped("level")), [1, 2, 3, 4])
        self.assertEqual(
            set(self._logs(order).mapped("kind_label")), {"Repair completion target"}
        )
        # what the form shows: the target escalated on, in words
        self.assertEqual(order.escalation_kind_label, "Repair completion target")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", order._name),
                ("res_id", "=", order.id),
                ("recipient_ids", "in", self.user_lead.partner_id.ids),
            ]
        )
        self.assertIn(
            "Repair completion target missed - escalated to Team Leader", mail.subject
        )
        # finished on the fifth day: missed, measured, the to-dos closed, the
        # ladder over
        finished = END_OF_T0_DAY + 4 * DAY
        self._finish(order, finished)
        self.assertEqual(order.target_completion, "missed")
        self.assertTrue(order.targets_missed)
        self.assertEqual((order.kpi_timely, order.kpi_timely_measured), (0.0, 1))
        self.assertFalse(order.escalation_kind)
        self.assertFalse(order.escalation_next_date)
        self.assertFalse(self._escalations(order))
        self.assertEqual(len(self._escalations(order, active=False)), 4)
        self.assertEqual(self._step_at(finished + 7 * DAY, order), {})
        self.assertEqual(len(self._logs(order)), 4)

    def test_completed_at_the_limit_does_not_escalate(self):
        order = self._working_order()
        self._finish(order, END_OF_T0_DAY)
        self.assertEqual(order.target_completion, "met")
        self.assertFalse(order.targets_missed)
        self.assertEqual((order.kpi_timely, order.kpi_timely_measured), (100.0, 1))
        self.assertFalse(order.escalation_kind)
        for moment in (END_OF_T0_DAY + SECOND, END_OF_T0_DAY + 3 * DAY):
            self.assertEqual(self._step_at(moment, order), {})
        self.assertFalse(self._logs(order))
        self.assertEqual(order.escalation_level, "0")

    def test_completed_one_second_late(self):
        order = self._working_order()
        self._finish(order, END_OF_T0_DAY + SECOND)
        self.assertEqual(order.target_completion, "missed")
        self.assertEqual(order.kpi_timely, 0.0)

    def test_completion_measured_once_not_by_the_rework(self):
        """A rework round after a failed acceptance does not restart the
        completion's clock: the first completion is measured (the rework is
        the first-time pass's)."""
        order = self._working_order()
        self._finish(order, T0 + minutes(60))
        self._owner_decides(order, T0 + minutes(70), "not_fixed", note="Drips")
        self.assertEqual(order.state, "in_progress")
        self.assertFalse(order.done_date)
        self.assertEqual(order.target_completion, "met")
        self.assertFalse(order.escalation_kind)
        self.assertEqual(self._step_at(END_OF_T0_DAY + DAY, order), {})

    def test_setting_changes_the_verdict(self):
        """Settings › Property Service: one extra day moves the limit to the
        next day's end, for the measure and for the clock."""
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.pm_repair_target_completion_days, 0)
        late = self._working_order()
        self._finish(late, END_OF_T0_DAY + SECOND)
        self.assertEqual(late.target_completion, "missed")
        running = self._working_order()
        self.assertEqual(running.escalation_next_date, END_OF_T0_DAY)
        self.env["res.config.settings"].create(
            {"pm_repair_target_completion_days": 1}
        ).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param(COMPLETION_DAYS), "1"
        )
        # the running clock follows the setting; a verdict given stays
        self.assertEqual(running.escalation_next_date, END_OF_T0_DAY + DAY)
        self.assertEqual(late.target_completion, "missed")
        same = self._working_order()
        self.assertEqual(same.escalation_next_date, END_OF_T0_DAY + DAY)
        self.assertEqual(self._step_at(END_OF_T0_DAY + SECOND, same), {})
        self._finish(same, END_OF_T0_DAY + SECOND)
        self.assertEqual(same.target_completion, "met")

    def test_completion_only_through_the_actions(self):
        """The verdict and the stamp are the system's: the front desk cannot
        write them."""
        order = self._working_order()
        for vals in ({"target_completion": "met"}, {"done_date": T0}):
            with self.assertRaisesRollback(UserError, "only change through"):
                order.with_user(self.user_agent).write(vals)
        self.assertFalse(order.target_completion)
        self.assertFalse(order.done_date)
