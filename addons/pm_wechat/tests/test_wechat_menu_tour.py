# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 23 on a phone (390x844): logged out, an owner opens the account's menu
in WeChat; WeChat's sign-in (against the loopback WeChat, whose authorize page
sends the browser back with a code) signs them in and their requests are shown,
the first time after proving their mobile number with an SMS code."""

import os
from unittest.mock import patch
from urllib.parse import urlsplit

import odoo.http
from odoo.tests import HttpCase, tagged

from odoo.addons.pm_channel.tools import phone_login

from ..tools import wechat_api
from .wechat_server import WeChatServer

APP_ID = "wx1234567890abcdef"
APP_SECRET = "0123456789abcdef0123456789abcdef"
OPENID = "oWangWei-tour-000000000000000"
SUBJECT = "Balcony drain blocked WeChat tour"
CODE = "135790"


@tagged("pm_wechat", "post_install", "-at_install")
class TestWechatMenuTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.wechat = WeChatServer(APP_ID, APP_SECRET)
        cls.addClassCleanup(cls.wechat.stop)
        cls.company = cls.env.company
        cls.owner_user = cls.env.ref("pm_customer_service.res_users_portal_owner_demo")
        cls.owner = cls.owner_user.partner_id
        cls.owner.phone = "+86 138 0000 0000"
        cls.company.pm_sms_provider = "none"
        cls.env["pm.login.code"].sudo().search([]).unlink()
        cls.env["sms.sms"].sudo().search([]).unlink()
        admin = cls.env.ref("base.user_admin")
        cls.env["res.config.settings"].with_user(admin).create(
            {
                "pm_wechat_enabled": True,
                "pm_wechat_app_id": APP_ID,
                "pm_wechat_app_secret": APP_SECRET,
                "pm_wechat_token": "pmTokenOfTheServerUrl",
                "pm_wechat_endpoint": cls.wechat.url,
            }
        ).execute()
        unit = cls.env.ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        cls.case = cls.env["pm.case"].create(
            {
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "partner_id": cls.owner.id,
                "subject": SUBJECT,
                "description": "Water stands on the balcony after rain.",
                "request_type": "repair",
            }
        )

    def setUp(self):
        super().setUp()
        self.wechat.reset()
        # the phone in the test is the WeChat user opening the menu
        self.wechat.visitor = OPENID
        # WeChat's authorize page is the loopback server's (its API already is)
        self.startPatcher(
            patch.object(
                wechat_api.PmWeChatOAuth,
                "OAUTH_BASE_URL",
                self.wechat.url + "/connect/",
            )
        )

    def _menu_tour(self, tour):
        """Run ``tour`` from the account's menu link, logged out; return the
        users of the sessions signed in during it (on this database)."""
        store = odoo.http.root.session_store
        before = self._session_ids(store)
        self.start_tour(
            f"/pm_wechat/oauth?company={self.company.id}&redirect=/my/cases", tour
        )
        dbname = self.env.cr.dbname
        sessions = [store.get(sid) for sid in self._session_ids(store) - before]
        return {s.uid for s in sessions if s.get("db") == dbname and s.uid}

    def _session_ids(self, store):
        # Odoo's store spreads its files over sub-folders (its list() does not)
        return {
            name
            for _folder, _dirs, files in os.walk(store.path)
            for name in files
            if store.is_valid_key(name)
        }

    def _assert_went_through_wechat(self):
        # the browser went to WeChat's authorize page once, for this account,
        # and came back with a code that was exchanged once
        self.assertEqual(len(self.wechat.authorized), 1)
        authorize = self.wechat.authorized[0]
        self.assertEqual(authorize["appid"], APP_ID)
        self.assertEqual(authorize["scope"], "snsapi_base")
        self.assertEqual(
            urlsplit(authorize["redirect_uri"]).path, "/pm_wechat/oauth/callback"
        )
        self.assertEqual(len(self.wechat.oauth_calls), 1)
        self.assertEqual(self.wechat.codes, {})

    def test_bound_owner_signed_in_from_menu(self):
        self.owner._pm_wechat_bind(self.company, OPENID)
        users = self._menu_tour("pm_wechat_menu_bound_tour")
        self.assertEqual(users, {self.owner_user.id})
        self._assert_went_through_wechat()
        self.env.invalidate_all()
        self.assertEqual(self.owner.pm_wechat_openid, OPENID)
        self.assertEqual(self.owner.pm_wechat_company_id, self.company)
        # WeChat alone signed them in: no SMS code was asked for
        self.assertFalse(self.env["pm.login.code"].sudo().search([]))
        self.assertFalse(self.env["sms.sms"].sudo().search([]))

    def test_owner_bound_by_sms_code_from_menu(self):
        self.assertFalse(self.owner.pm_wechat_openid)
        with patch.object(phone_login, "new_code", return_value=CODE):
            users = self._menu_tour("pm_wechat_menu_bind_tour")
        self.assertEqual(users, {self.owner_user.id})
        self._assert_went_through_wechat()
        self.env.invalidate_all()
        self.assertEqual(self.owner.pm_wechat_openid, OPENID)
        self.assertEqual(self.owner.pm_wechat_company_id, self.company)
        # the code came by SMS to the owner's number and was used, once
        sms = self.env["sms.sms"].sudo().search([("number", "=", "13800000000")])
        self.assertEqual(len(sms), 1)
        self.assertIn(CODE, sms.body)
        code = (
            self.env["pm.login.code"]
            .sudo()
            .search([("user_id", "=", self.owner_user.id)])
        )
        self.assertEqual(len(code), 1)
        self.assertTrue(code.used)
        # WeChat alone signs them in from now on
        self.assertEqual(
            self.env["res.partner"].sudo()._pm_wechat_partner(self.company, OPENID),
            self.owner,
        )
