# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-REP-4: the printed work order, rendered for real by wkhtmltopdf."""

import shutil
import subprocess
import tempfile
import unicodedata
import unittest

from odoo.tests import tagged

from .common import T0, RepairCommon, minutes


@tagged("post_install", "-at_install")
@unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) missing")
class TestRepairReport(RepairCommon):
    def _pdf_text(self, order, lang):
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=lang
        )
        pdf, kind = report._render_qweb_pdf(
            "pm_repair.action_report_pm_repair_order", order.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        # pdftotext maps some CJK glyphs to Kangxi radicals (⽔ for 水)
        return unicodedata.normalize("NFKC", text)

    def test_work_order_pdf(self):
        order = self._new_order_at(
            T0,
            line_ids=[
                (0, 0, {"fee_id": self.fee_tap.id, "quantity": 2}),
                (
                    0,
                    0,
                    {
                        "line_type": "labour",
                        "name": "Labour",
                        "quantity": 1,
                        "price_unit": 40,
                    },
                ),
            ],
        )
        self._work(order)
        self._accept(order, T0 + minutes(70))
        text = self._pdf_text(order, "en_US")
        for expected in (
            order.name,
            "Service Centre Copy",
            "Owner's Copy",
            "Replace a",
            "Total Fee",
            "100.00",
            "Owner Wang",
        ):
            self.assertIn(expected, text)
        self.assertEqual(text.count(order.name), 2)
        # both copies, one page each
        self.assertGreaterEqual(text.count("\f"), 2)

    def test_work_order_pdf_chinese(self):
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("zh_CN not loaded")
        self.owner.lang = "zh_CN"
        order = self._order(description="厨房水管漏水")
        text = self._pdf_text(order, "zh_CN")
        self.assertIn("厨房水管漏水", text)
        self.assertIn("业主联", text)
        self.assertIn("维修工单", text)
