# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import re

from odoo.tests import HttpCase

from .common import PmCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_KEY_RE = re.compile(r'name="form_key" value="([^"]+)"')
# a 1x1 PNG
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


class PortalCommon(PmCommon, HttpCase):
    """Owner Wang owns units A-101 and A-102, tenant Sun rents A-101, owner Li owns
    B-101; each has a portal login (password = login)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.unit_a2 = cls._occupied_unit(cls.building_a, "102", cls.owner)
        cls.tenant = cls.env["res.partner"].create(
            {"name": "Tenant Sun", "email": "sun@example.com"}
        )
        cls.unit_a.tenant_ids = cls.tenant
        cls.owner_2 = cls.env["res.partner"].create(
            {"name": "Owner Li", "email": "li@example.com"}
        )
        cls.unit_b.write({"owner_ids": [(6, 0, cls.owner_2.ids)], "state": "occupied"})
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.portal_owner, cls.portal_tenant, cls.portal_owner_2 = Users.create(
            [
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "group_ids": [(6, 0, portal.ids)],
                }
                for login, partner in (
                    ("pm_p_owner", cls.owner),
                    ("pm_p_tenant", cls.tenant),
                    ("pm_p_owner2", cls.owner_2),
                )
            ]
        )
        Case = cls.env["pm.case"]
        cls.case_a = Case.create(cls._case_vals(cls.unit_a, cls.owner, "Leak A-101"))
        cls.case_a2 = Case.create(cls._case_vals(cls.unit_a2, cls.owner, "Noise A-102"))
        cls.case_b = Case.create(cls._case_vals(cls.unit_b, cls.owner_2, "Door B-101"))

    @classmethod
    def _case_vals(cls, unit, partner, subject, **extra):
        return dict(
            subject=subject,
            description=f"{subject}: please check.",
            property_id=unit.property_id.id,
            unit_id=unit.id,
            partner_id=partner.id,
            **extra,
        )

    def _case_post_data(self, csrf, key, **values):
        """The new-request form as owner Wang fills it in for unit A-101."""
        return {
            "csrf_token": csrf,
            "form_key": key,
            "unit_id": self.unit_a.id,
            "request_type": "help",
            "subject": "Stair light out",
            "description": "The light on floor 2 is out.",
            **values,
        }

    def _form_tokens(self, url):
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200, res.text[:500])
        return CSRF_RE.search(res.text).group(1), FORM_KEY_RE.search(res.text).group(1)

    def _csrf(self, url):
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        return CSRF_RE.search(res.text).group(1)

    def _assert_listed(self, url, shown, hidden):
        """The page ``url`` lists the records ``shown`` and not ``hidden``."""
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        for record in shown:
            self.assertIn(record.name, res.text)
        for record in hidden:
            self.assertNotIn(record.name, res.text)

    def _post_form(self, url, csrf, **data):
        """``data`` posted to ``url`` with the CSRF token ``csrf``, the redirect not
        followed."""
        return self.url_open(
            url, data={"csrf_token": csrf, **data}, allow_redirects=False
        )

    def _post_from_page(self, page, action, **data):
        """``data`` posted to the action ``action`` of the page ``page`` with the
        page's CSRF token: redirected back (303)."""
        res = self._post_form(f"{page}/{action}", self._csrf(page), **data)
        self.assertEqual(res.status_code, 303)

    def _submit_form(self, form_url, files=None, allow_redirects=True, **values):
        """The new-request form at ``form_url`` filled in (``_case_post_data``
        with ``values``) and submitted: the response and the case it made, if
        any."""
        csrf, key = self._form_tokens(form_url)
        res = self.url_open(
            "/my/cases/submit",
            data=self._case_post_data(csrf, key, **values),
            files=files,
            allow_redirects=allow_redirects,
        )
        return res, self.env["pm.case"].search([("portal_submit_key", "=", key)])

    def _portal_counter(self, counter):
        """The count ``counter`` of the portal home page, as its page asks for it."""
        res = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": [counter]}}),
            headers={"Content-Type": "application/json"},
        )
        return res.json()["result"][counter]
