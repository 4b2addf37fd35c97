# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import datetime

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import ViolationCommon


@tagged("post_install", "-at_install")
class TestViolationReport(ViolationCommon):
    def _report(self, month):
        report = self.env["pm.quality.report"].create(
            {"property_id": self.property_a.id, "month": month}
        )
        report._compute_figures()
        return report.with_user(self.user_quality)

    def _section(self, report):
        return {
            line.key: (line.numerator, line.count, line.rate_display)
            for line in report.line_ids.filtered(lambda ln: ln.section == "violation")
        }

    def test_monthly_counts(self):
        """Found, closed and rectified on time in the property's month; by kind."""
        with freeze_time("2026-11-02 02:00:00"):
            # 30 Nov 23:30 in Shanghai: November there, December nowhere else
            late = self._record(kind="pet", found_at=datetime(2026, 11, 30, 15, 30))
            on_time = self._record(kind="parking", found_at=datetime(2026, 11, 3, 2))
            overdue = self._record(kind="parking", found_at=datetime(2026, 11, 5, 2))
            self._record(kind="decoration", found_at=datetime(2026, 11, 28, 2))
            # 1 December 00:30 local: not November's
            self._record(kind="other", found_at=datetime(2026, 11, 30, 16, 30))
            (on_time | overdue | late).action_notify()
        with freeze_time("2026-11-04 02:00:00"):
            on_time.action_request_inspection()
            self._inspect(on_time, "passed", note="ok")
            on_time.with_user(self.user_director).action_close()
        with freeze_time("2026-11-08 02:00:00"):
            overdue.action_request_inspection()
            self._inspect(overdue, "passed", note="late")
        with freeze_time("2026-12-02 02:00:00"):
            report = self._report("2026-11-01")
        figures = self._section(report)
        self.assertEqual(figures["found"][1], 4)
        self.assertEqual(figures["closed"][1], 1)
        # due in November: the two parking ones (the pet one falls due in December)
        self.assertEqual(figures["on_time"], (1, 2, "50.00"))
        self.assertEqual(figures["kind_parking"][1], 2)
        self.assertEqual(figures["kind_pet"][1], 1)
        self.assertEqual(figures["kind_decoration"][1], 1)
        self.assertNotIn("kind_other", figures)
        names = report.line_ids.filtered(lambda ln: ln.section == "violation").mapped(
            "name"
        )
        self.assertIn("Violations found", names)
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        sheet = book["Violations"]
        rows = {
            row[0]: row[1:4] for row in sheet.iter_rows(min_row=5, values_only=True)
        }
        self.assertEqual(rows["Violations found"][0], 4)
        self.assertEqual(rows["Rectified on time, of those due"], (1, 2, 0.5))

    def test_nothing_due_reads_dash(self):
        with freeze_time("2026-10-05 02:00:00"):
            report = self._report("2026-09-01")
        figures = self._section(report)
        self.assertEqual(figures["found"][1], 0)
        self.assertEqual(figures["on_time"], (0, 0, "—"))
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        rows = {
            row[0]: row[1:4]
            for row in book["Violations"].iter_rows(min_row=5, values_only=True)
        }
        self.assertEqual(rows["Rectified on time, of those due"], (0, 0, "—"))

    def test_section_queries_do_not_grow(self):
        """The violations section is a handful of grouped queries, whatever the
        number of violations in the month."""

        report = self.env["pm.quality.report"].create(
            {"property_id": self.property_a.id, "month": "2026-11-01"}
        )
        start, stop = report._utc_bounds()

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            report._violation_section(start, stop)
            return self.env.cr.sql_log_count - before

        with freeze_time("2026-11-02 02:00:00"):
            self._record(kind="pet", found_at=datetime(2026, 11, 3, 2))
        few = queries()
        with freeze_time("2026-11-02 02:00:00"):
            for day in range(4, 14):
                self._record(kind="parking", found_at=datetime(2026, 11, day, 2))
        self.assertEqual(queries(), few)
        self.assertLessEqual(few, 5)
