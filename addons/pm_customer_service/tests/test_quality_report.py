# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import socket
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..models import quality_rules
from .common import PmCaseCommon, pdf_to_text


class TestQualityRules(BaseCase):
    def test_months_and_schedule(self):
        self.assertEqual(
            quality_rules.month_bounds(date(2026, 12, 25)),
            (date(2026, 12, 1), date(2027, 1, 1)),
        )
        self.assertFalse(
            quality_rules.is_future_month(date(2026, 3, 31), date(2026, 3, 1))
        )
        self.assertTrue(
            quality_rules.is_future_month(date(2026, 4, 1), date(2026, 3, 31))
        )
        self.assertFalse(quality_rules.report_due(date(2026, 3, 24)))
        self.assertTrue(quality_rules.report_due(date(2026, 3, 25)))
        self.assertTrue(quality_rules.report_due(date(2026, 3, 31)))

    def test_recurring(self):
        counts = {("u1", "complaint"): 2, ("u2", "complaint"): 1, ("u3", "repair"): 3}
        self.assertEqual(
            quality_rules.recurring(counts), [("u3", "repair"), ("u1", "complaint")]
        )
        self.assertEqual(quality_rules.recurring({}), [])


class QualityCommon(PmCaseCommon):
    """March 2026 in Shanghai: four cases of property A (two complaints of the
    same unit), one in February, an overdue rectification."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freeze_time("2026-03-26 02:00:00"))
        cls.user_director.pm_property_ids = [(4, cls.property_a.id)]
        with freeze_time("2026-03-01 02:00:00"):
            cls.rect = cls.env["pm.rectification"].create(
                {
                    "property_id": cls.property_a.id,
                    "problem": "Corridor lights broken",
                    "deadline": "2026-03-05",
                }
            )
        cls.c1 = cls._case(datetime(2026, 3, 3, 2), request_type="complaint")
        cls.c2 = cls._case(datetime(2026, 3, 9, 2), request_type="complaint")
        cls.c3 = cls._case(
            datetime(2026, 3, 10, 2),
            request_type="repair",
            severity="major",
            channel="portal",
        )
        # 2026-03-01 01:00 in Shanghai: March
        cls.c6 = cls._case(
            datetime(2026, 2, 28, 17), request_type="help", unit_id=False
        )
        # 2026-02-28 23:00 in Shanghai: February
        cls.c4 = cls._case(datetime(2026, 2, 28, 15), request_type="complaint")
        cls._set(cls.c1, "2026-03-04", True, True, True, "5")
        cls._set(cls.c2, "2026-03-20", False, False, False, "1")
        cls.env.invalidate_all()
        cls.Report = cls.env["pm.quality.report"]

    @classmethod
    def _case(cls, intake, **values):
        vals = {
            "subject": "Noise",
            "description": "Noise at night from the pump room.",
            "property_id": cls.property_a.id,
            "unit_id": cls.unit_a.id,
            "partner_id": cls.owner.id,
            "team_id": cls.team.id,
            "channel": "phone",
            "severity": "general",
            "intake_date": intake,
        }
        vals.update(values)
        return cls.env["pm.case"].create(vals)

    @classmethod
    def _set(cls, case, resolved, on_time, closed, visited, satisfaction):
        # the workflow is tested elsewhere: set the stored KPI columns directly
        cls.env.flush_all()
        cls.env.cr.execute(
            """UPDATE pm_case SET resolved_date = %s, is_resolved_on_time = %s,
               is_closed = %s, return_visit_done = %s, satisfaction = %s,
               is_satisfied = %s WHERE id = %s""",
            (
                resolved,
                on_time,
                closed,
                visited,
                satisfaction,
                satisfaction >= "3",
                case.id,
            ),
        )

    def _report(self, prop=None, month="2026-03-01"):
        return self.Report.create(
            {"property_id": (prop or self.property_a).id, "month": month}
        )

    def _figures(self, report):
        return {(line.section, line.key): line for line in report.line_ids}


class TestQualityReport(QualityCommon):
    def test_figures(self):
        """R-QA-1: counts and rates match the cases of the month."""
        report = self._report(month="2026-03-17")
        self.assertEqual(report.month, date(2026, 3, 1))
        report._compute_figures()
        self.assertEqual(report.state, "done")
        self.assertEqual(report.case_count, 4)
        fig = self._figures(report)
        self.assertEqual(fig["type", "complaint"].count, 2)
        self.assertEqual(fig["type", "repair"].count, 1)
        self.assertEqual(fig["type", "help"].count, 1)
        self.assertEqual(fig["severity", "major"].count, 1)
        self.assertEqual(fig["severity", "general"].count, 3)
        self.assertEqual(fig["channel", "portal"].count, 1)
        self.assertEqual(fig["team", str(self.team.id)].count, 4)
        expected = {
            "timeliness": (1, 2, 50.0),
            "closure": (1, 4, 25.0),
            "return_visit": (1, 2, 50.0),
            "satisfaction": (1, 2, 50.0),
        }
        for key, (num, den, value) in expected.items():
            line = fig["rate", key]
            self.assertEqual((line.numerator, line.count, line.rate), (num, den, value))
            self.assertTrue(line.has_rate)
        recurring = report.line_ids.filtered(lambda ln: ln.section == "recurring")
        self.assertEqual(len(recurring), 1)
        self.assertEqual((recurring.unit_id, recurring.count), (self.unit_a, 2))
        self.assertEqual(report.recurring_count, 1)
        self.assertEqual(fig["rectification", "open"].count, 1)
        self.assertEqual(fig["rectification", "overdue"].count, 1)
        self.assertEqual(fig["director", "shortfall"].count, 2)
        self.assertIn(self.unit_a.display_name, recurring.name)

    def test_zero_cases(self):
        report = self._report(self.property_b)
        report._compute_figures()
        fig = self._figures(report)
        self.assertEqual(report.case_count, 0)
        self.assertFalse(fig["rate", "satisfaction"].has_rate)
        self.assertFalse(report.line_ids.filtered(lambda ln: ln.section == "recurring"))

    def test_nothing_to_measure_reads_dash(self):
        """R-RATE-1: the form shows "—" for a rate without a denominator."""
        report = self._report(self.property_b)
        report._compute_figures()
        self.assertEqual(report.timeliness_display, "—")
        self.assertEqual(report.satisfaction_display, "—")
        self.assertEqual(report.month_label, "2026-03")
        fig = self._figures(report)
        self.assertEqual(fig["rate", "closure"].rate_display, "—")
        self.assertEqual(fig["director", "shortfall"].rate_display, "")
        measured = self._report()
        measured._compute_figures()
        self.assertEqual(measured.timeliness_display, "50.00")

    def test_reports_group_as_ratios_of_sums(self):
        """R-RATE-1: grouped, the analyses' headline rates are the ratios of
        their sums (pm_base's rate mixin), never the average of their rates, and
        None ("—") with nothing measured."""
        measured, empty = self._report(), self._report(self.property_b)
        (measured | empty)._compute_figures()
        self.assertEqual((measured.timeliness_num, measured.timeliness_den), (1, 2))
        self.assertEqual((empty.timeliness_num, empty.timeliness_den), (0, 0))
        self.assertIsInstance(self.Report, self.env.registry["pm.rate.mixin"])
        # the satisfaction as a pivot reads it, with its field's aggregator
        satisfaction = (
            f"satisfaction_rate:{self.Report._fields['satisfaction_rate'].aggregator}"
        )
        [group] = self.Report.formatted_read_group(
            [("id", "in", (measured | empty).ids)],
            [],
            ["timeliness_rate:avg", satisfaction],
        )
        # 1 on time of 2 resolved, not the mean of 50 % and an empty month's 0
        self.assertEqual(
            (group["timeliness_rate:avg"], group[satisfaction]), (50.0, 50.0)
        )
        [(rate,)] = self.Report._read_group(
            [("id", "=", empty.id)], [], ["timeliness_rate:avg"]
        )
        self.assertIsNone(rate)

    def test_recurring_bounded(self):
        """R-QA-1: the recurring complaints are the top pairs of unit and type,
        then one line with what the others add up to."""
        unit = self.env["pm.unit"].create(
            {"building_id": self.building_a.id, "number": "909", "area": 70}
        )
        for day in (11, 12, 13):
            self._case(datetime(2026, 3, day, 2), request_type="help", unit_id=unit.id)
        self._case(datetime(2026, 3, 14, 2), request_type="repair")
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.quality_report_recurring_limit", "1"
        )
        report = self._report()
        report._compute_figures()
        lines = report.line_ids.filtered(lambda ln: ln.section == "recurring")
        self.assertEqual(
            [(ln.unit_id, ln.request_type, ln.count) for ln in lines],
            [(unit, "help", 3), (self.unit_a.browse(), False, 4)],
        )
        others = lines[1]
        self.assertEqual((others.key, others.numerator), ("others", 2))
        self.assertIn("2", others.name)
        self.assertEqual(report.recurring_count, 3)
        # only the unit's line becomes a rectification
        report.action_create_rectifications()
        self.assertTrue(lines[0].rectification_id)
        self.assertFalse(others.rectification_id)

    def test_future_month_refused(self):
        with self.assertRaisesText(ValidationError, "2026-04"):
            self._report(month="2026-04-01")
        self._report(month="2026-03-01")  # the current month is fine

    def test_one_report_per_property_and_month(self):
        self._report()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            self._report(month="2026-03-31")

    def test_rectifications_from_recurring(self):
        report = self._report()
        report._compute_figures()
        report.action_create_rectifications()
        line = report.line_ids.filtered(lambda ln: ln.section == "recurring")
        rect = line.rectification_id
        self.assertEqual(rect.source_type, "quality")
        self.assertEqual((rect.res_model, rect.res_id), (report._name, report.id))
        self.assertEqual(rect.unit_id, self.unit_a)
        self.assertEqual(rect.deadline, date(2026, 4, 2))
        with self.assertRaisesText(Exception, "recurring"):
            report.action_create_rectifications()

    def test_xlsx(self):
        report = self._report()
        report._compute_figures()
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        sheet = book.active
        self.assertEqual(sheet["A1"].value, "Service Quality Analysis")
        rows = {
            row[1]: row[2:5] for row in sheet.iter_rows(min_row=7, values_only=True)
        }
        self.assertEqual(rows["Timeliness rate"], (1, 2, 0.5))
        self.assertEqual(rows["Closure rate"], (1, 4, 0.25))
        self.assertEqual(rows["Complaint"][0], 2)
        self.assertEqual(rows["Open rectifications"][0], 1)
        # a director's table: frozen header, filter, typed cells
        self.assertEqual(sheet.freeze_panes, "A7")
        # section, item, count, of, rate, then the target and the verdict
        self.assertEqual(sheet.auto_filter.ref, f"A6:G{sheet.max_row}")
        self.assertEqual(sheet["B3"].value, datetime(2026, 3, 1))
        self.assertEqual(sheet["B3"].number_format, "yyyy-mm")
        timeliness = next(
            r for r in sheet.iter_rows(min_row=7) if r[1].value == "Timeliness rate"
        )
        self.assertEqual(timeliness[4].number_format, "0.00%")
        # generated on: a date cell, on the property's clock (10:00 in Shanghai)
        self.assertEqual(sheet["B4"].value, datetime(2026, 3, 26, 10, 0))
        # the sections of the PDF, one sheet each, each a filtered table
        self.assertEqual(
            book.sheetnames[:4],
            ["2026-03", "Rates", "Cases by Type", "Cases by Severity"],
        )
        self.assertIn("Recurring Complaints", book.sheetnames)
        rates = book["Rates"]
        self.assertEqual(rates.freeze_panes, "A5")
        self.assertEqual(rates.auto_filter.ref, f"A4:F{rates.max_row}")
        self.assertEqual(rates["B2"].value, datetime(2026, 3, 1))
        rows = {row[0]: row[1:] for row in rates.iter_rows(min_row=5, values_only=True)}
        self.assertEqual(rows["Satisfaction rate"], (1, 2, 0.5, "> 98.00", "Missed"))
        director = {
            row[0]: row[1:]
            for row in book["Director Visits"].iter_rows(min_row=5, values_only=True)
        }
        self.assertEqual(director["Director visits short of quota"][:2], (2, None))
        self.assertGreater(
            sheet.column_dimensions["B"].width, len("Open rectifications")
        )

    def test_xlsx_nothing_to_measure(self):
        """R-RATE-1: a rate without a denominator reads "—", never 0 %."""
        report = self.Report.create(
            {"property_id": self.property_b.id, "month": "2026-03-01"}
        )
        report._compute_figures()
        sheet = openpyxl.load_workbook(io.BytesIO(report._build_xlsx())).active
        rates = {
            row[1]: row[4]
            for row in sheet.iter_rows(min_row=7, values_only=True)
            if row[0] == "Rates"
        }
        self.assertTrue(rates)
        self.assertEqual(set(rates.values()), {"—"}, rates)

    def test_pdf_real_in_chinese(self):
        """A real PDF (wkhtmltopdf), stored on the record, with the Chinese title."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env.ref("base.module_pm_customer_service")._update_translations(
                ["zh_CN"]
            )
        self.user_director.lang = "zh_CN"
        report = self.Report.with_user(self.user_director).create(
            {"property_id": self.property_a.id, "month": "2026-03-01"}
        )
        report.action_generate()
        attachment = report.pdf_attachment_id
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (report._name, report.id)
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        text = pdf_to_text(attachment.raw)
        self.assertIn("服务质量分析表", text)
        self.assertIn("50.00", text)
        self.assertIn("25.00", text)
        self.assertIn("服务中心主任", text)
        url = report.action_download_pdf()["url"]
        self.assertIn(str(attachment.id), url)

    def test_pdf_fails_loudly_without_its_server(self):
        """wkhtmltopdf takes the styles and letterhead from the report URL: when
        nothing answers there, the director gets a clear error (and the log says
        why) instead of a PDF that silently lost its header."""
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        params = self.env["ir.config_parameter"]
        working = params.get_param("report.url")
        params.set_param("report.url", f"http://127.0.0.1:{port}")
        report = self.Report.with_user(self.user_director).create(
            {"property_id": self.property_a.id, "month": "2026-03-01"}
        )
        with (
            self.assertLogs(
                "odoo.addons.pm_customer_service.models.ir_actions_report", "ERROR"
            ) as logs,
            self.assertRaises(UserError) as caught,
        ):
            report.action_generate()
        self.assertIn(f"127.0.0.1:{port}", str(caught.exception))
        self.assertIn("report.url", logs.output[0])
        self.assertFalse(report.pdf_attachment_id)
        self.assertEqual(report.state, "draft")
        # with the server answering again, the same PDF carries its letterhead
        params.set_param("report.url", working)
        report.action_generate()
        text = pdf_to_text(report.pdf_attachment_id.raw)
        self.assertIn(self.env.company.name, text)

    def test_kpi_board(self):
        """R-KPI-1: rates per property, team and month; live targets."""
        self.env.flush_all()
        board = self.env["pm.kpi.board"].search(
            [("property_id", "=", self.property_a.id), ("month", "=", "2026-03-01")]
        )
        self.assertEqual(len(board), 1)
        self.assertEqual(board.team_id, self.team)
        self.assertEqual(board.case_count, 4)
        self.assertEqual(board.timeliness_rate, 50.0)
        self.assertEqual(board.first_pass_rate, 100.0)
        self.assertEqual(board.satisfaction_rate, 50.0)
        self.assertTrue(board.satisfaction_short and board.timeliness_short)
        self.assertFalse(board.first_pass_short)
        self.assertTrue(board.shortfall)
        self.env["pm.kpi.target"].search([]).write({"comparison": ">=", "target": 50})
        self.env.flush_all()
        board.invalidate_recordset()
        self.assertFalse(board.shortfall)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_access(self):
        """Agents read the reports of their properties only; directors generate."""
        report_a = self._report()
        report_b = self._report(self.property_b)
        Report = self.Report.with_user(self.user_agent)
        self.assertEqual(Report.search([]), report_a)
        report_a.with_user(self.user_agent).read(["name", "case_count"])
        with self.assertRaises(AccessError):
            report_b.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            Report.create({"property_id": self.property_a.id, "month": "2026-02-01"})
        with self.assertRaises(AccessError):
            report_a.with_user(self.user_agent)._compute_figures()
        with self.assertRaises(AccessError):
            self.Report.with_user(self.user_technician).search([])
        director = self.Report.with_user(self.user_director)
        report = director.create(
            {"property_id": self.property_a.id, "month": "2026-02-01"}
        )
        report._compute_figures()
        self.assertEqual(report.case_count, 1)  # c4, February in Shanghai
        quality = self.Report.with_user(self.user_quality)
        ours = [("property_id", "in", (self.property_a | self.property_b).ids)]
        self.assertEqual(quality.search_count(ours), 3)


