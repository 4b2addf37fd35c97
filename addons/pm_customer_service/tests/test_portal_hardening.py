# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Records that hold: owner decisions come from the owner only, bad input and
image bombs never crash the portal, internal fields stay internal (R-OWNER-1,
R-FLOW-2, SPEC §10)."""

import io

from PIL import Image

from odoo.exceptions import AccessError
from odoo.tests import BaseCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.pm_base.tools import images

from .common import about
from .portal_common import PNG, PortalCommon

INTERNAL_FIELDS = ("investigation_facts", "investigation_cause", "proposed_solution")


def png(size, mode="1"):
    """A PNG of ``size`` pixels; a blank one compresses to a few KB whatever its
    header claims (the decompression bomb of the probe)."""
    output = io.BytesIO()
    Image.new(mode, size).save(output, format="PNG")
    return output.getvalue()


@tagged("post_install", "-at_install", "security")
class TestPortalHardening(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stage = cls.env["pm.case.stage"]._for_state("confirmation")
        cls.case_a.sudo().write(
            {
                "stage_id": stage.id,
                "user_id": cls.user_technician.id,
                "investigation_facts": "Joint cracked behind the wall.",
                "investigation_cause": "Contractor used the wrong fitting.",
                "proposed_solution": "Replace at our cost.",
                "decision_measures": "Replace the fitting.",
                "decision_deadline": "2030-01-31",
            }
        )

    def _messages(self, case):
        return self.env["mail.message"].search(about(case))

    def _message_with(self, case, text):
        """The messages of ``case`` that say ``text``."""
        return self._messages(case).filtered(lambda m: text in (m.body or ""))

    def _post_confirm(self, case, data):
        csrf = self._csrf("/web/login")
        return self._post_form(f"/my/cases/{case.id}/confirm", csrf, **data)

    def _submit_case(self, **extra):
        return self._submit_form(
            "/my/cases/new",
            **{
                "request_type": "complaint",
                "subject": "Lift noise",
                "description": "The lift squeaks.",
                **extra,
            },
        )

    # ------------------------------------------------------------
    # R-OWNER-1: owner decisions
    # ------------------------------------------------------------

    def test_staff_session_cannot_confirm_or_reopen(self):
        # a technician of the property (who can read the case) posts the owner's
        # portal actions, with and without the owner's token: refused
        self.authenticate("pm_t_tech", "pm_t_tech")
        before = len(self._messages(self.case_a))
        res = self._post_confirm(self.case_a, {"satisfaction": "5"})
        self.assertEqual(res.status_code, 403)
        self.assertIn("Record Owner Decision", res.text)
        token = self.case_a._portal_ensure_token()
        res = self._post_confirm(
            self.case_a, {"satisfaction": "5", "access_token": token}
        )
        self.assertEqual(res.status_code, 403)
        res = self._post_form(
            f"/my/cases/{self.case_a.id}/reopen",
            self._csrf("/web/login"),
            reason="Staff says so",
        )
        self.assertEqual(res.status_code, 403)
        self.assertEqual(self.case_a.state, "confirmation")
        self.assertFalse(self.case_a.satisfaction)
        self.assertEqual(self.case_a.reopen_count, 0)
        self.assertEqual(len(self._messages(self.case_a)), before)

    def test_staff_cannot_record_the_rating_by_rpc(self):
        self.authenticate("pm_t_agent", "pm_t_agent")
        calls = (
            ("write", [[self.case_a.id], {"satisfaction": "5"}]),
            ("_pm_portal_confirm", [[self.case_a.id], self.owner.id, "5", ""]),
            ("_pm_owner_satisfied", [[self.case_a.id]]),
        )
        for method, args in calls:
            with (
                self.subTest(method=method),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException),
            ):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/pm.case/{method}",
                    {"model": "pm.case", "method": method, "args": args},
                )
        self.assertFalse(self.case_a.satisfaction)
        self.assertEqual(self.case_a.state, "confirmation")
        # the same in Python, as the agent: the field is the owner's
        with self.assertRaises(AccessError):
            self.case_a.with_user(self.user_agent).write({"satisfaction": "5"})

    def test_owner_decision_authored_by_the_owner(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        before = self._messages(self.case_a)
        res = self._post_confirm(self.case_a, {"satisfaction": "5"})
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(self.case_a.state, "return_visit")
        self.assertEqual(self.case_a.satisfaction, "5")
        rating = self._message_with(self.case_a, "Owner's rating")
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.author_id, self.owner)
        # every message of the decision (rating, stage change) names the owner
        self.assertEqual((self._messages(self.case_a) - before).author_id, self.owner)

    def test_token_link_decision_authored_by_the_owner(self):
        token = self.case_a._portal_ensure_token()
        csrf = self._csrf("/web/login")
        res = self._post_form(
            f"/my/cases/{self.case_a.id}/reopen",
            csrf,
            access_token=token,
            reason="Still wet",
        )
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(
            (self.case_a.state, self.case_a.reopen_count), ("processing", 1)
        )
        message = self._message_with(self.case_a, "reopened")
        self.assertEqual(message.author_id, self.owner)

    def test_staff_record_a_phone_decision_naming_the_channel(self):
        Wizard = self.env["pm.case.owner.decision"]
        # a technician is no customer-service agent: no wizard
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_technician).create(
                {
                    "case_id": self.case_a.id,
                    "channel": "phone",
                    "satisfaction": "5",
                }
            )
        # an agent of another property cannot record on this case
        outsider = self.env["res.users"].create(
            {
                "login": "pm_t_agent_b",
                "name": "Agent B",
                "group_ids": [(6, 0, self.env.ref("pm_base.group_pm_agent").ids)],
                "pm_property_ids": [(6, 0, self.property_b.ids)],
            }
        )
        wizard = Wizard.with_user(outsider).create(
            {"case_id": self.case_a.id, "channel": "phone", "satisfaction": "5"}
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(self.case_a.satisfaction)
        wizard = Wizard.with_user(self.user_agent).create(
            {
                "case_id": self.case_a.id,
                "channel": "paper",
                "satisfaction": "4",
                "witness_name": "Guard Zhao",
            }
        )
        wizard.action_confirm()
        self.assertEqual(self.case_a.satisfaction, "4")
        self.assertEqual(self.case_a.state, "return_visit")
        message = self._message_with(self.case_a, "Owner's rating")
        self.assertEqual(message.author_id, self.user_agent.partner_id)
        self.assertIn("on paper", message.body)
        self.assertIn("Guard Zhao", message.body)

    # ------------------------------------------------------------
    # SPEC §10: bad input never gives a server error
    # ------------------------------------------------------------

    def test_control_characters_in_text_fields(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for field, value in (
            ("subject", "Lift\x00noise"),
            ("description", "Squeaks\x00\x00"),
            ("description", "Bell \x07 rings"),
        ):
            with self.subTest(field=field):
                res, case = self._submit_case(**{field: value})
                self.assertEqual(res.status_code, 400)
                self.assertIn("control characters", res.text)
                self.assertFalse(case)
        res = self._post_confirm(self.case_a, {"satisfaction": "1", "comment": "a\x00"})
        self.assertEqual(res.status_code, 400)
        self.assertEqual(self.case_a.state, "confirmation")
        # tabs and line breaks are ordinary text
        res, case = self._submit_case(description="Line 1\r\n\tLine 2")
        self.assertEqual(len(case), 1, res.text[:300])

    def test_malformed_ids(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for url in (
            "/my/cases/%00",
            "/my/cases/1%00",
            "/my/cases/abc",
            "/my/cases/99999999999999999999",
            f"/my/cases/{self.case_b.id}?access_token=%00",
        ):
            res = self.url_open(url, allow_redirects=False)
            self.assertIn(res.status_code, (303, 404), url)
        res = self._post_form(
            "/my/cases/99999999999999999999/confirm",
            self._csrf("/web/login"),
            satisfaction="5",
        )
        self.assertEqual(res.status_code, 303)
        for unit_id in ("1\x00", "x", "99999999999999999999", "-1"):
            with self.subTest(unit_id=unit_id):
                res, case = self._submit_case(unit_id=unit_id)
                self.assertEqual(res.status_code, 400)
                self.assertFalse(case)

    def test_image_bombs_refused_from_the_header(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        # above Pillow's own limit (225 MP), and below it but above ours (169 MP)
        for size in ((15000, 15000), (13000, 13000)):
            with self.subTest(size=size):
                res, case = self._submit_case(
                    files={"attachments": ("photo.png", png(size))}
                )
                self.assertEqual(res.status_code, 400)
                self.assertIn("megapixels", res.text)
                self.assertFalse(case)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "pm.case"), ("name", "=", "photo.png")]
            )
        )

    def test_large_photo_downscaled_once(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res, case = self._submit_case(
            files={"attachments": ("wall.png", png((4000, 3000), "RGB"))}
        )
        self.assertEqual(res.status_code, 200, res.text[:300])
        self.assertEqual(len(case.attachment_ids), 1)
        with Image.open(io.BytesIO(case.attachment_ids.raw)) as image:
            self.assertEqual(image.size, (1920, 1440))

    def test_pixel_limit_is_configuration(self):
        self.env["ir.config_parameter"].set_param(
            "pm_customer_service.image_max_megapixels", "0.5"
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        res, case = self._submit_case(
            files={"attachments": ("wall.png", png((1000, 1000), "RGB"))}
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("0.5 megapixels", res.text)
        self.assertFalse(case)
        res, case = self._submit_case(files={"attachments": ("dot.png", PNG)})
        self.assertEqual(len(case.attachment_ids), 1)

    # ------------------------------------------------------------
    # SPEC §10: internal fields are not for the portal
    # ------------------------------------------------------------

    def test_portal_rpc_cannot_read_internal_fields(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for fname in (*INTERNAL_FIELDS, "escalation_level", "door_visit_reason"):
            with (
                self.subTest(field=fname),
                mute_logger("odoo.http"),
                self.assertRaises(JsonRpcException),
            ):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/pm.case/read",
                    {
                        "model": "pm.case",
                        "method": "read",
                        "args": [[self.case_a.id], [fname]],
                        "kwargs": {},
                    },
                )
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/pm.case/search_read",
            {
                "model": "pm.case",
                "method": "search_read",
                "args": [[("id", "=", self.case_a.id)]],
                "kwargs": {},
            },
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["subject"], "Leak A-101")
        for fname in INTERNAL_FIELDS:
            self.assertNotIn(fname, rows[0])
        # the owner's page still shows the case (read with sudo)
        res = self.url_open(f"/my/cases/{self.case_a.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Leak A-101", res.text)
        self.assertNotIn("wrong fitting", res.text)


@tagged("security")
class TestImageRules(BaseCase):
    """The image checks without a database: format from the bytes, pixels from
    the header, one bounded decode."""

    def test_rejections(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        cases = (
            (svg, images.SIGNATURE_FORMATS, "format"),
            (b"\x00" * 2048, images.PHOTO_FORMATS, "format"),
            (PNG[:30], images.SIGNATURE_FORMATS, "corrupt"),
            (png((15000, 15000)), images.PHOTO_FORMATS, "pixels"),
            (png((3000, 2000)), images.SIGNATURE_FORMATS, "pixels"),
        )
        for data, formats, reason in cases:
            with (
                self.subTest(reason=reason),
                self.assertRaises(images.ImageRejected) as caught,
            ):
                images.normalize(data, formats, 4e6, 0)
            self.assertEqual(caught.exception.reason, reason)

    def test_accepted(self):
        data, mimetype = images.normalize(PNG, images.SIGNATURE_FORMATS, 4e6, 0)
        self.assertEqual((data, mimetype), (PNG, "image/png"))
        output = io.BytesIO()
        Image.new("RGB", (3000, 1500), "red").save(output, format="JPEG")
        data, mimetype = images.normalize(
            output.getvalue(), images.PHOTO_FORMATS, 40e6, 1920
        )
        self.assertEqual(mimetype, "image/jpeg")
        with Image.open(io.BytesIO(data)) as image:
            self.assertEqual(image.size, (1920, 960))
