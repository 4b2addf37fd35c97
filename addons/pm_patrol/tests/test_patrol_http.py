# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The patroller's phone over HTTP: the checkpoint's QR code scanned while
logged in records the visit; the finding's form refuses what is not an image;
a technician of another property is refused."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import PatrolCommon


@tagged("post_install", "-at_install")
class TestPatrolPhone(PatrolCommon, HttpCase):
    def setUp(self):
        super().setUp()
        # a round running now (the server thread keeps the real clock)
        now = fields.Datetime.now().replace(microsecond=0)
        start = now - timedelta(minutes=10)
        values = self.route.sudo()._pm_round_values(self.property_a._pm_today(), start)
        self.round = self.env["pm.patrol.round"].sudo().create(values)
        self.visit = self.round.visit_ids.sorted("sequence")[0]

    def _open(self, point, login):
        self.authenticate(login, login)
        url = urlsplit(point._pm_qr_url())
        return self.url_open(f"{url.path}?{url.query}")

    def test_scan_records_the_visit(self):
        res = self._open(self.points[0], "pm_t_tech")
        self.assertEqual(res.status_code, 200, res.text[:300])
        self.assertIn("o_pm_patrol_stamped", res.text)
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.state, "visited")
        self.assertEqual(self.visit.user_id, self.user_technician)
        self.assertTrue(self.visit.reached)
        stamp = self.visit.visit_time
        self.assertTrue(stamp)
        res = self._open(self.points[0], "pm_t_tech")
        self.assertIn("o_pm_patrol_already", res.text)
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.visit_time, stamp)
        # today's page lists the round, the round's page its checkpoints
        res = self.url_open("/pm/patrol")
        self.assertIn(f"/pm/patrol/round/{self.round.id}", res.text)
        res = self.url_open(f"/pm/patrol/round/{self.round.id}")
        for point in self.points:
            self.assertIn(point.name, res.text)
        # an altered code records nothing
        res = self.url_open(f"/pm/patrol/scan/{self.points[1].id}?qr=0123")
        self.assertEqual(res.status_code, 404)

    def test_photo_upload_refused_if_not_an_image(self):
        res = self._open(self.points[0], "pm_t_tech")
        token = re.search(r'name="csrf_token" value="([^"]+)"', res.text).group(1)
        url = f"/pm/patrol/visit/{self.visit.id}/report"
        data = {"csrf_token": token, "result": "abnormal", "note": "Door left open"}
        res = self.url_open(
            url, data=data, files={"photos": ("door.png", b"not an image", "image/png")}
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("o_pm_patrol_error", res.text)
        self.visit.invalidate_recordset()
        self.assertFalse(self.visit.result)
        self.assertFalse(self.visit.photo_ids)
        res = self.url_open(
            url, data=data, files={"photos": ("door.png", self.photo, "image/png")}
        )
        self.assertEqual(res.status_code, 200, res.text[:300])
        self.assertIn("o_pm_patrol_reported", res.text)
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.result, "abnormal")
        self.assertEqual(self.visit.note, "Door left open")
        self.assertEqual(self.visit.photo_ids.mimetype, "image/png")

    def test_technician_of_another_property_refused(self):
        tech_b = self._pm_user("pm_t_tech_b", "technician", name="Tech B")
        self.property_b.user_ids = [(4, tech_b.id)]
        res = self._open(self.points[0], "pm_t_tech_b")
        self.assertEqual(res.status_code, 403)
        self.assertIn("o_pm_patrol_error", res.text)
        res = self.url_open(f"/pm/patrol/visit/{self.visit.id}")
        self.assertEqual(res.status_code, 404)
        self.visit.invalidate_recordset()
        self.assertEqual(self.visit.state, "pending")
