# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-TZ-1: rules stated in local time follow the property's clock (Shanghai here),
never the clock of the user running the cron (Brussels here)."""

from datetime import date, datetime

from freezegun import freeze_time

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
        wizard = self.env["pm.complaint.deadline.wizard"].create(
            {
                "complaint_id": case.id,
                "new_deadline": "2026-11-26 10:00:00",
                "reason": "Agreed with the owner",
            }
        )
        with self.mock_mail_gateway():
            wizard.action_apply()
        note = case.message_ids.filtered(lambda m: "Agreed with the owner" in m.body)
        self.assertIn("2026-11-26 18:00", note.body)
        self.assertNotIn("10:00", note.body)
        mail = self.assertMailMail(self.owner, "outgoing")
        self.assertIn("2026-11-26 18:00", mail.body_html)

    def test_auto_upgrade_after_thirty_days(self):
        # 30 days after intake, whatever the clock of the cron user
        with freeze_time("2026-10-25 16:00:00"):
            due = self._create_case(request_type="complaint", validity="valid")
        with freeze_time("2026-10-25 17:00:00"):
            later = self._create_case(request_type="complaint", validity="valid")
        with freeze_time(SHANGHAI_25TH):
            self.env["pm.complaint"]._cron_pm_auto_upgrade()
        self.assertEqual(due.severity, "major")
        self.assertNotEqual(later.severity, "major")
