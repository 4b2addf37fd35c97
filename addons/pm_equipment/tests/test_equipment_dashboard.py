# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The director's dashboard of equipment and patrols: the month's 完好率 and
巡逻到位率 it shows, read as the spreadsheet reads them, equal the monthly
analysis' figures, with their targets."""

import json
from datetime import date, time

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_patrol.tests.common import PatrolCommon, utc

DASHBOARD = "pm_equipment.spreadsheet_dashboard_pm_equipment_patrol"


@tagged("post_install", "-at_install")
class TestEquipmentDashboard(PatrolCommon):
    def _shown(self, pivot_id, domain):
        """``(rate, num, den)`` of pivot ``pivot_id`` filtered on ``domain`` (the
        month filter), computed as the sheet's cells compute them."""
        dashboard = self.env.ref(DASHBOARD)
        data = json.loads(dashboard.spreadsheet_data)
        pivot = data["pivots"][pivot_id]
        Model = self.env[pivot["model"]].with_user(self.user_director)
        num, den = (m["fieldName"] for m in pivot["measures"])
        specs = [f"{name}:{Model._fields[name].aggregator}" for name in (num, den)]
        [total] = Model.formatted_read_grouping_sets(
            pivot["domain"] + domain, [[]], specs
        )[0]
        num_value, den_value = (total[spec] or 0 for spec in specs)
        rate = round(100 * num_value / den_value, 2) if den_value else "—"
        return rate, num_value, den_value, data

    def _report(self, month):
        report = self.env["pm.quality.report"].create(
            {"property_id": self.property_a.id, "month": month}
        )
        report._compute_figures()
        return report

    def test_integrity_shown_equals_analysis(self):
        pump = self.env["maintenance.equipment"].create(
            {
                "name": "Garden pump",
                "property_id": self.property_a.id,
                "effective_date": date(2026, 1, 1),
            }
        )
        tz = self.property_a.tz
        self.env["maintenance.request"].create(
            {
                "name": "Pump stopped",
                "equipment_id": pump.id,
                "maintenance_type": "corrective",
                "pm_stops_equipment": True,
                "pm_down_start": clock.to_utc(date(2026, 11, 5), tz, time(8, 0)),
                "pm_down_end": clock.to_utc(date(2026, 11, 6), tz, time(20, 0)),
            }
        )
        with freeze_time("2026-12-01 04:00:00"):
            report = self._report("2026-11-01")
        line = report.line_ids.filtered(lambda x: x.key == "equipment_integrity")
        rate, in_service, in_use, data = self._shown(
            "1", [("month", ">=", "2026-11-01"), ("month", "<", "2026-12-01")]
        )
        # 36 hours down of 30 days
        self.assertEqual(rate, round(100 * (720 - 36) / 720, 2))
        self.assertEqual(line.rate_display, f"{rate:.2f}")
        self.assertEqual((round(in_service), round(in_use)), (684, 720))
        self.assertEqual((line.numerator, line.count), (684, 720))
        # the target shown is the analysis' target
        [target] = (
            self.env["pm.kpi.target"]
            .with_user(self.user_director)
            .search_read(data["lists"]["1"]["domain"], ["name", "target"])
        )
        self.assertEqual(line.target, f"≥ {target['target']:.2f}")
        self.assertEqual(line.verdict, "missed")
        cells = data["sheets"][0]["cells"]
        self.assertIn('PIVOT.VALUE(1,"in_service_hours")', cells["B4"]["content"])
        self.assertIn('ODOO.LIST(1,1,"target")', cells["F4"]["content"])

    def test_attendance_shown_equals_analysis(self):
        with freeze_time(utc(8, 0, 30)):
            self.env["pm.patrol.route"]._cron_plan_rounds()
        morning, evening = self._rounds()
        with freeze_time(utc(8, 9, 5)):
            self._scan(morning, 4)
        with freeze_time(utc(8, 21, 5)):
            self._scan(evening, 3)
        with freeze_time(utc(9, 1)):
            self.env["pm.patrol.round"]._cron_close_rounds()
        with freeze_time(utc(28, 10)):
            report = self._report("2026-12-01")
        line = report.line_ids.filtered(lambda x: x.key == "patrol_attendance")
        rate, reached, planned, data = self._shown(
            "2", [("date", ">=", "2026-12-01"), ("date", "<", "2027-01-01")]
        )
        self.assertEqual((rate, reached, planned), (87.5, 7, 8))
        self.assertEqual(line.rate_display, "87.50")
        self.assertEqual((line.numerator, line.count), (reached, planned))
        [target] = (
            self.env["pm.kpi.target"]
            .with_user(self.user_director)
            .search_read(data["lists"]["2"]["domain"], ["target"])
        )
        self.assertEqual(line.target, f"≥ {target['target']:.2f}")
        # nothing planned in November: "—" on both
        rate, _r, _p, _d = self._shown(
            "2", [("date", ">=", "2026-11-01"), ("date", "<", "2026-12-01")]
        )
        self.assertEqual(rate, "—")
