# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The equipment integrity rate 完好率 of a property's month on its clock, in
the monthly analysis (figures, PDF, xlsx) and on its board, against 99 %."""

import io
import shutil
from datetime import date, datetime, time

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_customer_service.tests.common import pdf_to_text

from ..tools import equipment_rules
from .common import EquipmentCommon

LABEL = "Equipment integrity rate (equipment hours in service)"
MARCH = 31 * 86400
# 2026-04-10 10:00 in Shanghai, when the March analysis is made
NOW = datetime(2026, 4, 10, 2, 0)


@tagged("post_install", "-at_install")
class TestEquipmentIntegrity(EquipmentCommon):
    def _parts(self, prop, month, now=NOW):
        return self.env["pm.equipment.integrity"]._pm_parts(prop, month, now)

    def _stop_local(self, equipment, start, end):
        """A stop from ``start`` to ``end``, local times of Shanghai."""
        tz = self.property_a.tz
        return self._stop(
            equipment,
            clock.to_utc(start.date(), tz, start.time()),
            end and clock.to_utc(end.date(), tz, end.time()),
        )

    def test_downtime_across_shanghai_midnight(self):
        """A stop from 22:00 on 31 March to 02:00 on 1 April (Shanghai) is two
        hours of March and two of April, although all four hours are 31 March
        in UTC."""
        self._stop_local(
            self.lift_a, datetime(2026, 3, 31, 22, 0), datetime(2026, 4, 1, 2, 0)
        )
        march = self._parts(self.property_a, date(2026, 3, 1))
        self.assertEqual(march, (2 * MARCH - 2 * 3600, 2 * MARCH))
        self.assertEqual(equipment_rules.integrity_rate(*march), 99.87)
        # April so far (to the 10th, 10:00): two equipment, two hours down
        april = self._parts(self.property_a, date(2026, 4, 1))
        so_far = (9 * 24 + 10) * 3600
        self.assertEqual(april, (2 * so_far - 2 * 3600, 2 * so_far))
        # the pure rule gives the same on the same bounds
        tz = self.property_a.tz
        start = clock.to_utc(date(2026, 3, 1), tz)
        stop = clock.to_utc(date(2026, 4, 1), tz)
        down = [
            (
                clock.to_utc(date(2026, 3, 31), tz, time(22, 0)),
                clock.to_utc(date(2026, 4, 1), tz, time(2, 0)),
            )
        ]
        self.assertEqual(
            equipment_rules.integrity(
                [(start, None, down), (start, None, [])], start, stop
            ),
            march,
        )

    def test_open_stop_counts_to_now(self):
        with freeze_time(NOW):
            self._stop_local(self.pump_a, datetime(2026, 4, 9, 10, 0), None)
        april = self._parts(self.property_a, date(2026, 4, 1))
        so_far = (9 * 24 + 10) * 3600
        self.assertEqual(april, (2 * so_far - 24 * 3600, 2 * so_far))

    def test_no_equipment_no_rate(self):
        prop = self.env["pm.property"].create(
            {
                "name": "Property C",
                "code": "PC",
                "tz": "Asia/Shanghai",
                "total_floor_area": 30000,
            }
        )
        self.assertEqual(self._parts(prop, date(2026, 3, 1)), (0, 0))
        with freeze_time(NOW):
            report = self.env["pm.quality.report"].create(
                {"property_id": prop.id, "month": "2026-03-01"}
            )
            report._compute_figures()
        line = report.line_ids.filtered(lambda line: line.key == "equipment_integrity")
        self.assertFalse(line.has_rate)
        self.assertEqual(line.rate_display, "—")
        self.assertFalse(line.verdict)

    def _march_report(self):
        with freeze_time(NOW):
            report = (
                self.env["pm.quality.report"]
                .with_user(self.user_director)
                .create({"property_id": self.property_a.id, "month": "2026-03-01"})
            )
            report.action_generate()
        return report

    def _line(self, report):
        return report.line_ids.filtered(lambda line: line.key == "equipment_integrity")

    def test_analysis_meets_target(self):
        self._stop_local(
            self.lift_a, datetime(2026, 3, 31, 22, 0), datetime(2026, 4, 1, 2, 0)
        )
        report = self._march_report()
        line = self._line(report)
        self.assertEqual(line.section, "rate")
        self.assertEqual(line.name, LABEL)
        self.assertEqual((line.numerator, line.count), (1486, 1488))
        self.assertEqual(line.rate, 99.87)
        self.assertEqual(line.target, "≥ 99.00")
        self.assertEqual(line.verdict, "met")
        # in the rates, after the service rates
        rates = report.line_ids.filtered(lambda line: line.section == "rate")
        self.assertEqual(rates[-1], line)
        # the real PDF (wkhtmltopdf) shows it with its target
        if shutil.which("pdftotext"):
            text = pdf_to_text(report.pdf_attachment_id.raw)
            row = next(r for r in text.splitlines() if "Equipment integrity" in r)
            self.assertIn("99.87", row)
            self.assertIn("99.00", row)
            self.assertIn("Met", row)
        # the xlsx too
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        rows = {r[1]: r[2:] for r in book.active.iter_rows(min_row=7, values_only=True)}
        self.assertEqual(rows[LABEL], (1486, 1488, 0.9987, "≥ 99.00", "Met"))
        rates_sheet = {
            r[0]: r[1:] for r in book["Rates"].iter_rows(min_row=5, values_only=True)
        }
        self.assertEqual(rates_sheet[LABEL], (1486, 1488, 0.9987, "≥ 99.00", "Met"))

    def test_analysis_misses_target(self):
        """The lift down 20 hours of March (a stop within another counts once)
        and a pump 4 hours: 24 of 1,488 equipment hours, 98.39 %, below 99 %."""
        self._stop_local(
            self.lift_a, datetime(2026, 3, 12, 19, 0), datetime(2026, 3, 13, 15, 0)
        )
        self._stop_local(
            self.lift_a, datetime(2026, 3, 13, 14, 0), datetime(2026, 3, 13, 15, 0)
        )
        self._stop_local(
            self.pump_a, datetime(2026, 3, 20, 8, 0), datetime(2026, 3, 20, 12, 0)
        )
        line = self._line(self._march_report())
        self.assertEqual(line.rate, 98.39)
        self.assertEqual(line.verdict, "missed")
        if shutil.which("pdftotext"):
            text = pdf_to_text(line.report_id.pdf_attachment_id.raw)
            row = next(r for r in text.splitlines() if "Equipment integrity" in r)
            self.assertIn("98.39", row)
            self.assertIn("Missed", row)

    def test_board_against_target(self):
        """The integrity board: each property's months, read by the front desk
        for their property only, judged against the active target."""
        self._stop_local(
            self.lift_a, datetime(2026, 3, 12, 19, 0), datetime(2026, 3, 13, 15, 0)
        )
        self._stop_local(
            self.pump_b, datetime(2026, 3, 12, 19, 0), datetime(2026, 3, 12, 20, 0)
        )
        self.env.flush_all()
        Board = self.env["pm.equipment.integrity"].with_user(self.user_agent)
        rows = Board.search([("month", "=", "2026-03-01")])
        self.assertEqual(rows.property_id, self.property_a)
        self.assertEqual(rows.equipment_count, 2)
        self.assertAlmostEqual(rows.down_hours, 20.0)
        self.assertEqual(rows.rate, 98.66)
        self.assertEqual(rows.rate_display, "98.66 %")
        self.assertEqual(rows.target, "≥ 99.00")
        self.assertEqual(rows.below, 1)
        february = Board.search([("month", "=", "2026-02-01")])
        self.assertEqual((february.rate, february.below), (100.0, 0))
        # a manager lowering the target changes the verdict at once
        self.env.ref("pm_equipment.pm_kpi_target_equipment_integrity").target = 98
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(Board.search([("month", "=", "2026-03-01")]).below, 0)

    def test_one_query_whatever_the_equipment(self):
        """The month's figure is one query, for two pieces of equipment as for
        twenty-two with a stop each (no per-record loop)."""

        def queries():
            self.env.flush_all()
            before = self.cr.sql_log_count
            self._parts(self.property_a, date(2026, 3, 1))
            return self.cr.sql_log_count - before

        few = queries()
        equipment = self.env["maintenance.equipment"].create(
            [
                {
                    "name": f"Pump {n}",
                    "property_id": self.property_a.id,
                    "effective_date": date(2025, 1, 1),
                }
                for n in range(20)
            ]
        )
        for item in equipment:
            self._stop(item, "2026-03-05 00:00:00", "2026-03-05 01:00:00")
        self.assertEqual(queries(), few)
        in_service, in_use = self._parts(self.property_a, date(2026, 3, 1))
        self.assertEqual(in_use, 22 * MARCH)
        self.assertEqual(in_service, 22 * MARCH - 20 * 3600)
