# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The size of the photos an owner adds from a repair order's page (R-REP-4,
SPEC §10): a file of the documented size (10 MB) is read and checked by the
form, one byte more gets the form's own error, and a request far larger than
the form takes is refused with the form's error too, never Odoo's error page."""

import io

from PIL import Image

from odoo.tests import HttpCase, tagged

from odoo.addons.pm_customer_service.tests.portal_common import CSRF_RE
from odoo.addons.pm_customer_service.tests.test_portal_upload_size import (
    MAX_MB_PARAM,
    MB,
    OWNER,
    pdf,
)


def jpeg(size):
    """A small photo padded to exactly ``size`` bytes after its end (what a
    phone's camera may leave there), without a line break in the padding."""
    output = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(output, format="JPEG")
    data = output.getvalue()
    return data + b"0" * (size - len(data))


@tagged("post_install", "-at_install", "security")
class TestRepairPhotoSize(HttpCase):
    """As the demo owner of B1-101 (portal, reads Chinese), on an order of the
    unit waiting for its technician."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        unit = cls.env.ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        cls.order = cls.env["pm.repair.order"].create(
            {
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "category_id": cls.env.ref("pm_repair.pm_repair_category_water").id,
                "description": "The kitchen tap drips.",
            }
        )

    def _upload(self, files, token=None):
        url = f"/my/repairs/{self.order.id}"
        query = f"?access_token={token}" if token else ""
        page = self.url_open(url + query)
        self.assertEqual(page.status_code, 200)
        return self.url_open(
            f"{url}/photos{query}",
            data={"csrf_token": CSRF_RE.search(page.text).group(1)},
            files=files,
            allow_redirects=False,
        )

    def _assert_page_error(self, res, status, text):
        """The order's page again, with the error in the owner's language."""
        self.assertEqual(res.status_code, status, res.text[:300])
        self.assertIn("o_pm_photo_form", res.text)
        self.assertIn(text, res.text)
        self.assertFalse(self.order.photo_before_ids)

    def test_photo_of_the_documented_size(self):
        self.authenticate(OWNER, OWNER)
        res = self._upload([("attachments", ("big.pdf", pdf(10 * MB)))])
        # "Add photos only (PNG, JPEG, GIF or WebP)."
        self._assert_page_error(res, 400, "只能添加照片")
        res = self._upload([("attachments", ("tap.jpg", jpeg(10 * MB + 1)))])
        # "File tap.jpg is larger than 10.0 MB."
        self._assert_page_error(res, 400, "文件 tap.jpg 超过 10.0 MB")
        res = self._upload([("attachments", ("tap.jpg", jpeg(10 * MB)))])
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(self.order.photo_before_ids.mapped("file_size"), [10 * MB])

    def test_request_far_over_the_form(self):
        self.env["ir.config_parameter"].set_param(MAX_MB_PARAM, "1")
        photos = [("attachments", ("tap.jpg", jpeg(8 * MB)))]
        self.authenticate(OWNER, OWNER)
        # "The files you sent are too large together: attach at most 5 files of
        # 1.0 MB each."
        self._assert_page_error(self._upload(photos), 413, "每个不超过 1.0 MB")
        # the owner's link of an email, not logged in: the token travels in the
        # form's address
        self.authenticate(None, None)
        token = self.order._portal_ensure_token()
        res = self._upload(photos, token)
        self._assert_page_error(res, 413, "1.0 MB")
        self.assertIn("o_pm_portal_error", res.text)
