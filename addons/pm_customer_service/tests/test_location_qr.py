# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reporting from a place: the owner's unit or a common-area point, chosen on
the new request form or filled in by a scanned QR code whose URL is signed; a
visitor not logged in reports a common area with a mobile number, a few times an
hour at most (R-INTAKE-2, R-INTAKE-3, SPEC §10)."""

import re
import shutil
import unittest
from urllib.parse import urlsplit

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import pdf_images, pdf_to_text
from .portal_common import CSRF_RE, FORM_KEY_RE, PortalCommon


@tagged("post_install", "-at_install", "security")
class TestLocationQr(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Area = cls.env["pm.common.area"]
        cls.area_lobby = Area.create(
            {"name": "Lift Lobby", "code": "A1-LL", "building_id": cls.building_a.id}
        )
        cls.area_car_park = Area.create(
            {"name": "Car Park", "code": "P1", "property_id": cls.property_a.id}
        )
        cls.area_b = Area.create(
            {"name": "Lobby B", "code": "B1-LL", "building_id": cls.building_b.id}
        )

    def _qr_path(self, place):
        url = urlsplit(place._pm_qr_url())
        return f"{url.path}?{url.query}"

    def _cases(self, **domain):
        return self.env["pm.case"].search(
            [(key, "=", value) for key, value in domain.items()]
        )

    def _visitor_submit(self, place_path, **extra):
        """Open a QR code's form without logging in and send it."""
        res = self.url_open(place_path)
        self.assertEqual(res.status_code, 200, res.text[:300])
        data = {
            "csrf_token": CSRF_RE.search(res.text).group(1),
            "form_key": FORM_KEY_RE.search(res.text).group(1),
            "request_type": "help",
            "subject": "Lift light broken",
            "description": "The light of the lift lobby is off.",
            "phone": "138 0013 8000",
        }
        for name in ("area", "qr"):
            found = re.search(rf'name="{name}" value="([^"]*)"', res.text)
            if found:
                data[name] = found.group(1)
        # a common area's code: the form shows the area chosen and selected
        self.assertRegex(res.text, r'value="area"( checked="[^"]*")?/>')
        data["location_type"] = "area"
        selected = re.search(r'<option value="(\d+)" selected=', res.text)
        if selected:
            data["common_area_id"] = selected.group(1)
        data.update(extra)
        return self.url_open("/my/cases/submit", data=data, allow_redirects=False)

    # ------------------------------------------------------------
    # the model
    # ------------------------------------------------------------

    def test_area_follows_its_building(self):
        self.assertEqual(self.area_lobby.property_id, self.property_a)
        self.assertEqual(self.area_lobby.display_name, "A1 / Lift Lobby")
        with self.assertRaises(ValidationError):
            self.area_car_park.write(
                {"building_id": self.building_b.id, "property_id": self.property_a.id}
            )

    def test_case_is_about_a_unit_or_a_common_area(self):
        vals = self._case_vals(self.unit_a, self.owner, "Both")
        with self.assertRaisesRegex(ValidationError, "choose one"):
            self.env["pm.case"].create({**vals, "common_area_id": self.area_lobby.id})
        vals.pop("unit_id")
        with self.assertRaisesRegex(ValidationError, "is not in property"):
            self.env["pm.case"].create({**vals, "common_area_id": self.area_b.id})
        case = self.env["pm.case"].create(
            {**vals, "common_area_id": self.area_lobby.id}
        )
        self.assertEqual(case.common_area_id, self.area_lobby)

    def test_staff_see_the_areas_of_their_properties(self):
        self.user_technician.pm_property_ids = self.property_b
        Area = self.env["pm.common.area"].with_user(self.user_technician)
        self.assertEqual(Area.search([]), self.area_b)
        with self.assertRaises(AccessError):
            Area.create({"name": "Roof", "property_id": self.property_b.id})
        with self.assertRaises(AccessError):
            self.area_b.with_user(self.portal_owner).read(["name"])

    def test_qr_signature(self):
        QrMixin = self.env["pm.location.qr.mixin"]
        sig = self.area_lobby._pm_qr_signature()
        # a keyed hash, not the id: each place has its own
        self.assertRegex(sig, r"^[0-9a-f]{32}$")
        self.assertNotEqual(sig, self.area_b._pm_qr_signature())
        self.assertEqual(
            QrMixin._pm_qr_location("area", str(self.area_lobby.id), sig),
            self.area_lobby,
        )
        # another place, another kind, a changed signature, an archived place
        self.assertFalse(QrMixin._pm_qr_location("area", str(self.area_b.id), sig))
        self.assertFalse(QrMixin._pm_qr_location("unit", str(self.area_lobby.id), sig))
        altered = sig[:-1] + ("1" if sig.endswith("0") else "0")
        self.assertFalse(
            QrMixin._pm_qr_location("area", str(self.area_lobby.id), altered)
        )
        self.assertFalse(QrMixin._pm_qr_location("area", "1\x00", sig))
        self.area_lobby.active = False
        self.assertFalse(QrMixin._pm_qr_location("area", str(self.area_lobby.id), sig))

    # ------------------------------------------------------------
    # logged-in owners
    # ------------------------------------------------------------

    def test_owner_scans_the_qr_code_of_a_unit(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open(self._qr_path(self.unit_a2))
        self.assertEqual(res.status_code, 200)
        self.assertRegex(res.text, rf'<option value="{self.unit_a2.id}" selected=')
        self.assertNotIn("pm_visitor_phone", res.text)
        # a changed code fills in nothing and says so
        res = self.url_open(self._qr_path(self.unit_a2)[:-2] + "00")
        self.assertIn("This QR code is not valid", res.text)
        self.assertNotRegex(res.text, r'<option value="\d+" selected=')

    def test_owner_reports_a_common_area_from_its_qr_code(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self._visitor_submit(self._qr_path(self.area_lobby), location="3F")
        self.assertEqual(res.status_code, 303, res.text[:500])
        case = self._cases(subject="Lift light broken")
        self.assertEqual(case.common_area_id, self.area_lobby)
        self.assertFalse(case.unit_id)
        self.assertEqual(
            (case.partner_id, case.channel, case.location),
            (self.owner, "qr_code", "3F"),
        )

    def test_owner_chooses_a_common_area_of_their_property(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open("/my/cases/new")
        self.assertIn("pm_loc_type_area", res.text)
        self.assertIn("Car Park", res.text)
        self.assertNotIn("Lobby B", res.text)
        csrf, key = (
            CSRF_RE.search(res.text).group(1),
            FORM_KEY_RE.search(res.text).group(1),
        )
        data = {
            "csrf_token": csrf,
            "form_key": key,
            "request_type": "complaint",
            "subject": "Car park dark",
            "description": "Half of the lights are off.",
            "location_type": "area",
            "unit_id": self.unit_a.id,
            "common_area_id": self.area_b.id,
        }
        res = self.url_open("/my/cases/submit", data=data)
        self.assertEqual(res.status_code, 400)
        self.assertIn("Choose the common area", res.text)
        data["common_area_id"] = self.area_car_park.id
        res = self.url_open("/my/cases/submit", data=data, allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        case = self._cases(portal_submit_key=key)
        self.assertEqual(
            (case.common_area_id, case.unit_id, case.channel),
            (self.area_car_park, self.env["pm.unit"], "portal"),
        )

    # ------------------------------------------------------------
    # visitors not logged in
    # ------------------------------------------------------------

    def test_visitor_needs_login_for_a_unit(self):
        for path in (
            "/my/cases/new",
            self._qr_path(self.unit_a),
            self._qr_path(self.area_lobby)[:-2] + "00",
        ):
            with self.subTest(path=path):
                res = self.url_open(path, allow_redirects=False)
                self.assertEqual(res.status_code, 303)
                # Odoo's login, or the owners' phone sign-in when pm_channel is there
                self.assertRegex(
                    res.headers["Location"], r"/web/login(/phone)?\?redirect="
                )
        res = self.url_open(
            "/my/cases/submit",
            data={"csrf_token": self._csrf("/web/login"), "subject": "x"},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)
        self.assertFalse(self._cases(subject="x"))

    def test_visitor_reports_a_common_area(self):
        res = self._visitor_submit(self._qr_path(self.area_lobby))
        self.assertEqual(res.status_code, 200, res.text[:500])
        case = self._cases(subject="Lift light broken")
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, res.text)
        self.assertEqual(
            (case.common_area_id, case.property_id, case.channel),
            (self.area_lobby, self.property_a, "qr_code"),
        )
        self.assertFalse(case.partner_id)
        self.assertEqual(case.contact_info, "13800138000")
        self.assertTrue(case.to_acknowledge)
        self.assertTrue(case.reporter_ip)

    def test_visitor_phone_must_be_a_chinese_mobile(self):
        for phone in ("", "12345", "1380013800", "23800138000", "138001380001", "abc"):
            with self.subTest(phone=phone):
                res = self._visitor_submit(self._qr_path(self.area_lobby), phone=phone)
                self.assertEqual(res.status_code, 400)
                self.assertIn("mobile number (11 digits)", res.text)
        self.assertFalse(self._cases(subject="Lift light broken"))
        res = self._visitor_submit(
            self._qr_path(self.area_lobby), phone="+86 139-0000-0000"
        )
        self.assertEqual(res.status_code, 200)
        self.assertEqual(
            self._cases(subject="Lift light broken").contact_info, "13900000000"
        )

    def test_visitor_cannot_move_the_report_to_another_place(self):
        res = self._visitor_submit(
            self._qr_path(self.area_lobby),
            area=str(self.area_b.id),
            common_area_id=str(self.area_b.id),
        )
        self.assertEqual(res.status_code, 303)  # the signature is the lobby's
        res = self._visitor_submit(
            self._qr_path(self.area_lobby), common_area_id=str(self.area_b.id)
        )
        self.assertEqual(res.status_code, 200)
        self.assertEqual(
            self._cases(subject="Lift light broken").common_area_id, self.area_lobby
        )

    def test_visitor_reports_are_rate_limited(self):
        set_param = self.env["ir.config_parameter"].set_param
        set_param("pm_customer_service.qr_reports_per_phone_hour", 2)
        path = self._qr_path(self.area_car_park)
        for _i in range(2):
            self.assertEqual(self._visitor_submit(path).status_code, 200)
        res = self._visitor_submit(path)
        self.assertEqual(res.status_code, 429)
        self.assertIn("Too many reports", res.text)
        self.assertEqual(len(self._cases(subject="Lift light broken")), 2)
        # another phone from the same network, under the network's own limit
        set_param("pm_customer_service.qr_reports_per_ip_hour", 3)
        self.assertEqual(
            self._visitor_submit(path, phone="13900000000").status_code, 200
        )
        res = self._visitor_submit(path, phone="13700000000")
        self.assertEqual(res.status_code, 429)
        self.assertEqual(len(self._cases(subject="Lift light broken")), 3)

    # ------------------------------------------------------------
    # the printed sheet
    # ------------------------------------------------------------

    @unittest.skipUnless(shutil.which("pdfimages"), "poppler-utils missing")
    def test_qr_sheet_pdf(self):
        self.env.ref("base.lang_zh_CN").active = True
        self.env.user.lang = "zh_CN"
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "pm_base.action_report_pm_building_qr", self.building_a.ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf_to_text(pdf)
        for label in ("101", "102", "Lift Lobby", "Car Park", "扫码报事报修"):
            self.assertIn(label, text)
        self.assertNotIn("Lobby B", text)
        images = pdf_images(pdf)
        # one QR code per unit and per common-area point, big enough to scan
        self.assertEqual(len(images), 4)
        for line in images:
            width, height = (int(v) for v in line.split()[3:5])
            self.assertGreaterEqual(min(width, height), 200)