class TestQualityCron(QualityCommon):
    def _month_reports(self):
        return self.Report.search([("month", "=", "2026-03-01")])

    def test_cron_before_25th(self):
        with freeze_time("2026-03-24 02:00:00"):
            self.Report._cron_monthly_reports()
        self.assertFalse(self._month_reports())

    def _cron_runs(self, limit=20):
        """Run the monthly job as the cron worker does: again at once while it says
        work is left. Returns the progress records, one per run."""
        return self._cron_worker_runs(
            "pm_customer_service.ir_cron_pm_quality_report_monthly",
            lambda env: env["pm.quality.report"]._cron_monthly_reports(),
            limit=limit,
        )

    def test_cron_one_property_per_run(self):
        """Heavy monthly work in short transactions: one property per run, the
        cron told what is left until nothing is."""
        count = self.env["pm.property"].search_count([])
        self.assertGreaterEqual(count, 2)
        with freeze_time("2026-03-25 02:00:00"), self.mock_mail_gateway():
            runs = self._cron_runs()
        self.assertEqual(runs.mapped("done"), [1] * count)
        self.assertEqual(runs.mapped("remaining"), list(range(count - 1, -1, -1)))
        self.assertEqual(set(self._month_reports().mapped("state")), {"sent"})
        # the batch is a setting
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.quality_report_batch_size", "50"
        )
        with freeze_time("2026-04-25 02:00:00"), self.mock_mail_gateway():
            runs = self._cron_runs()
        self.assertEqual(len(runs), 1)
        self.assertEqual(runs.done, count)
        april = self.Report.search([("month", "=", "2026-04-01")])
        self.assertEqual(set(april.mapped("state")), {"sent"})

    def test_run_manually_makes_every_report(self):
        """ "Run Manually" on the scheduled action makes every due property's
        report, batch after batch (one property each by default), not one per
        click; a scheduled run still takes one batch."""
        count = self.env["pm.property"].search_count([])
        self.assertGreaterEqual(count, 2)
        with freeze_time("2026-03-25 02:00:00"), self.mock_mail_gateway():
            self._run_manually(
                "pm_customer_service.ir_cron_pm_quality_report_monthly",
                self.env.ref("base.user_admin"),
            )
        reports = self._month_reports()
        self.assertEqual(len(reports), count)
        self.assertEqual(set(reports.mapped("state")), {"sent"})
        # the scheduler's run keeps its limit (scripts/bench_monthly.py)
        with freeze_time("2026-04-25 02:00:00"), self.mock_mail_gateway():
            runs = self._cron_runs(limit=1)
        self.assertEqual(runs.done, 1)
        self.assertEqual(runs.remaining, count - 1)

    def test_cron_outside_a_worker_triggers_the_rest(self):
        cron = self.env.ref("pm_customer_service.ir_cron_pm_quality_report_monthly")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        with freeze_time("2026-03-25 02:00:00"), self.mock_mail_gateway():
            self.Report._cron_monthly_reports()
        sent = self._month_reports().filtered_domain([("state", "=", "sent")])
        self.assertEqual(len(sent), 1)
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before + 1)

    def test_cron_failed_report_does_not_loop(self):
        """A report that cannot be generated is set aside for an hour: the others
        go out and the cron stops asking to run again."""
        Report = type(self.Report)
        generate = Report.action_generate
        property_a = self.property_a

        def failing_generate(records):
            if records.property_id == property_a:
                raise ValueError("disk full")
            return generate(records)

        count = self.env["pm.property"].search_count([])
        with (
            patch.object(Report, "action_generate", failing_generate),
            self.assertLogs("odoo.addons.pm_customer_service", "ERROR"),
            freeze_time("2026-03-25 02:00:00"),
            self.mock_mail_gateway(),
        ):
            runs = self._cron_runs()
        self.assertEqual(runs[-1].remaining, 0)
        self.assertLessEqual(len(runs), count)
        reports = self._month_reports()
        failed = reports.filtered(lambda r: r.property_id == property_a)
        self.assertEqual(failed.state, "draft")
        self.assertEqual(set((reports - failed).mapped("state")), {"sent"})
        # an hour later it is tried again and goes out
        with freeze_time("2026-03-25 03:01:00"), self.mock_mail_gateway():
            runs = self._cron_runs()
        self.assertEqual(runs[0].done, 1)
        self.assertEqual(failed.state, "sent")

    def test_cron_twice_one_report_one_email(self):
        """R-QA-2: a rerun creates no second report and sends no second email."""
        properties = self.env["pm.property"].search([])
        with freeze_time("2026-03-25 02:00:00"), self.mock_mail_gateway():
            self._cron_runs()
            self._cron_runs()
            reports = self._month_reports()
            self.assertEqual(reports.property_id, properties)
            self.assertEqual(len(reports), len(properties))
            self.assertEqual(set(reports.mapped("state")), {"sent"})
            report = reports.filtered(lambda r: r.property_id == self.property_a)
            mails = self._new_mails.filtered(
                lambda m: m.model == report._name and m.res_id == report.id
            )
            # one email per language of the recipients (the demo's quality
            # department reads Chinese), each recipient in exactly one of them
            langs = {p.lang for p in mails.recipient_ids}
            self.assertEqual(len(mails), len(langs))
            self.assertEqual(
                sum(len(mail.recipient_ids) for mail in mails),
                len(mails.recipient_ids),
            )
            self.assertLessEqual(
                (self.user_director | self.user_quality).partner_id,
                mails.recipient_ids,
            )
            self.assertNotIn(self.user_manager.partner_id, mails.recipient_ids)
            for mail in mails:
                self.assertEqual(mail.attachment_ids, report.pdf_attachment_id)
            self.assertTrue(report.pdf_attachment_id.raw.startswith(b"%PDF"))
            english = mails.filtered(
                lambda m: self.user_director.partner_id in m.recipient_ids
            )
            self.assertIn("is ready", english.subject)

    def _report_mails(self, reports):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", reports._name), ("res_id", "in", reports.ids)])
        )

    def test_sent_means_an_email_is_queued(self):
        """R-QA-2: "sent" is an email with recipients in the queue for the
        report; a report nobody can receive stays generated and says why."""
        report = self._report()
        report.action_generate()
        recipients = report._ready_recipients()
        self.assertTrue(recipients)
        emails = {partner: partner.email for partner in recipients}
        recipients.write({"email": False})
        with self.mock_mail_gateway():
            # the monthly run leaves it generated, with the reason shown on it
            # and said once in its chatter, however often it tries
            with freeze_time("2026-03-25 02:00:00"):
                self._cron_runs()
            with freeze_time("2026-03-26 02:00:00"):
                self._cron_runs()
        self.assertEqual(report.state, "done")
        self.assertFalse(report.sent_on)
        self.assertFalse(self._report_mails(report))
        self.assertIn("email address", report.unsent_reason)
        notes = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", report._name),
                    ("res_id", "=", report.id),
                    ("body", "ilike", "email address"),
                ]
            )
        )
        self.assertEqual(len(notes), 1)
        # a recipient again: the next run sends it
        self.user_director.partner_id.email = emails[self.user_director.partner_id]
        with freeze_time("2026-03-27 02:00:00"), self.mock_mail_gateway():
            self._cron_runs()
        self.assertEqual(report.state, "sent")
        self.assertFalse(report.unsent_reason)
        # every sent report has its queued email, with recipients
        for sent in self._month_reports().filtered_domain([("state", "=", "sent")]):
            mails = self._report_mails(sent)
            self.assertTrue(mails, sent.name)
            self.assertTrue(all(mail.recipient_ids for mail in mails), sent.name)
        self.assertEqual(
            self._report_mails(report).recipient_ids, self.user_director.partner_id
        )

    def test_send_refused_without_recipient(self):
        """The quality department sends an analysis nobody can receive: it is
        told why, and the analysis stays generated."""
        report = self._report()
        report.action_generate()
        report._ready_recipients().write({"email": False})
        with (
            self.mock_mail_gateway(),
            self.assertRaisesRegex(UserError, "neither the director"),
        ):
            report.with_user(self.user_quality).action_send()
        self.assertEqual(report.state, "done")
        self.assertFalse(self._report_mails(report))

    def test_email_not_queued_stays_generated(self):
        """An email that cannot be queued (a broken template) leaves the report
        generated, the reason on it; the others go out."""
        Report = type(self.Report)
        queue = type(self.env["mail.thread"])._pm_queue_template
        property_a = self.property_a

        def failing_queue(records, *args, **kwargs):
            if records._name == Report._name and records.property_id == property_a:
                raise ValueError("template broken")
            return queue(records, *args, **kwargs)

        with (
            patch.object(Report, "_pm_queue_template", failing_queue),
            self.assertLogs("odoo.addons.pm_customer_service", "ERROR"),
            freeze_time("2026-03-25 02:00:00"),
            self.mock_mail_gateway(),
        ):
            self._cron_runs()
        reports = self._month_reports()
        failed = reports.filtered(lambda r: r.property_id == property_a)
        self.assertEqual(failed.state, "done")
        self.assertIn("could not be queued", failed.unsent_reason)
        self.assertFalse(self._report_mails(failed))
        self.assertEqual(set((reports - failed).mapped("state")), {"sent"})


