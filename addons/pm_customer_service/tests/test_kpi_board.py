# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-KPI-1 / R-RATE-1: the KPI board's rates aggregate as ratios of sums, and a
rate with nothing to measure is "—" (None in groups), never 0."""

import json
from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import HttpCase, tagged

from ..models.pm_kpi_board import KPIS
from .common import PmCaseCommon, PmCommon

RATES = ["return_visit_rate:avg", "satisfaction_rate:avg", "case_count:sum"]


@freeze_time("2026-05-10 02:00:00")
class TestKpiBoard(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["pm.team"]
        cls.team_1, cls.team_2, cls.team_3 = (
            Team.create({"name": name, "property_id": cls.property_a.id})
            for name in ("T1", "T2", "T3")
        )
        cls.team_4 = Team.create({"name": "T4", "property_id": cls.property_b.id})
        cls.property_b.tz = "Asia/Shanghai"
        march, april = datetime(2026, 3, 10, 2), datetime(2026, 4, 10, 2)
        # (property, team, intake, resolved, visited, satisfaction)
        rows = [
            (cls.property_a, cls.team_1, march, True, True, None),
            (cls.property_a, cls.team_1, march, True, True, None),
            (cls.property_a, cls.team_1, march, True, False, None),
            (cls.property_a, cls.team_2, march, True, False, None),
            (cls.property_a, cls.team_3, march, False, False, None),
            (cls.property_b, cls.team_4, april, True, True, "5"),
            (cls.property_b, cls.team_4, april, True, True, "1"),
            # April at property A: only unresolved cases
            (cls.property_a, cls.team_1, april, False, False, None),
        ]
        for prop, team, intake, resolved, visited, satisfaction in rows:
            case = cls.env["pm.case"].create(
                {
                    "subject": "Noise",
                    "description": "Noise at night.",
                    "property_id": prop.id,
                    "team_id": team.id,
                    "partner_id": cls.owner.id,
                    "intake_date": intake,
                }
            )
            cls.env.flush_all()
            # the workflow is tested elsewhere: set the stored KPI columns
            cls.env.cr.execute(
                """UPDATE pm_case SET resolved_date = %s,
                   is_resolved_on_time = %s, return_visit_done = %s,
                   satisfaction = %s, is_satisfied = %s WHERE id = %s""",
                (
                    intake if resolved else None,
                    resolved,
                    visited,
                    satisfaction,
                    bool(satisfaction and satisfaction >= "3"),
                    case.id,
                ),
            )
        cls.env.invalidate_all()
        # month labels read in English, whatever the demo's language
        cls.Board = (
            cls.env["pm.kpi.board"]
            .with_user(cls.user_quality)
            .with_context(lang="en_US")
        )
        cls.ours = [
            ("property_id", "in", (cls.property_a | cls.property_b).ids),
            ("month", ">=", "2026-03-01"),
        ]

    def test_rates_are_ratios_of_sums(self):
        team = {
            self.team_1.id: "T1",
            self.team_2.id: "T2",
            self.team_3.id: "T3",
            self.team_4.id: "T4",
        }
        prop = {self.property_a.id: "PA", self.property_b.id: "PB"}
        # groupby, key of a group, {key: (return visit %, satisfaction %)}
        table = [
            ((), lambda g: "all", {"all": (66.67, 50.0)}),
            (
                ("property_id",),
                lambda g: prop[g["property_id"][0]],
                # 2 visited of 4 resolved (not the mean of 66.67, 0 and —)
                {"PA": (50.0, None), "PB": (100.0, 50.0)},
            ),
            (
                ("team_id",),
                lambda g: team[g["team_id"][0]],
                {
                    "T1": (66.67, None),
                    "T2": (0.0, None),
                    "T3": (None, None),
                    "T4": (100.0, 50.0),
                },
            ),
            (
                ("month:month",),
                lambda g: g["month:month"][1],
                {"March 2026": (50.0, None), "April 2026": (100.0, 50.0)},
            ),
            (
                ("property_id", "month:month"),
                lambda g: (prop[g["property_id"][0]], g["month:month"][1]),
                {
                    ("PA", "March 2026"): (50.0, None),
                    ("PA", "April 2026"): (None, None),
                    ("PB", "April 2026"): (100.0, 50.0),
                },
            ),
        ]
        # a pivot reads all its groupings at once (grouping sets), a graph or a
        # list one grouping at a time: the same ratios of sums either way
        pivot = self.Board.formatted_read_grouping_sets(
            self.ours, [groupby for groupby, _key, _expected in table], RATES
        )
        for (groupby, key, expected), pivot_groups in zip(table, pivot, strict=True):
            for path, groups in (
                ("pivot", pivot_groups),
                ("graph", self.Board.formatted_read_group(self.ours, groupby, RATES)),
            ):
                with self.subTest(path=path, groupby=groupby):
                    found = {
                        key(group): (
                            group["return_visit_rate:avg"],
                            group["satisfaction_rate:avg"],
                        )
                        for group in groups
                    }
                    self.assertEqual(found, expected)

    def test_lazy_groups_and_web_read_group(self):
        # list and kanban groups go through web_read_group, one level at a time;
        # a group with nothing to measure keeps its count there
        result = self.Board.web_read_group(
            self.ours, ["team_id", "month:month"], ["return_visit_rate:avg"]
        )
        found = {
            group["team_id"][1]: (group["return_visit_rate:avg"], group["__count"])
            for group in result["groups"]
        }
        self.assertEqual(
            found,
            {"T1": (66.67, 2), "T2": (0.0, 1), "T3": (None, 1), "T4": (100.0, 1)},
        )
        # the numerator and denominator come along as sums
        [(rate, num, den)] = self.Board._read_group(
            self.ours,
            [],
            ["return_visit_rate:avg", "return_visit_num:sum", "return_visit_den:sum"],
        )
        self.assertEqual((rate, num, den), (66.67, 4, 6))
        # sorted by their rate, as a grouped list sorts on a column: the ratio
        # of sums, the groups with nothing to measure last
        groups = self.Board.formatted_read_group(
            self.ours,
            ["team_id"],
            ["return_visit_rate:avg"],
            order="return_visit_rate:avg DESC NULLS LAST",
        )
        self.assertEqual(
            [group["team_id"][1] for group in groups], ["T4", "T1", "T2", "T3"]
        )
        # and filtered by it
        groups = self.Board.formatted_read_group(
            self.ours,
            ["team_id"],
            ["return_visit_rate:avg"],
            having=[("return_visit_rate:avg", ">", 50)],
        )
        self.assertEqual({group["team_id"][1] for group in groups}, {"T1", "T4"})

    def test_spreadsheet_measures_and_shortfalls(self):
        """The dashboard's spreadsheet pivots read grouping sets with the
        fields' aggregators: a rate is the group's ratio of sums there too, and
        a group is below target by its own rate (issue 21)."""
        Board = self.Board
        measures = [
            f"{name}:{Board._fields[name].aggregator}"
            for name in (
                "return_visit_rate",
                "return_visit_below",
                "satisfaction_below",
            )
        ]
        by_property, [total] = Board.formatted_read_grouping_sets(
            self.ours, [["property_id"], []], measures
        )
        found = {
            group["property_id"][0]: tuple(group[spec] for spec in measures)
            for group in by_property
        }
        # all together: 4 of 6 visited (below 100 %), 1 of 2 satisfied
        self.assertEqual(tuple(total[spec] for spec in measures), (66.67, 1, 1))
        self.assertEqual(
            found,
            {
                # 2 of 4 visited: below 100 %; nothing rated: not below
                self.property_a.id: (50.0, 1, 0),
                # 1 of 2 satisfied: below 98 %
                self.property_b.id: (100.0, 0, 1),
            },
        )

    def test_board_marks_the_failing_measure_not_the_row(self):
        arch = self.env.ref("pm_customer_service.pm_kpi_board_view_tree").arch
        tree = etree.fromstring(arch)
        self.assertIsNone(tree.get("decoration-danger"), "no whole red rows")
        for kpi in KPIS:
            [cell] = tree.xpath(f"//field[@name='{kpi}_display']")
            self.assertEqual(cell.get("decoration-danger"), f"{kpi}_short")
        rows = {row.team_id: row for row in self.Board.search(self.ours)}
        t1 = rows[self.team_1]
        self.assertEqual((t1.return_visit_short, t1.return_visit_below), (True, 1))
        self.assertEqual((t1.satisfaction_short, t1.satisfaction_below), (False, 0))

    def test_rows_show_dash_without_denominator(self):
        rows = self.Board.search(self.ours)
        by_team = {row.team_id: row for row in rows}
        t3 = by_team[self.team_3]
        self.assertEqual((t3.return_visit_num, t3.return_visit_den), (0, 0))
        self.assertEqual(t3.return_visit_display, "—")
        self.assertFalse(t3.return_visit_short)
        t2 = by_team[self.team_2]
        self.assertEqual(t2.return_visit_display, "0.00")
        self.assertTrue(t2.return_visit_short)
        self.assertEqual(t2.return_visit_target, "= 100.00")
        self.assertEqual(by_team[self.team_4].month_label, "2026-04")
        self.assertEqual(by_team[self.team_4].satisfaction_display, "50.00")


@tagged("post_install", "-at_install")
class TestDirectorDashboard(PmCommon, HttpCase):
    def test_dashboard_loads_with_its_data_sources(self):
        """The director's spreadsheet dashboard: loaded as the dashboard action
        loads it, valid JSON whose pivots, lists and charts read models and
        fields that exist, each answering the call the spreadsheet makes."""
        dashboard = self.env.ref(
            "pm_customer_service.spreadsheet_dashboard_pm_director"
        )
        self.assertIn(self.env.ref("pm_base.group_pm_director"), dashboard.group_ids)
        # opened as the director sees it: the dashboard action fetches its data
        self.authenticate(self.user_director.login, self.user_director.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{dashboard.id}")
        self.assertEqual(response.status_code, 200)
        loaded = response.json()
        self.assertNotIn("is_sample", loaded, "the demo has cases: real data")
        data = loaded["snapshot"]
        self.assertEqual(
            data["pivots"], json.loads(dashboard.spreadsheet_data)["pivots"]
        )
        self.assertEqual(
            set(data["pivots"]),
            {"1", "2", "4"},
            "rates this month, overdue cases, rates by month",
        )
        for pivot in data["pivots"].values():
            Model = self.env[pivot["model"]].with_user(self.user_director)
            fields = [m["fieldName"] for m in pivot["measures"]]
            rows = pivot["rows"] + pivot["columns"]
            for name in fields + [row["fieldName"] for row in rows]:
                if name != "__count":
                    self.assertIn(name, Model._fields, pivot["name"])
            for chain in pivot["fieldMatching"].values():
                self.assertIn(chain["chain"], Model._fields)
            # the pivot's call: every measure with its field's aggregator, the
            # rows then the total
            measures = [
                name
                if name == "__count"
                else f"{name}:{Model._fields[name].aggregator}"
                for name in fields
            ]
            groupby = [
                f"{row['fieldName']}:{row['granularity']}"
                if row.get("granularity")
                else row["fieldName"]
                for row in rows
            ]
            Model.formatted_read_grouping_sets(pivot["domain"], [groupby, []], measures)
        for sheet_list in data["lists"].values():
            Model = self.env[sheet_list["model"]].with_user(self.user_director)
            for name in sheet_list["columns"]:
                self.assertIn(name, Model._fields)
            Model.search_read(sheet_list["domain"], sheet_list["columns"])
        # every formula points at a data source of the file
        formulas = [
            cell["content"]
            for sheet in data["sheets"]
            for cell in sheet["cells"].values()
        ]
        self.assertTrue(
            any('PIVOT.VALUE(1,"satisfaction_rate")' in f for f in formulas)
        )
        self.assertTrue(any("PIVOT.HEADER(2" in f for f in formulas))
        self.assertTrue(any("ODOO.LIST(1" in f for f in formulas))
        # issue 21: each rate says whether it misses its target, and charts show
        # the rates by month, the overdue cases by team and the visits by month
        self.assertTrue(any('PIVOT.VALUE(1,"timeliness_below")' in f for f in formulas))
        # issue 24: the seeds' further targets, each with its target and status
        for kpi in KPIS[KPIS.index("complaint_handling") : KPIS.index("help_confirm")]:
            self.assertTrue(
                any(f'PIVOT.VALUE(1,"{kpi}_below")' in f for f in formulas), kpi
            )
        target_lists = {
            tuple(sheet_list["domain"][-1]) for sheet_list in data["lists"].values()
        }
        self.assertIn(("kpi", "=", "repair_next_day_visit"), target_lists)
        charts = {
            figure["id"]: figure["data"]
            for sheet in data["sheets"]
            for figure in sheet["figures"]
        }
        self.assertEqual(
            set(charts),
            {"pm-rates-trend", "pm-overdue-by-team", "pm-visits-done-due"},
        )
        self.assertEqual(len(charts["pm-rates-trend"]["dataSets"]), 4)
        for chart in charts.values():
            if chart["type"].startswith("odoo_"):
                # the graph's call
                Model = self.env[chart["metaData"]["resModel"]]
                Model.with_user(self.user_director).formatted_read_group(
                    chart["searchParams"]["domain"],
                    chart["metaData"]["groupBy"],
                    ["__count"],
                )
