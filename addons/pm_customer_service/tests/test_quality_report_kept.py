# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A finished quality analysis (generated or sent) keeps its lines as they are
(R-KEEP-1, R-QA-1): nobody deletes or edits them, the director included; only
the administrator's retention purge removes them. A draft is still generated,
its lines replaced by the server's own code."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.pm_base.tools import write_guard


@tagged("post_install", "-at_install", "security")
class TestQualityReportKept(TransactionCase):
    """The director of Lakeside Garden (demo) and its analysis of last month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.director = ref("pm_customer_service.res_users_director_demo")
        cls.manager = ref("pm_customer_service.res_users_manager_demo")
        cls.team = ref("pm_customer_service.pm_team_engineering_demo")
        prop = ref("pm_customer_service.pm_property_demo")
        Report = cls.env["pm.quality.report"].with_user(cls.director)
        cls.report = Report.create({"property_id": prop.id, "month": "2026-01-01"})
        # the PDF is not the point here: the figures are
        cls.report._compute_figures()

    def _assert_lines_kept(self, report):
        lines = report.line_ids
        self.assertTrue(lines)
        figures = lines.read(["section", "key", "count", "team_id", "sequence"])
        as_director = lines.with_user(self.director)
        with self.assertRaises(UserError):
            as_director[0].unlink()
        for vals in (
            {"sequence": 99},
            {"team_id": self.team.id},
            {"count": 1000},
            {"report_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_director[0].write(vals)
        # the manager neither, nor the director the whole analysis
        with self.assertRaises(UserError):
            lines.with_user(self.manager)[0].unlink()
        with self.assertRaises(UserError):
            report.with_user(self.director).unlink()
        self.assertEqual(report.line_ids, lines)
        self.assertEqual(
            lines.read(["section", "key", "count", "team_id", "sequence"]), figures
        )

    def test_lines_of_a_generated_report_are_kept(self):
        self.assertEqual(self.report.state, "done")
        self._assert_lines_kept(self.report)
        # generated again, its lines would be replaced: refused too
        with self.assertRaises(UserError):
            self.report.with_user(self.director).action_generate()

    def test_lines_of_a_sent_report_are_kept(self):
        self.report._send_ready_email()
        self.assertEqual(self.report.state, "sent")
        self._assert_lines_kept(self.report)

    def test_reopened_analysis_generates_again_keeping_its_former_pdf(self):
        """The quality department reopens a generated analysis and generates it
        again: it gets a new PDF, the one it was generated with stays as its
        history (R-KEEP-1)."""
        quality = self.env.ref("pm_customer_service.res_users_quality_demo")
        report = self.report.with_user(quality)
        report.action_reset_draft()
        report.action_generate()
        first = report.pdf_attachment_id
        self.assertTrue(first.raw.startswith(b"%PDF"))
        report.action_reset_draft()
        report.action_generate()
        self.assertEqual(report.state, "done")
        self.assertTrue(report.pdf_attachment_id.raw.startswith(b"%PDF"))
        self.assertNotEqual(report.pdf_attachment_id, first)
        self.assertTrue(first.exists())

    def test_draft_regenerates_and_purge_deletes(self):
        # the quality department reopens the analysis: generated again, its
        # lines replaced by the server's code
        quality = self.env.ref("pm_customer_service.res_users_quality_demo")
        self.report.with_user(quality).action_reset_draft()
        old_lines = self.report.line_ids
        self.report.with_user(self.director)._compute_figures()
        self.assertEqual(self.report.state, "done")
        self.assertFalse(old_lines.exists())
        self.assertTrue(self.report.line_ids)
        # the administrator's purge (server code) deletes what the manager may not
        lines = self.report.line_ids
        with write_guard.retention_purge():
            lines.with_user(self.manager).unlink()
        self.assertFalse(lines.exists())
