# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import shutil
import unittest

from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.common import pdf_to_text

from .common import NoticeCommon


@tagged("post_install", "-at_install")
@unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) missing")
class TestNoticeReport(NoticeCommon):
    def test_signed_record_in_chinese(self):
        """The notice prints as a signed record: company letterhead, number,
        date, text and the director who approved it, in Chinese."""
        self._chinese_env()
        self.env.ref("base.module_pm_notice")._update_translations(["zh_CN"])
        self.user_director.name = "李主任"
        notice = self._published(
            name="停水通知", body="<p>本周六08:00至14:00停水。</p>"
        )
        self.user_director.lang = "zh_CN"
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_director)
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf("pm_notice.action_report_pm_notice", notice.ids)
        )
        self.assertEqual(kind, "pdf")
        text = pdf_to_text(pdf)
        self.assertIn(notice.number, text)
        self.assertIn("停水通知", text)
        self.assertIn("本周六08:00至14:00停水", text)
        self.assertIn("李主任", text)
        self.assertIn("审批人", text)
        self.assertIn(notice.publish_date.strftime("%Y年%m月%d日"), text)
        self.assertIn(self.env.company.name, text)
