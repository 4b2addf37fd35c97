# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The printed work order carries a QR code the technician scans on arrival,
logged in on the phone: the on-site time of the 10-minute target is stamped
once, only by the order's technician, its team leader or a manager (R-REP-2)."""

import shutil
import unittest
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.pm_customer_service.tests.common import pdf_images, pdf_to_text

from .common import RepairCommon


@tagged("post_install", "-at_install", "security")
class TestRepairArrival(RepairCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_technician_2 = cls._technician_a("pm_t_tech2", "Tech B")
        cls.owner_user = new_test_user(
            cls.env, "pm_t_portal", groups="base.group_portal", name="Portal"
        )

    def _dispatched(self, minutes_ago=4):
        order = self._order(team_id=self.team_engineering.id)
        order.action_dispatch()
        # dispatched a few minutes ago (the steps are the actions' to write)
        self.env.cr.execute(
            "UPDATE pm_repair_order SET intake_date = %s, dispatch_date = %s "
            "WHERE id = %s",
            (
                fields.Datetime.now() - timedelta(minutes=minutes_ago + 1),
                fields.Datetime.now() - timedelta(minutes=minutes_ago),
                order.id,
            ),
        )
        order.invalidate_recordset()
        return order

    def _scan(self, order, signature=None):
        path = urlsplit(order._pm_arrival_url())
        url = f"{path.path}?{path.query}"
        if signature is not None:
            url = f"{path.path}?qr={signature}"
        return self.url_open(url, allow_redirects=False)

    def test_technician_stamps_the_arrival_once(self):
        order = self._dispatched()
        self.authenticate("pm_t_tech", "pm_t_tech")
        res = self._scan(order)
        self.assertEqual(res.status_code, 200, res.text[:300])
        self.assertIn("o_pm_arrival_stamped", res.text)
        order.invalidate_recordset()
        self.assertEqual(order.state, "on_site")
        stamp = order.arrival_date
        self.assertTrue(stamp)
        # within 10 minutes of the dispatch: the on-site target is met
        self.assertEqual(order.target_on_site, "met")
        res = self._scan(order)
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_arrival_already", res.text)
        order.invalidate_recordset()
        self.assertEqual(order.arrival_date, stamp)

    def test_others_cannot_stamp(self):
        order = self._dispatched()
        self.authenticate("pm_t_tech2", "pm_t_tech2")
        res = self._scan(order)
        self.assertEqual(res.status_code, 403)
        self.assertIn("Only the technician of order", res.text)
        self.authenticate("pm_t_portal", "pm_t_portal")
        res = self._scan(order)
        self.assertEqual(res.status_code, 403)
        self.assertIn("staff account", res.text)
        self.authenticate(None, None)
        res = self._scan(order)
        self.assertEqual(res.status_code, 303)
        self.assertIn("/web/login", res.headers["Location"])
        order.invalidate_recordset()
        self.assertFalse(order.arrival_date)
        self.assertEqual(order.state, "dispatched")

    def test_team_leader_or_manager_stamps(self):
        order = self._dispatched()
        self.authenticate("pm_t_lead", "pm_t_lead")
        self.assertIn("o_pm_arrival_stamped", self._scan(order).text)
        order = self._dispatched()
        self.authenticate("pm_t_manager", "pm_t_manager")
        self.assertIn("o_pm_arrival_stamped", self._scan(order).text)

    def test_wrong_code_or_state(self):
        order = self._dispatched()
        other = self._dispatched()
        self.authenticate("pm_t_tech", "pm_t_tech")
        for signature in ("", "0" * 64, other._pm_arrival_signature()):
            with self.subTest(signature=signature):
                res = self._scan(order, signature)
                self.assertEqual(res.status_code, 404)
        res = self.url_open("/pm/repair/99999999999/arrive?qr=x")
        self.assertEqual(res.status_code, 404)
        new = self._order()
        res = self._scan(new)
        self.assertEqual(res.status_code, 400)
        self.assertIn("this step is not possible now", res.text)
        for record in (order, new):
            record.invalidate_recordset()
            self.assertFalse(record.arrival_date)

    @unittest.skipUnless(shutil.which("pdfimages"), "poppler-utils missing")
    def test_work_order_pdf_has_the_arrival_code(self):
        order = self._dispatched()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, _kind = report._render_qweb_pdf(
            "pm_repair.action_report_pm_repair_order", order.ids
        )
        self.assertIn("scan on arrival", pdf_to_text(pdf))
        images = pdf_images(pdf)
        # one code (300 px for 32 mm), on the service centre's copy only; the
        # other images are the company logos of the layout
        sizes = [tuple(int(v) for v in line.split()[3:5]) for line in images]
        self.assertEqual(sizes.count((300, 300)), 1, sizes)
