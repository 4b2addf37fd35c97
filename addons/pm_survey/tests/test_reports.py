# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import os
import shutil
import subprocess
import tempfile
from datetime import datetime

import openpyxl

from odoo.tests import tagged

from .common import RunningCampaignCommon


@tagged("pm_survey", "-at_install", "post_install")
class TestReports(RunningCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_agent.lang = (
            "zh_CN" if cls.env["res.lang"]._lang_get("zh_CN") else "en_US"
        )
        cls.campaign.user_id = cls.user_agent

    def _fill(self):
        levels = ["very_satisfied", "satisfied", "dissatisfied"]
        for line, level in zip(self.campaign.distribution_ids, levels, strict=False):
            self._key_in(line, level, opinion="=1+1 needs attention")

    def test_xlsx(self):
        """R-SUR-9: every rate and every answer, read back; formulas stay text."""
        self._fill()
        action = self.campaign.with_user(self.user_agent).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.res_id, self.campaign.id)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        summary, items, answers, opinions = book.worksheets
        figures = {row[0]: row[1] for row in summary.iter_rows(values_only=True)}
        numbers = [v for v in figures.values() if isinstance(v, int | float)]
        self.assertIn(0.6, numbers)  # recovery 3 / 5, a percentage cell
        self.assertIn(self.campaign.satisfaction_rate / 100, numbers)
        self.assertIn(datetime(2024, 3, 1), figures.values(), figures)
        rows = list(items.iter_rows(values_only=True))
        # header + 6 items + overall
        self.assertEqual(len(rows), 8)
        first = rows[1]
        line = self.campaign.item_line_ids[0]
        self.assertEqual(first[1:6], (1, 1, 0, 1, 0))
        self.assertEqual(first[6], line.valid_count)
        self.assertAlmostEqual(first[8], line.satisfaction_rate / 100)
        self.assertAlmostEqual(rows[-1][8], self.campaign.satisfaction_rate / 100)
        self.assertEqual(items["I2"].number_format, "0.00%")
        for sheet in (items, answers, opinions):
            self.assertEqual(sheet.freeze_panes, "A2", sheet.title)
            self.assertTrue(sheet.auto_filter.ref, sheet.title)
        answer_rows = list(answers.iter_rows(values_only=True))
        self.assertEqual(len(answer_rows), 1 + 5)  # every handed-out form
        returned = [r for r in answer_rows[1:] if r[7]]
        self.assertEqual(len(returned), 3)
        self.assertIsInstance(returned[0][7], datetime)  # a date cell, local time
        self.assertEqual(returned[0][-1], "=1+1 needs attention")
        # a choice reads as its label, in its question's column
        questions = self.campaign.survey_id.question_ids.filtered(
            lambda q: not q.is_page
        ).sorted("sequence")
        column = 9 + list(questions).index(self.campaign.item_line_ids[0].question_id)
        labels = set(
            self.campaign.item_line_ids[0].question_id.suggested_answer_ids.mapped(
                "value"
            )
        )
        self.assertTrue({row[column] for row in returned} <= labels, returned)
        self.assertEqual(len({row[column] for row in returned}), 3, returned)
        # text stays text: no formula cell anywhere
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", cell.coordinate)
        self.assertEqual(opinions.max_row, 1 + 3)

    def test_xlsx_nothing_to_measure(self):
        """R-RATE-1: with no answer yet, rates read "—", never 0 %."""
        action = self.campaign.with_user(self.user_agent).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        summary, items = book.worksheets[:2]
        figures = [row[1] for row in summary.iter_rows(values_only=True)]
        # forms handed out, none returned: recovery is a real 0 %, satisfaction has
        # nothing to measure
        self.assertEqual(figures.count("—"), 1, figures)
        self.assertEqual(
            {row[8] for row in items.iter_rows(min_row=2, values_only=True)}, {"—"}
        )

    def test_pdf(self):
        """R-SUR-9: the 客户意见征询分析表 renders for real, in Chinese."""
        self._fill()
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "pm_survey.action_report_campaign_analysis", self.campaign.ids
            )
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "analysis.pdf")
            with open(path, "wb") as f:
                f.write(pdf)
            text = subprocess.run(
                ["pdftotext", "-layout", path, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
            keep = os.environ.get("PM_KEEP_REPORT")
            if keep:
                shutil.copy(path, keep)
        self.assertIn("Property A", text)
        self.assertIn("60.00 %", text)  # recovery rate
        self.assertIn("%.2f" % self.campaign.satisfaction_rate, text)
        if self.user_agent.lang == "zh_CN":
            # pdftotext maps some glyphs to CJK radicals (见 -> ⻅): check the rest
            self.assertIn("征询分析表", text)
            self.assertIn("很满意", text)
