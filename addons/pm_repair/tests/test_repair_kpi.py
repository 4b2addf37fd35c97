# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-REP-6 / R-RATE-1: a repair KPI groups as the orders meeting it over the orders
measured for it; with nothing to measure it is "—", never 0."""

import io
from datetime import datetime, timedelta

import openpyxl
from freezegun import freeze_time
from lxml import html

from odoo.tests import tagged

from .common import T0, RepairCommon, minutes

ACCEPTED = datetime(2024, 3, 11, 11, 30)
REPORT = "pm_customer_service.action_report_pm_quality_report"
# R-CLOCK-1: the last second of T0's day in Shanghai (T0 is 10:00 there)
END_OF_T0_DAY = datetime(2024, 3, 11, 15, 59, 59)
KPIS = ("kpi_timely", "kpi_first_pass", "kpi_return_visited", "kpi_satisfaction")


@tagged("post_install", "-at_install")
class TestRepairKpi(RepairCommon):
    def setUp(self):
        super().setUp()
        # received, not dispatched yet: nothing is measured
        self.untouched = self._new_order_at(T0)
        # accepted, its return visit not made yet: on time and passed first time,
        # not visited (0 %), satisfaction not measured
        self.awaiting_visit = self._new_order_at(T0)
        self._work(self.awaiting_visit)
        self._accept(self.awaiting_visit, ACCEPTED)

    def _rates(self, orders):
        # the pivot's total: its measures with their aggregator (avg)
        [[group]] = (
            self.env["pm.repair.order"]
            .with_user(self.user_agent)
            .formatted_read_grouping_sets(
                [("id", "in", orders.ids)], [[]], [f"{k}:avg" for k in KPIS]
            )
        )
        return tuple(group[f"{kpi}:avg"] for kpi in KPIS)

    def test_pivot_leaves_unmeasured_orders_out(self):
        self.assertEqual(self.awaiting_visit.state, "return_visit")
        self.assertEqual(self._rates(self.untouched), (None, None, None, None))
        self.assertEqual(
            self._rates(self.untouched | self.awaiting_visit),
            (100.0, 100.0, 0.0, None),
        )
        visit = self.awaiting_visit.return_visit_ids
        visit.write({"satisfaction": "4", "result": "Fine"})
        visit.action_done()
        self.assertEqual(
            self._rates(self.untouched | self.awaiting_visit),
            (100.0, 100.0, 100.0, 100.0),
        )

    def test_pivot_measures_show_dash(self):
        """The pivot formats its rates with the "—"-aware widget."""
        arch = (
            self.env["pm.repair.order"]
            .with_user(self.user_agent)
            .get_view(self.env.ref("pm_repair.pm_repair_order_view_pivot").id)["arch"]
        )
        measures = html.fromstring(arch).xpath("//field[@type='measure']")
        self.assertEqual(
            {node.get("name"): node.get("widget") for node in measures},
            dict.fromkeys(KPIS, "pm_rate"),
        )

    def test_quality_report_repairs(self):
        """The monthly analysis: a repair rate with no order measured reads "—" in
        the form, the PDF and the xlsx; the others count measured orders only."""
        with freeze_time("2024-03-26 02:00:00"):
            report = self.env["pm.quality.report"].create(
                {"property_id": self.property_a.id, "month": "2024-03-01"}
            )
            report._compute_figures()
        report = report.with_user(self.user_agent)
        expected = {
            # item: (meeting, of, rate)
            "Repair timeliness": (1, 1, "100.00"),
            "Repair first-time pass": (1, 1, "100.00"),
            "Repair return visits": (0, 1, "0.00"),
            "Repair satisfaction": (0, 0, "—"),
        }
        lines = report.line_ids.filtered(lambda line: line.section == "repair")
        self.assertEqual(
            {
                line.name: (line.numerator, line.count, line.rate_display)
                for line in lines
            },
            expected,
        )
        page = html.fromstring(
            self.env["ir.actions.report"]
            .with_user(self.user_agent)
            .with_context(lang="en_US")
            ._render_qweb_html(REPORT, report.ids)[0]
        )
        rows = {
            cells[0]: tuple(cells[1:])
            for cells in (
                [td.text_content().strip() for td in tr.xpath("td")]
                for tr in page.xpath("//table[contains(@class, 'pm_table')]//tr")
            )
            if cells and cells[0] in expected
        }
        self.assertEqual(
            rows,
            {item: (str(m), str(of), rate) for item, (m, of, rate) in expected.items()},
        )
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        sheet = book["Repairs"]
        found = {
            row[0]: row[1:]
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0] in expected
        }
        self.assertEqual(
            found,
            {
                "Repair timeliness": (1, 1, 1.0),
                "Repair first-time pass": (1, 1, 1.0),
                "Repair return visits": (0, 1, 0.0),
                "Repair satisfaction": (0, 0, "—"),
            },
        )

    def test_completion_counts_in_timeliness(self):
        """R-CLOCK-1: an order whose every step was on time but that was
        finished the next day in Shanghai is not timely: the pivot and the
        monthly analysis count it as measured and missed."""
        late = self._new_order_at(T0)
        as_tech = late.with_user(self.user_technician)
        self._step(late.with_user(self.user_agent), T0 + minutes(1), "action_dispatch")
        self._step(as_tech, T0 + minutes(2), "action_take")
        # the unit's QR code cannot be scanned: the front desk records the arrival
        self._step(late.with_user(self.user_agent), T0 + minutes(8), "action_arrive")
        self._step(as_tech, T0 + minutes(15), "action_diagnose", diagnosis="Worn")
        self._step(as_tech, T0 + minutes(17), "action_propose_plan", plan="Fix it")
        if late.state == "quoted":
            self._owner_decides(late, T0 + minutes(20), "accept_quote", "phone")
        self._step(as_tech, END_OF_T0_DAY + timedelta(seconds=1), "action_done")
        self.assertEqual(
            (late.target_dispatch, late.target_on_site, late.target_plan),
            ("met", "met", "met"),
        )
        self.assertEqual(late.target_completion, "missed")
        self.assertEqual(self.awaiting_visit.target_completion, "met")
        self.assertEqual(
            self._rates(self.untouched | self.awaiting_visit | late)[0], 50.0
        )
        with freeze_time("2024-03-26 02:00:00"):
            report = self.env["pm.quality.report"].create(
                {"property_id": self.property_a.id, "month": "2024-03-01"}
            )
            report._compute_figures()
        line = report.with_user(self.user_agent).line_ids.filtered(
            lambda line: line.section == "repair" and line.name == "Repair timeliness"
        )
        self.assertEqual(
            (line.numerator, line.count, line.rate_display), (1, 2, "50.00")
        )
