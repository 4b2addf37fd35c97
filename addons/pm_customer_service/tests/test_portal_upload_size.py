# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The size of what an owner attaches on the request form (SPEC §10): a file
of the documented size (10 MB) is taken, one byte more gets the form's own
error, and a request far larger than the form takes is refused with the form's
error too, never Odoo's error page; nothing is saved by a refused request."""

import html
import re
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from .portal_common import CSRF_RE, FORM_KEY_RE

MB = 1024 * 1024
OWNER = "pm_owner"
MAX_MB_PARAM = "pm_customer_service.portal_attachment_max_mb"
FORM_ACTION_RE = re.compile(r'<form class="o_pm_case_form"[^>]*action="([^"]+)"')


def pdf(size):
    """A PDF of exactly ``size`` bytes whose content has no line break, as the
    long binary streams of a scanned document (werkzeug kept such a file part
    in memory whole and refused it above 10 MB before the form read it)."""
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


@tagged("post_install", "-at_install", "security")
class TestPortalUploadSize(HttpCase):
    """As the demo owner of B1-101 (portal, reads Chinese)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.env.ref("pm_customer_service.res_users_portal_owner_demo")
        cls.unit = cls.env.ref("pm_customer_service.pm_unit_demo_lsg-b1_101")

    def _submit(self, files, subject="Stair light out"):
        """The request form filled in by the owner and sent with ``files``: the
        response and the case it made, if any."""
        self.authenticate(OWNER, OWNER)
        page = self.url_open("/my/cases/new")
        self.assertEqual(page.status_code, 200)
        key = FORM_KEY_RE.search(page.text).group(1)
        res = self.url_open(
            "/my/cases/submit",
            data={
                "csrf_token": CSRF_RE.search(page.text).group(1),
                "form_key": key,
                "unit_id": self.unit.id,
                "request_type": "help",
                "subject": subject,
                "description": "The light on floor 2 is out.",
            },
            files=files,
            allow_redirects=False,
        )
        return res, self.env["pm.case"].search([("portal_submit_key", "=", key)])

    def _assert_form_error(self, res, status, text):
        """The request form again, with its error in the owner's language."""
        self.assertEqual(res.status_code, status, res.text[:300])
        self.assertIn("o_pm_case_form", res.text)
        self.assertIn("o_pm_portal_error", res.text)
        self.assertIn(text, res.text)

    def test_pdf_of_the_documented_size(self):
        res, case = self._submit([("attachments", ("plan.pdf", pdf(10 * MB)))])
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(case.attachment_ids.mapped("file_size"), [10 * MB])
        self.assertEqual(case.attachment_ids.mimetype, "application/pdf")
        res, case = self._submit([("attachments", ("plan.pdf", pdf(10 * MB + 1)))])
        # "File plan.pdf is larger than 10.0 MB."
        self._assert_form_error(res, 400, "文件 plan.pdf 超过 10.0 MB")
        self.assertNotIn("is larger than", res.text)
        self.assertFalse(case)

    def test_files_each_at_the_limit_and_a_request_far_over(self):
        self.env["ir.config_parameter"].set_param(MAX_MB_PARAM, "1")
        files = [("attachments", (f"p{i}.pdf", pdf(MB))) for i in range(5)]
        res, case = self._submit(files)
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(case.attachment_ids.mapped("file_size"), [MB] * 5)
        # far more than five files of 1 MB and a form: refused unread
        attachments = self.env["ir.attachment"].search_count([])
        res, case = self._submit(
            [("attachments", ("scan.pdf", pdf(8 * MB)))], subject="Too large"
        )
        # "The files you sent are too large together: attach at most 5 files of
        # 1.0 MB each."
        self._assert_form_error(res, 413, "最多附加 5 个文件，每个不超过 1.0 MB")
        self.assertNotIn("too large together", res.text)
        self.assertFalse(case)
        self.assertFalse(self.env["pm.case"].search([("subject", "=", "Too large")]))
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_visitor_at_a_qr_code_keeps_the_place(self):
        """A visitor not logged in reports from the QR code of a common area:
        refused unread, the form shows the error at the same place."""
        self.env["ir.config_parameter"].set_param(MAX_MB_PARAM, "1")
        area = self.env.ref("pm_customer_service.pm_common_area_b1_lobby_demo")
        url = urlsplit(area._pm_qr_url())
        page = self.url_open(f"{url.path}?{url.query}")
        self.assertEqual(page.status_code, 200)
        action = html.unescape(FORM_ACTION_RE.search(page.text).group(1))
        self.assertIn(f"area={area.id}", action)
        res = self.url_open(
            action,
            data={
                "csrf_token": CSRF_RE.search(page.text).group(1),
                "form_key": FORM_KEY_RE.search(page.text).group(1),
                "location_type": "area",
                "common_area_id": area.id,
                "request_type": "help",
                "subject": "Lift light broken",
                "description": "The light of the lift lobby is off.",
                "phone": "138 0013 8000",
            },
            files=[("attachments", ("scan.pdf", pdf(8 * MB)))],
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 413, res.text[:300])
        self.assertIn("o_pm_portal_error", res.text)
        self.assertIn("1.0 MB", res.text)
        self.assertIn(f'name="area" value="{area.id}"', res.text)
        self.assertFalse(
            self.env["pm.case"].search([("subject", "=", "Lift light broken")])
        )
