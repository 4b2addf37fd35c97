# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-CLOCK-1 / R-KPI-1: the first-reply rate on the director's dashboard, read
through the data source the spreadsheet loads, as the director: the ratio of
the sums of the month's cases, "—" when none needed a reply (R-RATE-1)."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import PmCaseCommon

DASHBOARD = "pm_customer_service.spreadsheet_dashboard_pm_director"


@tagged("post_install", "-at_install")
class TestFirstReplyDashboard(PmCaseCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # May 2026 at property A: three cases needing a reply, two replied in
        # time; one more not measured (no reply due yet)
        cls.cases = cls.env["pm.case"]
        for measured, on_time in ((1, True), (1, True), (1, False), (0, False)):
            case = cls.env["pm.case"].create(
                {
                    "property_id": cls.property_a.id,
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.owner.id,
                    "subject": "Noise",
                    "description": "Noise at night from the pump room.",
                    "intake_date": datetime(2026, 5, 4, 2),
                }
            )
            cls.env.flush_all()
            cls.env.cr.execute(
                "UPDATE pm_case SET first_reply_measured = %s, "
                "first_reply_rate = %s WHERE id = %s",
                (measured, 100.0 if on_time else 0.0, case.id),
            )
            cls.cases |= case
        cls.env.invalidate_all()
        cls.user_director.pm_property_ids = [(4, cls.property_a.id)]

    def _pivot_call(self, pivot, domain):
        """The call the spreadsheet makes for ``pivot``, as the director."""
        Board = self.env[pivot["model"]].with_user(self.user_director)
        measures = {
            m[
                "fieldName"
            ]: f"{m['fieldName']}:{Board._fields[m['fieldName']].aggregator}"
            for m in pivot["measures"]
        }
        [[total]] = Board.formatted_read_grouping_sets(
            pivot["domain"] + domain, [[]], list(measures.values())
        )
        return {name: total[spec] for name, spec in measures.items()}

    def test_dashboard_shows_first_reply_rate(self):
        dashboard = self.env.ref(DASHBOARD)
        self.authenticate(self.user_director.login, self.user_director.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{dashboard.id}")
        self.assertEqual(response.status_code, 200)
        data = response.json()["snapshot"]
        pivot = data["pivots"]["1"]
        measures = {m["fieldName"] for m in pivot["measures"]}
        self.assertTrue(
            {"first_reply_rate", "first_reply_num", "first_reply_den"} <= measures
        )
        cells = data["sheets"][0]["cells"]
        # the row of the rates: "—" without a denominator, its target beside it
        self.assertIn('PIVOT.VALUE(1,"first_reply_den")=0,"—"', cells["B8"]["content"])
        self.assertIn('PIVOT.VALUE(1,"first_reply_rate")', cells["B8"]["content"])
        self.assertIn("ODOO.LIST(5", cells["E8"]["content"])
        self.assertEqual(
            data["lists"]["5"]["domain"],
            [["active", "=", True], ["kpi", "=", "first_reply"]],
        )
        may = [
            ("property_id", "=", self.property_a.id),
            ("month", "=", "2026-05-01"),
        ]
        with freeze_time("2026-05-20 02:00:00"):
            total = self._pivot_call(pivot, may)
        self.assertEqual((total["first_reply_num"], total["first_reply_den"]), (2, 3))
        self.assertAlmostEqual(total["first_reply_rate"], 66.67, places=2)
        # a month with nothing to measure: no denominator, the cell reads "—"
        june = [("property_id", "=", self.property_a.id), ("month", "=", "2026-06-01")]
        total = self._pivot_call(pivot, june)
        self.assertFalse(total["first_reply_den"])
