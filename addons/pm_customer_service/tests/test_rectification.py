# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PmCommon, pdf_to_text


@freeze_time("2026-04-10 02:00:00")
class TestRectification(PmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["pm.team"].create(
            {
                "name": "Cleaning A",
                "team_type": "cleaning",
                "property_id": cls.property_a.id,
                "leader_id": cls.user_agent.id,
            }
        )
        cls.rect = cls.env["pm.rectification"].create(
            {
                "property_id": cls.property_a.id,
                "source_type": "survey",
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "problem": "楼道卫生差 — stairwell not cleaned",
                "team_id": cls.team.id,
                "deadline": "2026-04-15",
            }
        )

    def test_deadline_not_in_the_past(self):
        with self.assertRaisesRegex(ValidationError, "cannot be in the past"):
            self.env["pm.rectification"].create(
                {
                    "property_id": self.property_a.id,
                    "problem": "x",
                    "deadline": "2026-04-09",
                }
            )

    def test_flow_and_return_visit(self):
        rect = self.rect
        self.assertRegex(rect.name, r"^RC\d{4}-\d{4}$")
        with self.assertRaisesRegex(UserError, "needs a measure"):
            rect.action_start()
        rect.measure = "Clean stairwells daily; weekly check by the supervisor"
        rect.with_user(self.user_agent).action_start()
        with self.assertRaisesRegex(UserError, "how rectification"):
            rect.action_done()
        rect.completion_note = "Cleaning roster changed"
        rect.with_user(self.user_technician).action_done()
        self.assertEqual(rect.done_date, date(2026, 4, 10))
        self.assertTrue(rect.on_time)
        with self.assertRaisesRegex(UserError, "Only a director"):
            rect.with_user(self.user_agent).action_verify()
        rect.with_user(self.user_director).action_verify()
        self.assertEqual(rect.state, "verified")
        self.assertEqual(rect.verified_by_id, self.user_director)
        # the owner concerned is called back (R-RECT-1, R-SUR-8)
        visit = rect.return_visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(
            (visit.partner_id, visit.unit_id, visit.method),
            (self.owner, self.unit_a, "phone"),
        )
        self.assertEqual(visit.source_name, rect.display_name)
        # dissatisfied: back to work
        visit.write({"satisfaction": "2", "result": "还是很脏"})
        visit.action_done()
        self.assertEqual(rect.state, "in_progress")
        self.assertEqual(rect.return_visit_result, "2")
        self.assertIn(visit.name, rect.message_ids[0].body)

    def test_rejected_verification_needs_note(self):
        self.rect.write({"measure": "m", "completion_note": "c"})
        self.rect.action_start()
        self.rect.action_done()
        with self.assertRaisesRegex(UserError, "verification note"):
            self.rect.action_reject_verification()
        self.rect.verification_note = "Still dirty on floor 3"
        self.rect.action_reject_verification()
        self.assertEqual(self.rect.state, "in_progress")
        self.assertFalse(self.rect.done_date)

    def test_overdue(self):
        Rect = self.env["pm.rectification"]
        self.assertNotIn(self.rect, Rect.search([("is_overdue", "=", True)]))
        with freeze_time("2026-04-16"):
            self.rect.invalidate_recordset(["is_overdue"])
            self.assertTrue(self.rect.is_overdue)
            self.assertIn(self.rect, Rect.search([("is_overdue", "=", True)]))
            self.rect.write({"measure": "m", "completion_note": "late"})
            self.rect.action_start()
            self.rect.action_done()
            self.assertFalse(self.rect.on_time)
            self.assertNotIn(self.rect, Rect.search([("is_overdue", "=", True)]))

    def test_kept_once_started(self):
        self.rect.measure = "m"
        self.rect.action_start()
        with self.assertRaisesRegex(UserError, "kept"):
            self.rect.unlink()
        self.rect.action_cancel()
        self.assertEqual(self.rect.state, "cancelled")

    def test_from_visit_issue(self):
        visit = self.env["pm.visit"].create(
            {
                "property_id": self.property_a.id,
                "unit_id": self.unit_a.id,
                "partner_id": self.owner.id,
            }
        )
        issue = self.env["pm.visit.issue"].create(
            {"visit_id": visit.id, "description": "Lift noisy", "team_id": self.team.id}
        )
        issue.action_create_rectification()
        rect = issue.rectification_id
        self.assertEqual(
            (rect.source_type, rect.res_model, rect.res_id),
            ("visit", "pm.visit.issue", issue.id),
        )
        self.assertEqual(rect.source_name, "Lift noisy")
        self.assertEqual(rect.user_id, self.user_agent)
        self.assertEqual(rect.deadline, date(2026, 4, 17))
        with self.assertRaisesRegex(UserError, "already has"):
            issue.action_create_rectification()

    @tagged("security")
    def test_access(self):
        rect_b = self.env["pm.rectification"].create(
            {
                "property_id": self.property_b.id,
                "problem": "B",
                "deadline": "2026-05-01",
            }
        )
        Rect = self.env["pm.rectification"].with_user(self.user_technician)
        self.assertEqual(
            Rect.search([("id", "in", (self.rect | rect_b).ids)]), self.rect
        )
        with self.assertRaises(AccessError):
            rect_b.with_user(self.user_agent).read(["problem"])
        with self.assertRaises(AccessError):
            Rect.create(
                {
                    "property_id": self.property_a.id,
                    "problem": "x",
                    "deadline": "2026-05-01",
                }
            )

    def test_report_wizard_period(self):
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        wizard = self.env["pm.rectification.report.wizard"].create(
            {"property_id": self.property_a.id}
        )
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2026, 4, 1), date(2026, 4, 30))
        )
        self.assertEqual(wizard._get_rectifications(), self.rect)
        action = wizard.action_print()
        self.assertEqual(action["data"]["date_from"], "2026-04-01")
        empty = self.env["pm.rectification.report.wizard"].create(
            {"property_id": self.property_b.id}
        )
        with self.assertRaisesRegex(UserError, "No rectification"):
            empty.action_print()
        with self.assertRaisesRegex(UserError, "ends before"):
            wizard.date_to = date(2026, 3, 1)


