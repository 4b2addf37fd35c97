# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-TZ-1: rules stated in local time follow the property's clock (Shanghai here),
never the clock of the user running the cron (Brussels here)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError

from .common import PmCaseCommon

# 2026-11-25 00:30 in Shanghai, still 2026-11-24 17:30 in Brussels
SHANGHAI_25TH = "2026-11-24 16:30:00"
# 2026-11-24 23:30 in Shanghai
SHANGHAI_24TH = "2026-11-24 15:30:00"


class TestPropertyClock(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_root").tz = "Europe/Brussels"
        cls.env.ref("base.user_admin").tz = "Europe/Brussels"
        cls.env = cls.env(context=dict(cls.env.context, tz="Europe/Brussels"))
        (cls.property_a | cls.property_b).tz = "Asia/Shanghai"
        cls.Visit = cls.env["pm.visit"]

    def _unit(self, number, **values):
        return self.env["pm.unit"].create(
            dict(
                {
                    "building_id": self.building_a.id,
                    "number": number,
                    "area": 60,
                    "state": "occupied",
                },
                **values,
            )
        )

    def _visit(self, unit, visit_date, due_date=False, state="done"):
        return self.Visit.create(
            {
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "due_date": due_date,
                "visit_date": visit_date,
                "state": state,
            }
        )

    def _planned(self, unit):
        return self.Visit.search([("unit_id", "=", unit.id), ("state", "=", "planned")])

    # ------------------------------------------------------------
    # monthly analysis (R-QA-2)
    # ------------------------------------------------------------

    def test_monthly_analysis_on_the_25th_in_shanghai(self):
        Report = self.env["pm.quality.report"]
        self.assertEqual(self.env.user.tz, "Europe/Brussels")
        ours = [("property_id", "in", (self.property_a | self.property_b).ids)]
        with freeze_time(SHANGHAI_24TH), self.mock_mail_gateway():
            Report._cron_monthly_reports(batch_size=1)
        self.assertFalse(Report.search([*ours, ("month", "=", "2026-11-01")]))
        with freeze_time(SHANGHAI_25TH), self.mock_mail_gateway():
            Report._cron_monthly_reports(batch_size=1)
        reports = Report.search(
            [
                ("month", "=", "2026-11-01"),
                ("property_id", "in", (self.property_a | self.property_b).ids),
            ]
        )
        self.assertEqual(reports.property_id, self.property_a | self.property_b)

    def test_generated_on_in_property_time(self):
        with freeze_time(SHANGHAI_25TH):
            report = self.env["pm.quality.report"].create(
                {"property_id": self.property_a.id, "month": "2026-11-01"}
            )
            report._compute_figures()
            html = str(
                self.env["ir.actions.report"]._render_qweb_html(
                    "pm_customer_service.action_report_pm_quality_report", report.ids
                )[0]
            )
        self.assertEqual(report.generated_on, datetime(2026, 11, 24, 16, 30))
        self.assertIn("2026-11-25 00:30", html)
        self.assertNotIn("17:30", html)

    def test_month_not_started_follows_the_property(self):
        # 2026-12-01 00:30 in Shanghai: December has started there
        with freeze_time("2026-11-30 16:30:00"):
            report = self.env["pm.quality.report"].create(
                {"property_id": self.property_a.id, "month": "2026-12-01"}
            )
        self.assertEqual(report.month, date(2026, 12, 1))

    # ------------------------------------------------------------
    # visits (R-VIS-3)
    # ------------------------------------------------------------

    def test_due_visits_in_shanghai(self):
        # visited 2026-08-25 01:00 in Shanghai: due on the 25th there, not yet
        # in Brussels (still the 24th)
        unit = self._unit("901")
        self._visit(unit, datetime(2026, 8, 24, 17, 0))
        with freeze_time(SHANGHAI_24TH), self.mock_mail_gateway():
            self.Visit._cron_create_due_visits()
        self.assertFalse(self._planned(unit))
        with freeze_time(SHANGHAI_25TH), self.mock_mail_gateway():
            self.Visit._cron_create_due_visits()
        self.assertEqual(self._planned(unit).due_date, date(2026, 11, 25))

    @freeze_time(SHANGHAI_25TH)
    def test_due_three_months_after_the_actual_visit(self):
        """R-VIS-3: what counts is when the unit was last visited, not what the
        due date of that visit said."""
        sixty_days_ago = datetime(2026, 9, 26, 2, 0)
        no_due_date = self._unit("911")
        self._visit(no_due_date, sixty_days_ago)
        late = self._unit("912")
        self._visit(late, sixty_days_ago, due_date="2026-06-01")
        on_time_long_ago = self._unit("913")
        self._visit(on_time_long_ago, datetime(2026, 8, 1, 2), due_date="2026-08-01")
        # due, but a visit is already planned
        planned = self._unit("914")
        self._visit(planned, False, due_date="2026-11-27", state="planned")
        # a cancelled visit is no visit
        cancelled = self._unit("915")
        self._visit(cancelled, sixty_days_ago, state="cancelled")
        with self.mock_mail_gateway():
            self.Visit._cron_create_due_visits()
        self.assertFalse(self._planned(no_due_date))
        self.assertFalse(self._planned(late))
        self.assertEqual(self._planned(on_time_long_ago).due_date, date(2026, 11, 25))
        self.assertEqual(self._planned(planned).due_date, date(2026, 11, 27))
        self.assertEqual(self._planned(cancelled).due_date, date(2026, 11, 25))
        # three months after the last actual visit
        with freeze_time("2026-12-26 02:00:00"), self.mock_mail_gateway():
            self.Visit._cron_create_due_visits()
        self.assertEqual(self._planned(no_due_date).due_date, date(2026, 12, 26))
        self.assertEqual(self._planned(late).due_date, date(2026, 12, 26))

    def test_director_month_in_shanghai(self):
        # a visit at 2026-12-01 01:00 in Shanghai counts for December there
        self.property_a.director_id = self.user_director
        self.Visit.create(
            {
                "property_id": self.property_a.id,
                "unit_id": self.unit_a.id,
                "visitor_id": self.user_director.id,
                "visit_date": datetime(2026, 11, 30, 17, 0),
                "state": "done",
            }
        )
        with freeze_time("2026-12-01 02:00:00"):
            self.property_a.invalidate_recordset()
            self.assertEqual(self.property_a.director_visit_count, 1)
        with freeze_time("2026-12-02 02:00:00"):
            self.property_a.invalidate_recordset()
            self.assertEqual(self.property_a.director_visit_count, 1)
        with freeze_time("2027-01-01 02:00:00"):
            self.property_a.invalidate_recordset()
            self.assertEqual(self.property_a.director_visit_count, 0)

    # ------------------------------------------------------------
    # cases (R-SLA-4, R-SEV-2)
    # ------------------------------------------------------------

    @freeze_time(SHANGHAI_25TH)
    def test_deadline_change_in_local_time(self):
        case = self._create_case()
        self._change_deadline(case, "2026-11-26 10:00:00", "Agreed with the owner")
        note = case.message_ids.filtered(lambda m: "Agreed with the owner" in m.body)
        self.assertIn("2026-11-26 18:00", note.body)
        self.assertNotIn("10:00", note.body)
        mail = self.assertMailMail(self.owner, "outgoing")
        self.assertIn("11/26/2026 18:00", mail.body_html)

    def test_auto_upgrade_after_thirty_days(self):
        # 30 days after intake, whatever the clock of the cron user
        with freeze_time("2026-10-25 16:00:00"):
            due = self._create_case(request_type="complaint", validity="valid")
        with freeze_time("2026-10-25 17:00:00"):
            later = self._create_case(request_type="complaint", validity="valid")
        with freeze_time(SHANGHAI_25TH):
            self.env["pm.case"]._cron_pm_auto_upgrade()
        self.assertEqual(due.severity, "major")
        self.assertNotEqual(later.severity, "major")


# 2026-12-02 01:30 in Shanghai, still 2026-12-01 09:30 in Los Angeles
MOMENT = "2026-12-01 17:30:00"
DEC_1 = date(2026, 12, 1)
DEC_2 = date(2026, 12, 2)
SHANGHAI = "Asia/Shanghai"
LOS_ANGELES = "America/Los_Angeles"


class TestPropertyToday(PmCaseCommon):
    """R-TZ-1: what is overdue, due or in the past is decided by today's date at
    the record's property (A in Shanghai, B in Los Angeles), whichever time zone
    the user acting or searching is in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = SHANGHAI
        cls.property_b.tz = LOS_ANGELES
        cls.property_b.user_ids = [(4, cls.user_technician.id), (4, cls.user_agent.id)]

    def _as(self, user, tz, model):
        """``model`` as ``user`` sitting in ``tz`` (their preference and the
        browser's time zone)."""
        user.tz = tz
        self.env.invalidate_all()
        return self.env[model].with_user(user).with_context(tz=tz)

    def _assert_overdue_at_property_a(self, records, searches=3):
        """Of ``records`` (of properties A and B, due on 1 December), the first is
        overdue at ``MOMENT`` and the second not, whatever the time zone of the
        user: read, and searched with the first ``searches`` filters."""
        ours = [("id", "in", records.ids)]
        filters = [
            (("is_overdue", "=", True), records[0]),
            (("is_overdue", "=", False), records[1]),
            (("is_overdue", "!=", True), records[1]),
        ][:searches]
        with freeze_time(MOMENT):
            for tz in (LOS_ANGELES, SHANGHAI):
                Model = self._as(self.user_technician, tz, records._name)
                self.assertEqual(
                    Model.browse(records.ids).mapped("is_overdue"), [True, False], tz
                )
                for condition, found in filters:
                    self.assertEqual(
                        Model.search([*ours, condition]).ids, found.ids, tz
                    )

    def _rectification(self, prop, deadline, **values):
        with freeze_time("2026-11-20 02:00:00"):
            return self.env["pm.rectification"].create(
                {"property_id": prop.id, "problem": "Stairwell dirty", **values}
                | {"deadline": deadline}
            )

    def test_return_visit_overdue_at_the_property(self):
        visits = self.env["pm.return.visit"].create(
            [
                {"property_id": self.property_a.id, "due_date": DEC_1},
                {"property_id": self.property_b.id, "due_date": DEC_1},
            ]
        )
        self._assert_overdue_at_property_a(visits)

    def test_rectification_overdue_at_the_property(self):
        rects = self._rectification(self.property_a, DEC_1) | self._rectification(
            self.property_b, DEC_1
        )
        self._assert_overdue_at_property_a(rects, searches=2)

    def test_overdue_search_is_one_query(self):
        """The overdue filter stays one SQL query on the records, whatever the
        number of properties and zones (no query per record)."""
        visits = self.env["pm.return.visit"].create(
            [
                {"property_id": prop.id, "due_date": DEC_1}
                for prop in (self.property_a, self.property_b) * 5
            ]
        )
        Visit = self._as(self.user_technician, LOS_ANGELES, "pm.return.visit")
        Visit.search([("is_overdue", "=", True)])  # warm the caches
        with freeze_time(MOMENT), self.assertQueryCount(2):
            # the properties grouped by zone, then the records
            found = Visit.search([("is_overdue", "=", True)])
        self.assertEqual(
            found & visits, visits.filtered(lambda v: v.property_id == self.property_a)
        )

    @freeze_time(MOMENT)
    def test_rectification_deadline_in_the_past_at_the_property(self):
        Rect = self._as(self.user_agent, LOS_ANGELES, "pm.rectification")
        # 1 December is over in Shanghai, though not yet for the agent
        with self.assertRaisesText(ValidationError, "cannot be in the past"):
            Rect.create(
                {
                    "property_id": self.property_a.id,
                    "problem": "Stairwell dirty",
                    "deadline": DEC_1,
                }
            )
        self.assertEqual(
            Rect.create(
                {
                    "property_id": self.property_a.id,
                    "problem": "Stairwell dirty",
                    "deadline": DEC_2,
                }
            ).deadline,
            DEC_2,
        )
        # still 1 December in Los Angeles, though no longer for this agent
        Rect = self._as(self.user_agent, SHANGHAI, "pm.rectification")
        self.assertEqual(
            Rect.create(
                {
                    "property_id": self.property_b.id,
                    "problem": "Lobby dirty",
                    "deadline": DEC_1,
                }
            ).deadline,
            DEC_1,
        )

    def test_rectification_deadline_moved_into_the_past_at_the_property(self):
        """A deadline moved on an existing rectification is not in the past
        either, today at its property; a refused write saves nothing."""
        dec_3 = date(2026, 12, 3)
        rect_a = self._rectification(self.property_a, dec_3)
        rect_b = self._rectification(self.property_b, DEC_2)
        Rect = self._as(self.user_technician, LOS_ANGELES, "pm.rectification")
        with freeze_time(MOMENT):
            # 1 December is over in Shanghai, though not yet for the technician
            with self.assertRaisesText(ValidationError, "cannot be in the past"):
                Rect.browse(rect_a.id).write(
                    {"deadline": DEC_1, "problem": "Stairwell and lobby dirty"}
                )
            # a batch with one record in the past moves none
            with self.assertRaisesText(ValidationError, "cannot be in the past"):
                Rect.browse((rect_b | rect_a).ids).write({"deadline": DEC_1})
            self.env.invalidate_all()
            self.assertEqual(
                (rect_a.deadline, rect_a.problem, rect_b.deadline),
                (dec_3, "Stairwell dirty", DEC_2),
            )
            # still 1 December in Los Angeles; today at the property is fine
            Rect.browse(rect_b.id).write({"deadline": DEC_1})
            Rect.browse(rect_a.id).write({"deadline": DEC_2, "problem": "Lobby"})
        self.env.invalidate_all()
        self.assertEqual((rect_a.deadline, rect_a.problem), (DEC_2, "Lobby"))
        self.assertEqual(rect_b.deadline, DEC_1)

    def test_verified_rectification_called_back_today_at_the_property(self):
        rect = self._rectification(
            self.property_a,
            DEC_2,
            unit_id=self.unit_a.id,
            partner_id=self.owner.id,
            measure="Clean daily",
            team_id=self.team.id,
            completion_note="Roster changed",
        )
        rect.action_start()
        rect.action_done()
        with freeze_time(MOMENT):
            self._as(self.user_director, LOS_ANGELES, "pm.rectification").browse(
                rect.id
            ).action_verify()
        self.assertEqual(rect.return_visit_ids.due_date, DEC_2)

    def test_approval_due_today_at_the_property(self):
        plan = self.env["pm.visit.plan"].create(
            {
                "name": "Winter visits",
                "property_id": self.property_a.id,
                "date_start": "2026-12-02",
                "date_end": "2026-12-31",
                "unit_ids": [(6, 0, self.unit_a.ids)],
            }
        )
        with freeze_time(MOMENT):
            self._as(self.user_agent, LOS_ANGELES, "pm.visit.plan").browse(
                plan.id
            ).action_submit()
        activities = plan.sudo().activity_ids
        self.assertTrue(activities)
        self.assertEqual(set(activities.mapped("date_deadline")), {DEC_2})

    @freeze_time(MOMENT)
    def test_move_in_horizon_from_today_at_the_property(self):
        # at most 30 days ahead (the default), counted from today at the property
        Unit = self._as(self.user_agent, LOS_ANGELES, "pm.unit")
        unit_a = Unit.browse(self.unit_a.id)
        unit_a.move_in_date = date(2027, 1, 1)  # 30 days after 2 December
        self.assertEqual(unit_a.move_in_date, date(2027, 1, 1))
        Unit = self._as(self.user_agent, SHANGHAI, "pm.unit")
        with self.assertRaisesText(ValidationError, "more than 30 days"):
            Unit.browse(self.unit_b.id).move_in_date = date(2027, 1, 1)
        Unit.browse(self.unit_b.id).move_in_date = date(2026, 12, 31)

    def test_rating_link_visit_due_today_at_the_property(self):
        """An owner rating a case through the emailed link when no return visit
        is planned any more: the visit recorded is dated today at the property."""
        case = self.env["pm.case"].create(
            self._case_vals(
                request_type="help",
                stage_id=self.env.ref(
                    "pm_customer_service.pm_case_stage_processing"
                ).id,
            )
        )
        with self.mock_mail_gateway():
            case.action_resolve()
        case.return_visit_ids.action_cancel()
        case._pm_rating_links()
        rating = case.sudo().rating_ids[-1:]
        with freeze_time(MOMENT), self.mock_mail_gateway():
            self.assertTrue(
                case.sudo()
                .with_context(tz=LOS_ANGELES)
                ._pm_rating_apply(rating, "5", "Fine now")
            )
        visit = case.return_visit_ids.filtered(lambda v: v.method == "letter")
        self.assertEqual(visit.due_date, DEC_2)

    # ------------------------------------------------------------
    # notification emails (R-TZ-2)
    # ------------------------------------------------------------

    def test_notification_lists_changed_times_on_the_property_clock(self):
        """A changed deadline reads 2026-12-08 09:30 → 2026-12-09 09:30 in the
        email that lists it, not Odoo's UTC with seconds (01:30:00Z)."""
        case = self._create_case()
        field = case.fields_get(["resolve_deadline"])["resolve_deadline"]
        tracking = self.env["mail.tracking.value"]._create_tracking_values(
            datetime(2026, 12, 8, 1, 30),
            datetime(2026, 12, 9, 1, 30),
            "resolve_deadline",
            field,
            case,
        )
        message = case._message_log(
            body="deadline moved", tracking_value_ids=[Command.create(tracking)]
        )
        context = case._notify_by_email_prepare_rendering_context(message)
        ((_name, old, new),) = context["tracking_values"]
        self.assertEqual((old, new), ("2026-12-08 09:30", "2026-12-09 09:30"))
