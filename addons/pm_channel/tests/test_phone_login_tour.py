# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 23 part 3 on a phone (390x844): the QR code of a unit scanned while
logged out leads to the sign-in by mobile number and SMS code, then back to the
request form with the unit filled in; the request submitted is the owner's."""

from unittest.mock import patch
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from ..tools import phone_login

CODE = "246810"


@tagged("pm_channel", "post_install", "-at_install")
class TestPhoneLoginTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.owner_user = cls.env.ref("pm_customer_service.res_users_portal_owner_demo")
        cls.owner = cls.owner_user.partner_id
        cls.owner.phone = "+86 138 0000 0000"
        cls.unit = cls.env.ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        cls.env.company.pm_sms_provider = "none"
        cls.env["pm.login.code"].sudo().search([]).unlink()
        cls.env["sms.sms"].sudo().search([]).unlink()

    def test_qr_scan_logged_out_to_submitted_request(self):
        qr = urlsplit(self.unit._pm_qr_url())
        # the code the SMS carries is known to the test (it types it in the tour)
        with patch.object(phone_login, "new_code", return_value=CODE):
            self.start_tour(f"{qr.path}?{qr.query}", "pm_phone_login_qr_tour")
        # the code came by SMS to the owner's number, through Odoo's queue
        sms = self.env["sms.sms"].sudo().search([("number", "=", "13800000000")])
        self.assertEqual(len(sms), 1)
        self.assertIn(CODE, sms.body)
        self.assertEqual(sms.partner_id, self.owner)
        code = (
            self.env["pm.login.code"]
            .sudo()
            .search([("user_id", "=", self.owner_user.id)])
        )
        self.assertEqual(len(code), 1)
        self.assertTrue(code.used)
        # the request exists, the owner's, on the scanned unit
        case = (
            self.env["pm.case"]
            .sudo()
            .search([("subject", "=", "Door lock broken QR tour")])
        )
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, self.owner)
        self.assertEqual(case.unit_id, self.unit)
        self.assertEqual(case.property_id, self.unit.property_id)
