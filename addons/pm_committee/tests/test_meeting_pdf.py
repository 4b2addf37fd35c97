# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.addons.pm_customer_service.tests.common import pdf_to_text

from .common import CommitteeCommon

REPORT = "pm_committee.action_report_pm_meeting"


@freeze_time("2026-04-03 02:00:00")
class TestMinutesPdf(CommitteeCommon):
    """The signed minutes 会议纪要, rendered by wkhtmltopdf and read back, in
    Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._chinese_env()
        cls.env.ref("base.module_pm_committee")._update_translations(["zh_CN"])

    def test_minutes_pdf_in_chinese(self):
        meeting = self._approved_meeting(
            name="业委会四月例会",
            location="会所二楼",
            decisions="<p>车库照明限期整改</p>",
        )
        self.env["pm.meeting.action"].with_user(self.user_agent).create(
            {
                "meeting_id": meeting.id,
                "name": "地下车库更换LED灯",
                "user_id": self.user_technician.id,
                "deadline": "2026-04-15",
            }
        )
        self.user_director.lang = "zh_CN"
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_director)
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf(REPORT, meeting.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_to_text(pdf)
        for expected in (
            "会议纪要",
            "业委会四月例会",
            "业委会例会",
            "会所二楼",
            # the meeting at 19:30 in Shanghai (11:30 UTC)
            "2026年04月02日 19:30",
            "Owner Wang",
            "主任",
            "出席",
            "2 / 3",
            "66.67 %",
            "车库照明限期整改",
            "地下车库更换LED灯",
            "2026年04月15日",
            "服务中心主任",
            "业主委员会",
            "Director A",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Meeting Minutes", text)
        self.assertNotIn("pm.meeting", text)
