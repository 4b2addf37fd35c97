# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Photos before and after the work: the technician's on the form, the owner's
from the repair page, all checked as images; a category may require a photo
after the work to complete an order (R-REP-4, SPEC §10)."""

import io

from PIL import Image

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon
from odoo.addons.pm_customer_service.tests.test_portal_hardening import png

from . import test_portal
from .common import RepairCommon


def _attachment(env, name, data):
    return env["ir.attachment"].create({"name": name, "raw": data})


@tagged("post_install", "-at_install")
class TestRepairPhotos(RepairCommon):
    def test_after_photo_required_to_complete(self):
        self.cat_water.require_after_photo = True
        order = self._order()
        tech = order.with_user(self.user_technician)
        for action in ("action_dispatch", "action_take"):
            getattr(tech, action)()
        # on site: the technician scans the QR code at the unit (issue 21)
        tech.env["pm.repair.order"]._pm_arrive_at_place(self.unit_a)
        tech.write({"diagnosis": "Worn washer", "plan": "Replace it"})
        tech.action_diagnose()
        tech.action_propose_plan()
        self.assertEqual(order.state, "in_progress")
        before = _attachment(tech.env, "before.png", png((40, 30), "RGB"))
        tech.photo_before_ids = before
        with self.assertRaisesRegex(UserError, "photo after the work"):
            tech.action_done()
        self.assertEqual(order.state, "in_progress")
        tech.photo_after_ids = _attachment(tech.env, "after.png", png((40, 30), "RGB"))
        tech.action_done()
        self.assertEqual(order.state, "done")
        self.assertEqual(order.photo_before_ids, before)
        self.assertNotIn(before, order.photo_after_ids)

    def test_photos_are_checked_images(self):
        order = self._order().with_user(self.user_technician)
        bad = {
            "text": b"not an image",
            "svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "tiff": b"II*\x00" + b"\x00" * 64,
        }
        for label, data in bad.items():
            with self.subTest(label), self.assertRaises(UserError):
                order.photo_before_ids = _attachment(order.env, f"{label}.png", data)
        self.assertFalse(order.photo_before_ids)
        # a big photo is downscaled to the configured side
        order.photo_after_ids = _attachment(order.env, "big.png", png((4000, 3000)))
        size = Image.open(io.BytesIO(order.photo_after_ids.raw)).size
        self.assertEqual(size, (1920, 1440))
        self.assertEqual(order.photo_after_ids.mimetype, "image/png")


@tagged("post_install", "-at_install", "security")
class TestRepairPortalPhotos(PortalCommon):
    _order = test_portal.TestRepairPortal.__dict__["_order"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("pm_repair.pm_repair_category_water")
        cls.order_p = cls._order(cls.unit_a, "quoted", quote_state="sent")
        cls.order_d = cls._order(cls.unit_a, "done")

    def _upload(self, order, files, token=None):
        data = {"csrf_token": self._csrf("/web/login")}
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/repairs/{order.id}/photos",
            data=data,
            files=files,
            allow_redirects=False,
        )

    def test_owner_adds_photos_before_and_after(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        photo = ("leak.jpg", png((60, 40), "RGB"), "image/png")
        res = self._upload(self.order_p, [("attachments", photo)])
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(len(self.order_p.photo_before_ids), 1)
        self.assertFalse(self.order_p.photo_after_ids)
        res = self._upload(
            self.order_d, [("attachments", photo), ("attachments", photo)]
        )
        self.assertEqual(res.status_code, 303)
        self.assertEqual(len(self.order_d.photo_after_ids), 2)
        message = self.order_d.message_ids.filtered(
            lambda m: "after the work" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)
        page = self.url_open(self.order_d.get_portal_url()).text
        self.assertIn("After the work", page)
        self.assertIn(f"/web/image/{self.order_d.photo_after_ids[0].id}/", page)

    def test_owner_photo_through_the_token_link(self):
        token = self.order_d._portal_ensure_token()
        res = self._upload(
            self.order_d,
            [("attachments", ("a.png", png((20, 20)), "image/png"))],
            token,
        )
        self.assertEqual(res.status_code, 303)
        self.assertEqual(len(self.order_d.photo_after_ids), 1)

    def test_bad_photos_and_other_people(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for files in (
            [("attachments", ("x.pdf", b"%PDF-1.4 test", "application/pdf"))],
            [("attachments", ("bomb.png", png((15000, 15000)), "image/png"))],
            [],
        ):
            with self.subTest(files=str(files)[:40]):
                res = self._upload(self.order_p, files)
                self.assertEqual(res.status_code, 400)
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        photo = [("attachments", ("a.png", png((20, 20)), "image/png"))]
        self.assertEqual(self._upload(self.order_p, photo).status_code, 303)
        token = self.order_p._portal_ensure_token()
        self.assertEqual(self._upload(self.order_p, photo, token).status_code, 403)
        self.authenticate("pm_t_tech", "pm_t_tech")
        self.assertEqual(self._upload(self.order_p, photo, token).status_code, 403)
        self.assertFalse(self.order_p.photo_before_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "pm.repair.order"),
                    ("res_id", "=", self.order_p.id),
                ]
            )
        )
