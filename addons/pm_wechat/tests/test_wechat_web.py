# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The account's web side (issue 23) through real HTTP: the server URL checks
WeChat's signature, the menu signs a bound owner in by WeChat OAuth (against
the loopback WeChat), an owner not bound yet binds by SMS code or by an
invitation link, never anywhere but this site."""

import hashlib
import re
import time
from urllib.parse import parse_qs, quote, unquote, urlsplit

from wechatpy.crypto import WeChatCrypto

from odoo.tests import HttpCase, tagged

from .wechat_server import WeChatServer

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
APP_ID = "wx1234567890abcdef"
APP_SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "pmTokenOfTheServerUrl"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OPENID = "oWangWei-0000000000000000000"
OWNER_NUMBER = "13800000000"


def wechat_signature(token, timestamp, nonce):
    """As WeChat documents it: the token, timestamp and nonce sorted,
    joined, SHA-1 in hex."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


SUBSCRIBE = """<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName>
<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{time}</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>"""


@tagged("pm_wechat", "post_install", "-at_install", "security")
class TestWechatWeb(HttpCase):
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
        cls.agent = cls.env.ref("pm_customer_service.res_users_agent_demo")
        cls.company.pm_sms_provider = "none"
        cls.env["pm.login.code"].sudo().search([]).unlink()
        cls.env["sms.sms"].sudo().search([]).unlink()
        admin = cls.env.ref("base.user_admin")
        cls.env["res.config.settings"].with_user(admin).create(
            {
                "pm_wechat_enabled": True,
                "pm_wechat_app_id": APP_ID,
                "pm_wechat_app_secret": APP_SECRET,
                "pm_wechat_token": TOKEN,
                "pm_wechat_endpoint": cls.wechat.url,
            }
        ).execute()

    def setUp(self):
        super().setUp()
        self.wechat.reset()
        self.opener.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        self.registry._login_failures = None
        self.addCleanup(setattr, self.registry, "_login_failures", None)

    # ------------------------------------------------------------
    # the server URL
    # ------------------------------------------------------------

    def _server_url(self, signature=None, company=None, **params):
        timestamp, nonce = str(int(time.time())), "1514687302"
        if signature is None:
            signature = wechat_signature(TOKEN, timestamp, nonce)
        query = "&".join(
            f"{key}={quote(str(value))}"
            for key, value in {
                "signature": signature,
                "timestamp": timestamp,
                "nonce": nonce,
                **params,
            }.items()
        )
        return f"/pm_wechat/server/{company or self.company.id}?{query}"

    def test_server_url_checks_signature(self):
        res = self.url_open(self._server_url(echostr="6198813489712373925"))
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.text, "6198813489712373925")
        # signed with another token, forged, or not signed: refused
        timestamp, nonce = str(int(time.time())), "1514687302"
        for signature in (wechat_signature("other", timestamp, nonce), "0" * 40, ""):
            res = self.url_open(self._server_url(signature=signature, echostr="1"))
            self.assertEqual(res.status_code, 403, signature)
            self.assertNotIn("1", res.text)
        res = self.url_open("/pm_wechat/server/%s" % self.company.id)
        self.assertEqual(res.status_code, 403)
        res = self.url_open(self._server_url(signature="0" * 40), data=b"<xml/>")
        self.assertEqual(res.status_code, 403)
        # a company without an account has no server URL
        other = self.env["res.company"].create({"name": "No Account Co."})
        res = self.url_open(self._server_url(company=other.id, echostr="1"))
        self.assertEqual(res.status_code, 404)

    def test_new_follower_greeted_in_chinese(self):
        body = SUBSCRIBE.format(openid=OPENID, time=int(time.time())).encode()
        res = self.url_open(self._server_url(), data=body)
        self.assertEqual(res.status_code, 200)
        self.assertIn("<MsgType><![CDATA[text]]></MsgType>", res.text)
        self.assertIn(f"<ToUserName><![CDATA[{OPENID}]]></ToUserName>", res.text)
        self.assertIn("欢迎关注", res.text)
        self.assertIn(self.company.name, res.text)
        # a follower leaving, or a text: nothing to answer
        leaving = body.replace(b"subscribe", b"unsubscribe")
        self.assertEqual(
            self.url_open(self._server_url(), data=leaving).text, "success"
        )
        # a garbled body, signed: refused, never a server error
        res = self.url_open(self._server_url(), data=b"<xml><Oops")
        self.assertEqual(res.status_code, 400)

    def test_safe_mode_encrypted(self):
        """In the safe mode (EncodingAESKey) WeChat encrypts its messages and
        signs the ciphertext: decrypted, answered encrypted."""
        self.company.sudo().pm_wechat_aes_key = AES_KEY
        crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        timestamp, nonce = str(int(time.time())), "1514687302"
        plain = SUBSCRIBE.format(openid=OPENID, time=timestamp)
        encrypted = crypto.encrypt_message(plain, nonce, timestamp)
        msg_signature = re.search(
            r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", encrypted
        ).group(1)
        ciphertext = re.search(r"<Encrypt><!\[CDATA\[(.+?)\]\]>", encrypted).group(1)
        body = (
            "<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName>"
            f"<Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
        ).encode()
        url = self._server_url(encrypt_type="aes", msg_signature=msg_signature)
        url = url.replace(
            re.search(r"timestamp=(\d+)", url).group(1), timestamp
        ).replace(
            re.search(r"signature=(\w+)", url).group(1),
            wechat_signature(TOKEN, timestamp, nonce),
        )
        res = self.url_open(url, data=body)
        self.assertEqual(res.status_code, 200, res.text[:300])
        answer = re.search(r"<Encrypt><!\[CDATA\[(.+?)\]\]>", res.text)
        self.assertTrue(answer, res.text[:300])
        reply_signature = re.search(
            r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", res.text
        ).group(1)
        reply_stamp = re.search(r"<TimeStamp>(\d+)</TimeStamp>", res.text).group(1)
        reply_nonce = re.search(r"<Nonce><!\[CDATA\[(\w+)\]\]>", res.text).group(1)
        decrypted = crypto.decrypt_message(
            res.text, reply_signature, reply_stamp, reply_nonce
        )
        self.assertIn("欢迎关注", decrypted)
        # a ciphertext signed with another token: refused
        url = url.replace(f"msg_signature={msg_signature}", "msg_signature=" + "0" * 40)
        self.assertEqual(self.url_open(url, data=body).status_code, 403)

    # ------------------------------------------------------------
    # the account's menu: WeChat OAuth
    # ------------------------------------------------------------

    def _menu(self, redirect="/my/cases", company=None):
        """The account's menu link: WeChat's authorize page, whose state and
        callback the test reads as WeChat would."""
        company = company or self.company.id
        res = self.url_open(
            f"/pm_wechat/oauth?company={company}&redirect={quote(redirect)}",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303, res.text[:300])
        location = urlsplit(res.headers["Location"])
        self.assertEqual(location.netloc, "open.weixin.qq.com")
        self.assertEqual(location.path, "/connect/oauth2/authorize")
        self.assertEqual(location.fragment, "wechat_redirect")
        query = parse_qs(location.query)
        self.assertEqual(query["appid"], [APP_ID])
        self.assertEqual(query["scope"], ["snsapi_base"])
        callback = unquote(query["redirect_uri"][0])
        self.assertTrue(callback.endswith("/pm_wechat/oauth/callback"), callback)
        return query["state"][0]

    def _callback(self, state, openid=OPENID, code="0616mGll2BLoMe4RFFml2Fn6T906mGl8"):
        self.wechat.codes[code] = openid
        return self.url_open(
            f"/pm_wechat/oauth/callback?code={code}&state={state}",
            allow_redirects=False,
        )

    def _signed_in_as(self):
        res = self.url_open("/my")
        if not urlsplit(res.url).path.endswith("/my"):
            return None
        return "王伟" if "王伟" in res.text else "?"

    def _log_out(self):
        self.opener.cookies.clear()

    def test_bound_owner_signed_in_from_menu(self):
        self.owner._pm_wechat_bind(self.company, OPENID)
        state = self._menu()
        res = self._callback(state)
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my/cases")
        self.assertEqual(self.wechat.oauth_calls[0]["appid"], APP_ID)
        self.assertEqual(self._signed_in_as(), "王伟")
        # signed in, the menu opens the page directly
        res = self.url_open(
            "/pm_wechat/oauth?company=%s&redirect=/my/cases" % (self.company.id),
            allow_redirects=False,
        )
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my/cases")

    def test_no_open_redirect_and_no_replay(self):
        self.owner._pm_wechat_bind(self.company, OPENID)
        state = self._menu(redirect="https://evil.example.com/my")
        res = self._callback(state)
        location = urlsplit(res.headers["Location"])
        self.assertIn(location.netloc, ("", urlsplit(self.base_url()).netloc))
        self.assertEqual(location.path, "/my")
        self._log_out()
        # a state not of this session, or spent: refused, not signed in
        state = self._menu()
        res = self._callback("forged-state")
        self.assertEqual(res.status_code, 400)
        self.assertIn("微信登录已过期", res.text)
        self.assertEqual(self._callback(state).status_code, 303)
        self._log_out()
        state = self._menu()
        self.assertEqual(self._callback(state).status_code, 303)
        res = self._callback(state, code="another-code")
        self.assertEqual(res.status_code, 400)

    def test_code_refused_by_wechat(self):
        state = self._menu()
        res = self.url_open(
            f"/pm_wechat/oauth/callback?code=expired-code&state={state}",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 502)
        self.assertIn("微信未能确认您的身份", res.text)
        self.assertIsNone(self._signed_in_as())

    def test_staff_never_signed_in_by_wechat(self):
        self.agent.partner_id._pm_wechat_bind(self.company, "oAgent")
        state = self._menu()
        res = self._callback(state, openid="oAgent")
        # not a portal user: asked to bind (a staff number gets no code)
        self.assertEqual(res.headers["Location"].split("?")[0][-15:], "/pm_wechat/bind")
        self.assertIsNone(self._signed_in_as())

    def test_without_account_phone_login(self):
        other = self.env["res.company"].create({"name": "No Account Co."})
        res = self.url_open(
            f"/pm_wechat/oauth?company={other.id}&redirect=/my/cases",
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)
        self.assertEqual(
            res.headers["Location"].split("/web/login/phone")[1],
            "?redirect=%2Fmy%2Fcases",
        )

    # ------------------------------------------------------------
    # binding
    # ------------------------------------------------------------

    def test_bind_by_sms_code(self):
        """A logged-out owner not bound yet: WeChat's sign-in, the binding page,
        the SMS code to their number, then bound and signed in, on their way to
        the page the menu opened; the next time WeChat alone signs them in."""
        state = self._menu(redirect="/my/cases")
        res = self._callback(state)
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/pm_wechat/bind"))
        page = self.url_open("/pm_wechat/bind")
        self.assertEqual(page.status_code, 200)
        self.assertIn("绑定微信", page.text)
        csrf = CSRF_RE.search(page.text).group(1)
        res = self.url_open(
            "/pm_wechat/bind", data={"csrf_token": csrf, "number": "+86 138 0000 0000"}
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("138****0000", res.text)
        sms = self.env["sms.sms"].sudo().search([("number", "=", OWNER_NUMBER)])
        self.assertEqual(len(sms), 1)
        code = CODE_RE.search(sms.body).group(1)
        wrong = "000000" if code != "000000" else "111111"
        res = self.url_open(
            "/pm_wechat/bind",
            data={"csrf_token": csrf, "number": OWNER_NUMBER, "code": wrong},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 400)
        self.assertIn("验证码不正确或已失效", res.text)
        self.env.invalidate_all()
        self.assertFalse(self.owner.pm_wechat_openid)
        res = self.url_open(
            "/pm_wechat/bind",
            data={"csrf_token": csrf, "number": OWNER_NUMBER, "code": code},
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303, res.text[:500])
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my/cases")
        self.assertEqual(self._signed_in_as(), "王伟")
        self.env.invalidate_all()
        self.assertEqual(self.owner.pm_wechat_openid, OPENID)
        self.assertEqual(self.owner.pm_wechat_company_id, self.company)
        # the binding page is spent
        self.assertEqual(self.url_open("/pm_wechat/bind").status_code, 400)
        # next time: signed in by WeChat alone
        self._log_out()
        res = self._callback(self._menu())
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my/cases")
        self.assertEqual(self._signed_in_as(), "王伟")

    def test_bind_page_needs_wechat_sign_in(self):
        res = self.url_open("/pm_wechat/bind")
        self.assertEqual(res.status_code, 400)
        self.assertIn("微信登录已过期", res.text)
        self.assertNotIn('name="number"', res.text)

    def test_bind_rate_limited(self):
        """The SMS codes of the binding page are pm_channel's: one a minute per
        number."""
        state = self._menu()
        self._callback(state)
        csrf = CSRF_RE.search(self.url_open("/pm_wechat/bind").text).group(1)
        data = {"csrf_token": csrf, "number": OWNER_NUMBER}
        self.assertEqual(self.url_open("/pm_wechat/bind", data=data).status_code, 200)
        res = self.url_open("/pm_wechat/bind", data=data)
        self.assertEqual(res.status_code, 429)
        self.assertIn("秒后", res.text)

    def test_bind_by_invitation(self):
        owner = self.owner.with_user(self.agent)
        owner.action_pm_wechat_invite()
        url = urlsplit(owner.pm_wechat_invite_url)
        self.assertTrue(url.path.startswith("/pm_wechat/invite/"))
        res = self.url_open(url.path, allow_redirects=False)
        self.assertEqual(res.status_code, 303)
        state = parse_qs(urlsplit(res.headers["Location"]).query)["state"][0]
        res = self._callback(state, openid="oInvited")
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my")
        self.assertEqual(self._signed_in_as(), "王伟")
        self.env.invalidate_all()
        self.assertEqual(self.owner.pm_wechat_openid, "oInvited")
        # the link worked once
        self._log_out()
        res = self.url_open(url.path)
        self.assertEqual(res.status_code, 404)
        self.assertIn("邀请链接已失效", res.text)
