# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Patrols (issue 25 item 2): the day's rounds on the property's clock, the
scan, the closing cron and its escalation, findings made cases or
rectifications, 巡逻到位率 in the pivot and the monthly analysis, who sees what."""

import io
from datetime import timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_base.tools import escalation as ladder
from odoo.addons.pm_customer_service.tests.common import pdf_images, pdf_to_text

from .common import PatrolCommon, utc

REPORT = "pm_customer_service.action_report_pm_quality_report"


@tagged("post_install", "-at_install")
class TestPatrolPlanning(PatrolCommon):
    def test_daily_cron_on_the_local_day(self):
        """At 00:30 in Shanghai (16:30 UTC the day before) the cron makes the
        rounds of the Shanghai day; run again, it makes none."""
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
            rounds = self._rounds()
            self.assertEqual(len(rounds), 2)
            self.assertEqual(set(rounds.mapped("date")), {utc(8, 12).date()})
            self.assertEqual(rounds.mapped("scheduled_start"), [utc(8, 9), utc(8, 21)])
            self.assertEqual(rounds.mapped("window_end"), [utc(8, 11), utc(8, 23)])
            self.assertEqual(
                rounds.mapped("schedule_label"), ["09:00–11:00", "21:00–23:00"]
            )
            self.assertEqual(rounds[0].visit_ids.checkpoint_id, self.points)
            self.assertEqual(rounds[0].user_ids, self.user_technician)
            self.assertEqual(self.route.planned_until, utc(8, 12).date())
            # twice: no duplicates, also when the scheduler runs it
            self.env["pm.patrol.route"]._cron_plan_rounds()
            self._run_manually("pm_patrol.ir_cron_pm_patrol_plan")
            self.assertEqual(len(self._rounds()), 2)
        # a route made in the afternoon gets the evening round only
        with freeze_time(utc(9, 14)):
            late_route = self.route.copy({"name": "Afternoon route"})
            self.env["pm.patrol.route"]._cron_plan_rounds()
            self.assertEqual(
                self._rounds(late_route).mapped("scheduled_start"), [utc(9, 21)]
            )
            # the first route gets its evening round of the 9th too
            self.assertEqual(len(self._rounds()), 3)

    def test_schedule_is_checked(self):
        with self.assertRaises(ValidationError):
            self.route.schedule = "9 in the morning"
        self.route.schedule = "21:00，08:30"
        self.assertEqual(self.route.schedule, "21:00，08:30")


@tagged("post_install", "-at_install")
class TestPatrolRounds(PatrolCommon):
    def setUp(self):
        super().setUp()
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
        self.morning, self.evening = self._rounds()

    def test_scan_records_the_visit_once(self):
        with freeze_time(utc(8, 9, 10)):
            [(visit, result)] = self._scan(self.morning, 1)
        self.assertEqual(result, "stamped")
        self.assertEqual(visit.visit_time, utc(8, 9, 10))
        self.assertEqual(
            (visit.state, visit.reached, visit.user_id),
            ("visited", True, self.user_technician),
        )
        self.assertEqual(self.morning.state, "in_progress")
        self.assertFalse(self.morning.is_late)
        with freeze_time(utc(8, 9, 30)):
            [(again, result)] = self._scan(self.morning, 1)
        self.assertEqual((again, result), (visit, "already"))
        self.assertEqual(visit.visit_time, utc(8, 9, 10))
        # before the round's time there is nothing to scan
        with freeze_time(utc(8, 20, 50)), self.assertRaises(UserError):
            self._scan(self.evening, 1)
        # the audit fields change only through the scan
        with self.assertRaises(UserError):
            visit.with_user(self.user_technician).write({"visit_time": utc(8, 10)})
        with self.assertRaises(UserError):
            self.morning.with_user(self.user_director).write({"state": "closed"})

    def test_closing_cron_counts_misses_and_escalates_once_per_level(self):
        self.property_a.director_id = self.user_director
        # 30 minutes late (15 allowed), two checkpoints of four
        with freeze_time(utc(8, 9, 30)):
            self._scan(self.morning, 2)
        self.assertTrue(self.morning.is_late)
        with freeze_time(utc(8, 10, 59)):
            self.env["pm.patrol.round"]._cron_close_rounds()
            self.assertEqual(self.morning.state, "in_progress")
        Log = self.env["pm.escalation.log"].sudo()

        def levels():
            logs = Log.search(
                [
                    ("res_model", "=", "pm.patrol.round"),
                    ("res_id", "=", self.morning.id),
                ]
            )
            return sorted((log.level, log.user_id) for log in logs)

        with freeze_time(utc(8, 11, 1)):
            self._run_manually("pm_patrol.ir_cron_pm_patrol_close")
        self.morning.invalidate_recordset()
        self.assertEqual(self.morning.state, "closed")
        self.assertEqual(
            (
                self.morning.planned_count,
                self.morning.reached_count,
                self.morning.missed_count,
            ),
            (4, 2, 2),
        )
        self.assertEqual(self.morning.attendance_rate, 50.0)
        self.assertTrue(self.morning.needs_review)
        self.assertEqual(levels(), [(ladder.LEVEL_RESPONSIBLE, self.user_technician)])
        self.assertEqual(self._escalations(self.morning).user_id, self.user_technician)
        # the evening round is not over: untouched
        self.assertEqual(self.evening.state, "planned")
        expected = [(ladder.LEVEL_RESPONSIBLE, self.user_technician)]
        for hours, level, user in (
            (24, ladder.LEVEL_TEAM_LEADER, self.user_leader),
            (48, ladder.LEVEL_DIRECTOR, self.user_director),
            (72, ladder.LEVEL_QUALITY, self.user_quality),
        ):
            with freeze_time(utc(8, 11) + timedelta(hours=hours, seconds=1)):
                self.env["pm.patrol.round"]._cron_pm_escalate()
                self.env["pm.patrol.round"]._cron_pm_escalate()
            expected.append((level, user))
            self.assertEqual(levels(), expected)
        self.assertEqual(self.morning.escalation_level, "4")
        # the director's review ends the ladder and closes the activities
        self.morning.with_user(self.user_director).action_review()
        self.assertTrue(self.morning.reviewed_on)
        self.assertFalse(self.morning.escalation_next_date)
        self.assertFalse(self._escalations(self.morning))
        with self.assertRaises(AccessError):
            self.evening.with_user(self.user_technician).action_review()

    def test_lateness_is_a_setting(self):
        self._set_setting("pm_patrol_lateness_minutes", 45)
        with freeze_time(utc(8, 9, 30)):
            self._scan(self.morning, 4)
        self.assertFalse(self.morning.is_late)
        with freeze_time(utc(8, 9, 40)):
            self.morning.with_user(self.user_technician).action_finish()
        self.assertEqual(self.morning.state, "closed")
        self.assertFalse(self.morning.needs_review)
        self.assertFalse(self.morning.escalation_next_date)

    def test_round_never_started_is_missed_and_late(self):
        with freeze_time(utc(8, 23, 30)):
            self.env["pm.patrol.round"]._cron_close_rounds()
        for rnd in (self.morning, self.evening):
            self.assertEqual(
                (rnd.state, rnd.is_late, rnd.missed_count), ("closed", True, 4)
            )
        # a closed round's findings and its staff stay as they are
        visit = self.morning.visit_ids[0].with_user(self.user_technician)
        with self.assertRaises(UserError):
            visit.write({"note": "Seen after all"})
        with self.assertRaises(UserError):
            self.evening.with_user(self.user_technician).write(
                {"user_ids": [(4, self.user_agent.id)]}
            )

    def test_finding_becomes_case_and_rectification(self):
        with freeze_time(utc(8, 9, 5)):
            [(visit, _result)] = self._scan(self.morning, 1)
            visit.with_user(self.user_technician)._pm_report(
                "abnormal", "Two lamps out", [("lamp.png", self.photo)]
            )
        self.assertEqual(visit.result, "abnormal")
        self.assertEqual(len(visit.photo_ids), 1)
        # the technician cannot, the desk can, in one step
        with self.assertRaises(AccessError):
            visit.with_user(self.user_technician).action_make_case()
        with freeze_time(utc(8, 10)):
            visit.with_user(self.user_agent).action_make_case()
            visit.with_user(self.user_agent).action_make_rectification()
        case = visit.case_id
        self.assertEqual(case.common_area_id, self.areas[0])
        self.assertEqual((case.channel, case.request_type), ("patrol", "help"))
        self.assertEqual(case.team_id, self.security)
        self.assertIn("Two lamps out", case.description)
        self.assertEqual(
            case.attachment_ids.mapped("raw"), visit.photo_ids.mapped("raw")
        )
        self.assertEqual(case.attachment_ids.res_model, "pm.case")
        rect = visit.rectification_id
        self.assertEqual(
            (rect.source_type, rect.res_model, rect.res_id),
            ("patrol", visit._name, visit.id),
        )
        self.assertEqual(rect.deadline, utc(15, 12).date())
        self.assertEqual(rect.user_id, self.user_leader)
        photos = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "pm.rectification"), ("res_id", "=", rect.id)])
        )
        self.assertEqual(photos.mapped("raw"), visit.photo_ids.mapped("raw"))
        self.assertEqual(len(photos), 1)
        # a normal checkpoint is no finding
        with freeze_time(utc(8, 9, 20)):
            [_first, (normal, _r)] = self._scan(self.morning, 2)
            normal.with_user(self.user_technician)._pm_report("normal", "", [])
        with self.assertRaises(UserError):
            normal.with_user(self.user_agent).action_make_case()

    def test_photo_must_be_an_image(self):
        with freeze_time(utc(8, 9, 5)):
            [(visit, _result)] = self._scan(self.morning, 1)
            with self.assertRaisesRegex(UserError, "not a PNG, JPEG, GIF or WebP"):
                visit.with_user(self.user_technician)._pm_report(
                    "abnormal", "Leak", [("a.png", self.photo), ("notes.txt", b"hello")]
                )
        self.assertFalse(visit.result)
        self.assertFalse(visit.photo_ids)
        self.assertFalse(
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "pm.patrol.visit")])
        )

    def test_who_sees_what(self):
        other = self._technician_a("pm_t_tech_other", "Tech Other")
        route_2 = self.route.copy(
            {"name": "Other route", "user_ids": [(6, 0, other.ids)]}
        )
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
        theirs = self._rounds(route_2)
        Round = self.env["pm.patrol.round"]
        self.assertEqual(
            Round.with_user(self.user_technician).search([]),
            self.morning | self.evening,
        )
        self.assertEqual(Round.with_user(other).search([]), theirs)
        self.assertEqual(
            Round.with_user(self.user_director).search([]),
            self.morning | self.evening | theirs,
        )
        with self.assertRaises(AccessError):
            theirs[0].with_user(self.user_technician).read(["name"])
        # the other patroller cannot stamp my round's checkpoints
        with freeze_time(utc(8, 9, 5)):
            [(visit, _r)] = self._scan(theirs[0], 1, user=other)
            self.assertEqual(visit.round_id, theirs[0])
            self.assertEqual(
                self.morning.visit_ids.filtered(lambda v: v.state == "visited"),
                self.env["pm.patrol.visit"],
            )
        # a technician of property B patrols none of A's checkpoints
        tech_b = self._pm_user("pm_t_tech_b", "technician", name="Tech B")
        self.property_b.user_ids = [(4, tech_b.id)]
        with freeze_time(utc(8, 9, 5)), self.assertRaises(AccessError):
            self._scan(self.morning, 1, user=tech_b)


@tagged("post_install", "-at_install")
class TestPatrolFigures(PatrolCommon):
    def test_rate_in_pivot_and_monthly_analysis(self):
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
        morning, evening = self._rounds()
        with freeze_time(utc(8, 9, 5)):
            self._scan(morning, 4)
        with freeze_time(utc(8, 21, 5)):
            self._scan(evening, 2)
        with freeze_time(utc(9, 1)):
            self.env["pm.patrol.round"]._cron_close_rounds()
        # the pivot: per property per month, a ratio of sums, "—" with nothing planned
        groups = (
            self.env["pm.patrol.round"]
            .with_user(self.user_director)
            ._read_group(
                [],
                ["property_id", "date:month"],
                ["reached_count:sum", "planned_count:sum", "attendance_rate:avg"],
            )
        )
        self.assertEqual(
            [
                (prop, reached, planned, rate)
                for prop, _m, reached, planned, rate in groups
            ],
            [(self.property_a, 6, 8, 75.0)],
        )
        with freeze_time(utc(28, 10)):
            report = self.env["pm.quality.report"].create(
                {"property_id": self.property_a.id, "month": "2026-12-01"}
            )
            report._compute_figures()
            empty = self.env["pm.quality.report"].create(
                {"property_id": self.property_b.id, "month": "2026-12-01"}
            )
            empty._compute_figures()
        line = report.line_ids.filtered(lambda line: line.key == "patrol_attendance")
        self.assertEqual(
            (
                line.section,
                line.name,
                line.numerator,
                line.count,
                line.rate_display,
                line.target,
                line.verdict,
            ),
            ("rate", "Patrol attendance", 6, 8, "75.00", "≥ 98.00", "missed"),
        )
        none = empty.line_ids.filtered(lambda line: line.key == "patrol_attendance")
        self.assertEqual((none.count, none.rate_display, none.verdict), (0, "—", False))
        # the PDF (wkhtmltopdf) and the xlsx, read back
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_user(self.user_director)
            .with_context(lang="en_US", force_report_rendering=True)
            ._render_qweb_pdf(REPORT, report.ids)
        )
        text = pdf_to_text(pdf)
        row = next(t for t in text.splitlines() if "Patrol attendance" in t)
        self.assertIn("75.00", row)
        self.assertIn("98.00", row)
        book = openpyxl.load_workbook(
            io.BytesIO(report.with_user(self.user_director)._build_xlsx())
        )
        found = [
            r
            for r in book["Rates"].iter_rows(min_row=4, values_only=True)
            if r[0] == "Patrol attendance"
        ]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0][1:3], (6, 8))

    def test_qr_sheet_pdf(self):
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(lang="en_US", force_report_rendering=True)
            ._render_qweb_pdf(
                "pm_patrol.action_report_pm_patrol_route_qr", self.route.ids
            )
        )
        text = pdf_to_text(pdf)
        for name in ("Gate", "Car Park", "Garden", "Roof"):
            self.assertIn(name, text)
        self.assertIn("Patrol Checkpoints", text)
        # one QR code per checkpoint of the route
        self.assertEqual(len(pdf_images(pdf)), 4)
        url = self.points[0]._pm_qr_url()
        self.assertIn(f"/pm/patrol/scan/{self.points[0].id}?qr=", url)
        scanned = self.env["pm.patrol.checkpoint"]._pm_patrol_scanned(
            self.points[0].id, url.split("qr=")[1]
        )
        self.assertEqual(scanned, self.points[0])
        self.assertFalse(
            self.env["pm.patrol.checkpoint"]._pm_patrol_scanned(
                self.points[1].id, url.split("qr=")[1]
            )
        )