@freeze_time("2026-04-10 02:00:00")
class TestRectificationReports(PmCommon):
    """R-RECT-2: real PDFs from wkhtmltopdf, in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._chinese_env()
        cls.rects = cls.env["pm.rectification"].create(
            [
                {
                    "property_id": cls.property_a.id,
                    "problem": "地下车库照明不足",
                    "measure": "更换 LED 灯",
                    "deadline": "2026-04-20",
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.owner.id,
                },
                {
                    "property_id": cls.property_a.id,
                    "problem": "Gate barrier slow",
                    "measure": "Replace motor",
                    "deadline": "2026-04-25",
                },
            ]
        )

    def _pdf(self, xmlid, records, lang, data=None):
        report = (
            self.env["ir.actions.report"]
            .with_user(self.user_director)
            .with_context(force_report_rendering=True, lang=lang)
        )
        self.user_director.lang = lang
        pdf, kind = report._render_qweb_pdf(xmlid, records.ids, data=data)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_to_text(pdf)

    def test_single_record_pdf_in_chinese(self):
        text = self._pdf(
            "pm_customer_service.action_report_pm_rectification", self.rects[0], "zh_CN"
        )
        self.assertIn("整改措施落实情况记录", text)
        self.assertIn("地下车库照明不足", text)
        self.assertIn(self.rects[0].name, text)
        self.assertIn("服务中心主任", text)  # signature line

    def test_list_pdf(self):
        data = {
            "property_name": "[PA] Property A",
            "date_from": "2026-04-01",
            "date_to": "2026-04-30",
        }
        text = self._pdf(
            "pm_customer_service.action_report_pm_rectification_list",
            self.rects,
            "en_US",
            data=data,
        )
        self.assertIn("Rectification Measures Record", text)
        self.assertIn("2026-04-01", text)
        for rect in self.rects:
            self.assertIn(rect.name, text)
        self.assertIn("Gate barrier slow", text)
        self.assertIn("Total: 2", text)
