# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-QA-1, the appraisal of each agent (seeds: 客服人员重点考核业主满意度、投诉处理
及时率): the monthly analysis counts the cases of each person responsible, with
their rates as ratios of sums (R-RATE-1)."""

import io
from datetime import datetime

import openpyxl

from odoo.tests import new_test_user

from .common import pdf_to_text
from .test_quality_report import QualityCommon


class TestQualityReportPerson(QualityCommon):
    """March 2026 in Shanghai: agent A holds c1 and c2 (and c4, of February),
    agent B holds c3 and c7, nobody holds c6."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_b = new_test_user(
            cls.env, "pm_t_agent_b", groups="pm_base.group_pm_agent", name="Agent B"
        )
        cls.c7 = cls._case(datetime(2026, 3, 12, 2), request_type="repair")
        cls._set(cls.c7, "2026-03-13", True, True, False, "4")
        cls._responsible(cls.user_agent, cls.c1 | cls.c2 | cls.c4)
        cls._responsible(cls.agent_b, cls.c3 | cls.c7)
        cls._responsible(cls.env["res.users"], cls.c6)
        cls.Report = cls.env["pm.quality.report"].with_user(cls.user_quality)

    @classmethod
    def _responsible(cls, user, cases):
        # dispatch and assignment are tested elsewhere: set the column directly
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE pm_case SET user_id = %s WHERE id IN %s",
            (user.id or None, tuple(cases.ids)),
        )
        cls.env.invalidate_all()

    def _persons(self, report):
        """``{(person, key): (numerator, count, rate display)}``"""
        return {
            (line.user_id, line.key): (line.numerator, line.count, line.rate_display)
            for line in report.line_ids
            if line.section == "person"
        }

    def test_figures_per_person(self):
        """Each person's cases of the month, and their rates as the ratios of
        the sums of their cases' terms; "—" where nothing was measured."""
        report = self._report()
        report._compute_figures()
        nobody = self.env["res.users"]
        persons = self._persons(report)
        self.assertEqual(
            persons,
            {
                # c1 resolved on time, closed, visited, satisfied; c2 neither
                (self.user_agent, "cases"): (0, 2, ""),
                (self.user_agent, "timeliness"): (1, 2, "50.00"),
                (self.user_agent, "closure"): (1, 2, "50.00"),
                (self.user_agent, "return_visit"): (1, 2, "50.00"),
                (self.user_agent, "satisfaction"): (1, 2, "50.00"),
                # no reply was due (nor given): nothing measured
                (self.user_agent, "first_reply"): (0, 0, "—"),
                # no supervisor's sample call this month: none, "—"
                (self.user_agent, "sampled"): (0, 0, ""),
                (self.user_agent, "sample_satisfaction"): (0, 0, "—"),
                # c3 open; c7 resolved on time, closed, not visited, satisfied
                (self.agent_b, "cases"): (0, 2, ""),
                (self.agent_b, "timeliness"): (1, 1, "100.00"),
                (self.agent_b, "closure"): (1, 2, "50.00"),
                (self.agent_b, "return_visit"): (0, 1, "0.00"),
                (self.agent_b, "satisfaction"): (1, 1, "100.00"),
                (self.agent_b, "first_reply"): (0, 0, "—"),
                (self.agent_b, "sampled"): (0, 0, ""),
                (self.agent_b, "sample_satisfaction"): (0, 0, "—"),
                # c6: open, nothing resolved nor rated
                (nobody, "cases"): (0, 1, ""),
                (nobody, "timeliness"): (0, 0, "—"),
                (nobody, "closure"): (0, 1, "0.00"),
                (nobody, "return_visit"): (0, 0, "—"),
                (nobody, "satisfaction"): (0, 0, "—"),
                (nobody, "first_reply"): (0, 0, "—"),
                (nobody, "sampled"): (0, 0, ""),
                (nobody, "sample_satisfaction"): (0, 0, "—"),
            },
        )
        lines = report.line_ids.filtered(lambda line: line.section == "person")
        # most cases first, nobody last; the lines name the person
        self.assertEqual(lines[0].name, "Agent A")
        self.assertEqual(lines[-8].name, "Nobody")
        self.assertEqual(lines[1].name, "Timeliness rate · Agent A")
        self.assertFalse(lines[0].is_rate_line)
        self.assertTrue(lines[-1].is_rate_line)
        self.assertEqual(lines[-2].name, "Sample calls · Nobody")
        self.assertFalse(lines[-2].is_rate_line)
        # the persons add up to the month
        self.assertEqual(
            sum(lines.filtered(lambda line: line.key == "cases").mapped("count")),
            report.case_count,
        )

    def test_one_query_whatever_the_persons(self):
        """The per-person figures come from the grouped query of the month's
        cases: as many queries for five persons as for one."""
        agents = [self.user_agent] + [
            new_test_user(
                self.env,
                f"pm_t_agent_q{index}",
                groups="pm_base.group_pm_agent",
                name=f"Agent Q{index}",
            )
            for index in range(4)
        ]
        one = [(self.user_agent, 12), (self.user_agent, 1)]
        for agent, month in one + [(a, 2) for a in agents]:
            case = self._case(
                datetime(2025 if month == 12 else 2026, month, 10, 2),
                property_id=self.property_b.id,
                unit_id=False,
            )
            self._responsible(agent, case)

        def queries(month):
            report = self._report(self.property_b, month)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            report._compute_figures()
            self.env.flush_all()
            persons = report.line_ids.filtered(
                lambda line: line.section == "person" and line.key == "cases"
            )
            return self.cr.sql_log_count - before, len(persons)

        # warm the caches (the first generation fills the access rules' caches,
        # which the next one fills again)
        queries("2025-11-01")
        queries("2025-12-01")
        one, count_one = queries("2026-01-01")
        five, count_five = queries("2026-02-01")
        self.assertEqual((count_one, count_five), (1, 5))
        self.assertEqual(one, five)

    def test_generated_twice_no_duplicate(self):
        """Generated again from a draft, the analysis replaces its lines."""
        report = self._report()
        report._compute_figures()
        before = self._persons(report)
        report.action_reset_draft()
        report._compute_figures()
        self.assertEqual(self._persons(report), before)
        self.assertEqual(
            len(report.line_ids.filtered(lambda line: line.section == "person")), 24
        )

    def test_xlsx_person_sheet(self):
        report = self._report()
        report._compute_figures()
        book = openpyxl.load_workbook(io.BytesIO(report._build_xlsx()))
        sheet = book["Cases by Person"]
        self.assertEqual(
            [cell.value for cell in sheet[4]],
            [
                "Responsible",
                "Cases",
                "Timeliness rate %",
                "Closure rate %",
                "Return-visit rate %",
                "Satisfaction rate %",
                "First-reply rate %",
                "Sample calls",
                "Sample satisfaction rate %",
            ],
        )
        rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=5, values_only=True)}
        self.assertEqual(rows["Agent A"], (2, 0.5, 0.5, 0.5, 0.5, "—", 0, "—"))
        self.assertEqual(rows["Agent B"], (2, 1, 0.5, 0, 1, "—", 0, "—"))
        self.assertEqual(rows["Nobody"], (1, "—", 0, "—", "—", "—", 0, "—"))

    def test_pdf_in_chinese(self):
        """The PDF, rendered for real, shows each person's line under the
        section's Chinese title."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.env["res.lang"]._activate_lang("zh_CN")
            self.env.ref("base.module_pm_customer_service")._update_translations(
                ["zh_CN"]
            )
        (self.user_director | self.user_quality).lang = "zh_CN"
        report = self._report()
        report.action_generate()
        text = pdf_to_text(report.pdf_attachment_id.raw)
        self.assertIn("按责任人统计", text)
        # the rates named as the rates section names them
        for header in (
            "责任人",
            "报事",
            "及时率 %",
            "结案率 %",
            "回访率 %",
            "满意率 %",
        ):
            self.assertIn(header, text)
        rows = {
            name: next(line.split() for line in text.splitlines() if name in line)
            for name in ("Agent A", "Agent B", "无责任人")
        }
        # then the first-reply rate, the sample calls and their satisfaction
        self.assertEqual(rows["Agent A"][-8:], ["2"] + ["50.00"] * 4 + ["—", "0", "—"])
        self.assertEqual(
            rows["Agent B"][-8:],
            ["2", "100.00", "50.00", "0.00", "100.00", "—", "0", "—"],
        )
        self.assertEqual(
            rows["无责任人"][-8:], ["1", "—", "0.00", "—", "—", "—", "0", "—"]
        )