@tagged("post_install", "-at_install")
class TestRectificationEscalation(QualityCommon):
    def test_overdue_rectification_escalates_once(self):
        """R-RECT-1: overdue measures escalate like cases, each level once."""
        self.property_a.tz = "Asia/Shanghai"
        with freeze_time("2026-03-26 02:00:00"):
            rect = self.env["pm.rectification"].create(
                {
                    "property_id": self.property_a.id,
                    "problem": "Lift door sticks",
                    "measure": "Adjust the door",
                    "deadline": "2026-03-26",
                    "team_id": self.team.id,
                    "user_id": self.user_technician.id,
                }
            )
        kind, deadline = rect._pm_escalation_watch()
        # the end of 26 March in Shanghai
        self.assertEqual(deadline, datetime(2026, 3, 26, 15, 59, 59))
        Log = self.env["pm.escalation.log"].sudo()
        domain = [("res_model", "=", rect._name), ("res_id", "=", rect.id)]
        with freeze_time("2026-03-27 00:00:00"), self.mock_mail_gateway():
            self.env["pm.rectification"]._cron_pm_escalate()
            sent = len(self._new_mails)
            self.assertTrue(
                self._new_mails.filtered(
                    lambda m: self.user_technician.partner_id in m.recipient_ids
                )
            )
            self.env["pm.rectification"]._cron_pm_escalate()
            self.assertEqual(len(self._new_mails), sent)  # the rerun sends nothing
            logs = Log.search(domain)
            self.assertEqual(logs.mapped("level"), [1])
            self.assertEqual(rect.escalation_level, "1")
            self.assertEqual(rect.activity_ids.user_id, self.user_technician)
        with freeze_time("2026-03-27 16:30:00"):
            self.env["pm.rectification"]._cron_pm_escalate()
        self.assertEqual(sorted(Log.search(domain).mapped("level")), [1, 2])
        self.assertEqual(rect.escalation_level, "2")
