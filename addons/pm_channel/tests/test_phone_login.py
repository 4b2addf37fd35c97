# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owners sign in with their mobile number and a one-time SMS code (issue 23,
R-LOGIN-1): through the real pages, the code read from Odoo's SMS queue; codes
hashed, expiring, single use, a few guesses each; limits per number and per
address; an unknown number answered as a known one; staff refused; a QR code
scanned while logged out leads back to its form."""

import json
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.pm_customer_service.tests.common import assert_table

from ..tools import phone_login
from .provider_servers import AliyunServer

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
# 10:00 on Monday 2 March 2026 in Shanghai (02:00 UTC)
T0 = datetime(2026, 3, 2, 2, 0, 0)
OWNER_NUMBER = "13800000000"
STAFF_NUMBER = "13900001111"


@tagged("pm_channel", "post_install", "-at_install")
class TestPhoneLoginRules(TransactionCase):
    """The pure rules (tools/phone_login.py)."""

    def test_mobile_numbers(self):
        assert_table(
            self,
            phone_login.mobile,
            [
                ("13800138000", "13800138000"),
                ("+86 138 0013 8000", "13800138000"),
                ("+86-138-0013-8000", "13800138000"),
                ("0086 13800138000", "13800138000"),
                ("8613800138000", "13800138000"),
                (" 138 0013 8000 ", "13800138000"),
                # full-width digits of a Chinese keyboard
                ("１３８００１３８０００", "13800138000"),
                ("12800138000", None),  # no mobile begins with 12
                ("1380013800", None),  # 10 digits
                ("138001380001", None),  # 12 digits
                ("+1 415 555 0100", None),
                ("abc", None),
                ("", None),
                (None, None),
                ("1" * 41, None),
            ],
        )

    def test_masked_number(self):
        assert_table(
            self,
            phone_login.masked,
            [("13800138000", "138****8000"), (None, ""), ("123", "")],
        )

    def test_codes_and_hashes(self):
        codes = {phone_login.new_code() for _i in range(200)}
        self.assertTrue(all(re.fullmatch(r"\d{6}", code) for code in codes))
        self.assertGreater(len(codes), 190)
        stored = phone_login.code_hash("secret", "salt", OWNER_NUMBER, "012345")
        self.assertNotIn("012345", stored)
        assert_table(
            self,
            lambda typed, secret="secret", salt="salt": phone_login.code_matches(
                stored, secret, salt, OWNER_NUMBER, typed
            ),
            [
                ("012345", True),
                (" ０１２３４５ ", True),
                ("012346", False),
                ("12345", False),
                ("0123456", False),
                ("abcdef", False),
                (None, False),
                ("", False),
            ],
        )
        # another salt or secret: another hash
        self.assertFalse(
            phone_login.code_matches(stored, "secret", "other", OWNER_NUMBER, "012345")
        )
        self.assertFalse(
            phone_login.code_matches(stored, "other", "salt", OWNER_NUMBER, "012345")
        )

    def test_expiry(self):
        until = phone_login.expires_at(T0, 5)
        assert_table(
            self,
            phone_login.is_expired,
            [
                (until, T0, False),
                (until, T0 + timedelta(minutes=5), False),
                (until, T0 + timedelta(minutes=5, seconds=1), True),
            ],
        )
        assert_table(
            self,
            phone_login.minutes_setting,
            [
                ("5", 5),
                ("10", 10),
                ("30", 30),
                ("31", 5),
                ("0", 5),
                ("x", 5),
                (None, 5),
            ],
        )

    def test_request_limits(self):
        def verdict(number_offsets, address_offsets, now_offset):
            return phone_login.request_verdict(
                [T0 + timedelta(seconds=s) for s in number_offsets],
                [T0 + timedelta(seconds=s) for s in address_offsets],
                T0 + timedelta(seconds=now_offset),
            )

        five = [0, 60, 120, 180, 240]
        twenty = list(range(0, 20 * 60, 60))
        assert_table(
            self,
            verdict,
            [
                ([], [], 0, (phone_login.OK, 0)),
                # one code a minute: met at 60 s, missed at 59 s
                ([0], [0], 59, (phone_login.WAIT, 1)),
                ([0], [0], 60, (phone_login.OK, 0)),
                # five an hour per number: the first of the five leaves the hour
                (five, five, 300, (phone_login.NUMBER_HOUR, 3300)),
                (five, five, 3599, (phone_login.NUMBER_HOUR, 1)),
                (five, five, 3600, (phone_login.OK, 0)),
                # twenty an hour per address
                ([], twenty, 1200, (phone_login.ADDRESS_HOUR, 2400)),
                ([], twenty, 3599, (phone_login.ADDRESS_HOUR, 1)),
                ([], twenty, 3600, (phone_login.OK, 0)),
                ([], twenty[:19], 1200, (phone_login.OK, 0)),
            ],
        )

    def test_local_redirect(self):
        assert_table(
            self,
            phone_login.local_redirect,
            [
                ("/my", "/my"),
                ("/my/cases/new?unit=7&qr=ab12", "/my/cases/new?unit=7&qr=ab12"),
                (None, "/my"),
                ("", "/my"),
                ("https://evil.example.com/my", "/my"),
                ("//evil.example.com/my", "/my"),
                ("/\\evil.example.com", "/my"),
                ("javascript:alert(1)", "/my"),
                ("/my\r\nSet-Cookie: x=1", "/my"),
                ("my", "/my"),
            ],
        )


@tagged("pm_channel", "post_install", "-at_install", "security")
class TestPhoneLogin(HttpCase):
    """The demo owner 王伟 (portal user ``pm_owner``, +86 138 0000 0000) signs in
    with an SMS code; the demo agent has a number too and may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner_user = cls.env.ref("pm_customer_service.res_users_portal_owner_demo")
        cls.owner = cls.owner_user.partner_id
        cls.owner.phone = "+86 138 0000 0000"
        cls.staff_user = cls.env.ref("pm_customer_service.res_users_agent_demo")
        cls.staff_user.partner_id.phone = "+86 139 0000 1111"
        cls.unit = cls.env.ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        cls.env.company.pm_sms_provider = "none"
        # a database used before: no former request counts in the limits
        cls.env["pm.login.code"].sudo().search([]).unlink()
        cls.env["sms.sms"].sudo().search([]).unlink()

    def setUp(self):
        super().setUp()
        # a phone set to Chinese
        self.opener.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
        # Odoo's cooldown of failed logins per address lives in the registry
        self.registry._login_failures = None
        self.addCleanup(setattr, self.registry, "_login_failures", None)
        self.env["ir.config_parameter"].sudo().set_param(
            "pm_channel.login_code_minutes", 5
        )

    # ------------------------------------------------------------
    # helpers: the pages as a phone uses them
    # ------------------------------------------------------------

    def _page(self, redirect=None):
        url = "/web/login/phone" + (f"?redirect={quote(redirect)}" if redirect else "")
        res = self.url_open(url, allow_redirects=False)
        self.assertEqual(res.status_code, 200, res.text[:300])
        return CSRF_RE.search(res.text).group(1)

    def _post(self, csrf, **data):
        return self.url_open(
            "/web/login/phone", data={"csrf_token": csrf, **data}, allow_redirects=False
        )

    def _ask(self, number, csrf=None, redirect=None):
        csrf = csrf or self._page(redirect)
        return self._post(
            csrf, number=number, **({"redirect": redirect} if redirect else {})
        )

    def _queued(self, number=OWNER_NUMBER):
        return self.env["sms.sms"].sudo().search([("number", "=", number)], order="id")

    def _code(self, number=OWNER_NUMBER):
        sms = self._queued(number)[-1:]
        self.assertTrue(sms, "no SMS queued")
        return CODE_RE.search(sms.body).group(1)

    def _sign_in(self, code, number=OWNER_NUMBER, redirect=None, csrf=None):
        csrf = csrf or self._page(redirect)
        data = {"number": number, "code": code}
        if redirect:
            data["redirect"] = redirect
        return self._post(csrf, **data)

    def _logged_in(self):
        res = self.url_open("/my")
        return urlsplit(res.url).path.endswith("/my") and "王伟" in res.text

    def _log_out(self):
        self.opener.cookies.clear()

    def _codes(self, number=OWNER_NUMBER):
        self.env.invalidate_all()
        return self.env["pm.login.code"].sudo().search([("number", "=", number)])

    # ------------------------------------------------------------
    # signing in
    # ------------------------------------------------------------

    def test_sign_in_with_sms_code(self):
        # Odoo's login page leads to the phone sign-in, keeping where to go
        res = self.url_open("/web/login?redirect=/my", allow_redirects=False)
        self.assertIn('href="/web/login/phone?redirect=%2Fmy"', res.text)
        res = self._ask("+86 138 0000 0000")
        self.assertEqual(res.status_code, 200)
        self.assertIn("138****0000", res.text)
        self.assertIn('name="code"', res.text)
        # one SMS in Odoo's queue, as Odoo queues it without a provider
        sms = self._queued()
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.partner_id, self.owner)
        self.assertFalse(sms.pm_template_code)
        code = self._code()
        # in the owner's language, with its validity
        self.assertIn("登录验证码", sms.body)
        self.assertIn("5 分钟内有效", sms.body)
        # the code is stored hashed only
        stored = self._codes()
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored.user_id, self.owner_user)
        self.assertNotIn(code, json.dumps(stored.read()[0], default=str))
        res = self._sign_in(code)
        self.assertEqual(res.status_code, 303, res.text[:500])
        self.assertEqual(urlsplit(res.headers["Location"]).path, "/my")
        self.assertTrue(self._logged_in())
        self.assertTrue(self._codes().used)

    def test_code_is_single_use(self):
        self._ask(OWNER_NUMBER)
        code = self._code()
        self.assertEqual(self._sign_in(code).status_code, 303)
        self._log_out()
        res = self._sign_in(code)
        self.assertEqual(res.status_code, 400)
        self.assertIn("验证码不正确或已失效", res.text)
        self.assertFalse(self._logged_in())

    def test_a_new_code_replaces_the_former(self):
        with freeze_time(T0) as frozen:
            self._ask(OWNER_NUMBER)
            first = self._code()
            frozen.tick(timedelta(seconds=60))
            self._ask(OWNER_NUMBER)
            second = self._code()
            if first != second:
                self.assertEqual(self._sign_in(first).status_code, 400)
            self.assertEqual(self._sign_in(second).status_code, 303)

    def test_wrong_code_and_too_many_attempts(self):
        self._ask(OWNER_NUMBER)
        code = self._code()
        wrong = "000000" if code != "000000" else "111111"
        csrf = self._page()
        for _attempt in range(phone_login.MAX_ATTEMPTS - 1):
            res = self._sign_in(wrong, csrf=csrf)
            self.assertEqual(res.status_code, 400)
            self.assertIn("验证码不正确或已失效", res.text)
        self.assertEqual(self._codes().attempt_count, 4)
        res = self._sign_in(wrong, csrf=csrf)
        self.assertEqual(res.status_code, 400)
        self.assertIn("错误次数过多", res.text)
        # the 5th wrong guess spent the code: the right one no longer works
        self.registry._login_failures = None
        res = self._sign_in(code, csrf=csrf)
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self._logged_in())
        # bad input is an error on the page, never a server error
        for typed in ("abcdef", "1" * 500, ""):
            self.registry._login_failures = None
            res = self._sign_in(typed, csrf=csrf)
            self.assertEqual(res.status_code, 400, typed)

    def test_code_expires(self):
        with freeze_time(T0) as frozen:
            self._ask(OWNER_NUMBER)
            code = self._code()
            # valid up to its 5th minute included
            frozen.tick(timedelta(minutes=5))
            self.assertEqual(self._sign_in(code).status_code, 303)
            self._log_out()
            self._ask(OWNER_NUMBER)
            code = self._code()
            frozen.tick(timedelta(minutes=5, seconds=1))
            res = self._sign_in(code)
            self.assertEqual(res.status_code, 400)
            self.assertIn("验证码已过期", res.text)
            self.assertFalse(self._logged_in())

    def test_validity_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.pm_login_code_minutes, 5)
        settings.pm_login_code_minutes = 10
        settings.execute()
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"pm_login_code_minutes": 0})
        with freeze_time(T0) as frozen:
            self._ask(OWNER_NUMBER)
            code = self._code()
            self.assertIn("10 分钟", self._queued().body)
            # 5 minutes and a second: expired with the default, valid with 10
            frozen.tick(timedelta(minutes=5, seconds=1))
            self.assertEqual(self._sign_in(code).status_code, 303)

    def test_rate_limit_per_number(self):
        with freeze_time(T0) as frozen:
            csrf = self._page()
            self.assertEqual(self._ask(OWNER_NUMBER, csrf).status_code, 200)
            # one a minute: refused at 59 s, met at 60 s
            frozen.tick(timedelta(seconds=59))
            res = self._ask(OWNER_NUMBER, csrf)
            self.assertEqual(res.status_code, 429)
            self.assertIn("1 秒后", res.text)
            # "send a new code" refused: the page still asks for the code sent
            res = self._post(csrf, number=OWNER_NUMBER, code="", resend="1")
            self.assertEqual(res.status_code, 429)
            self.assertIn('name="code"', res.text)
            frozen.tick(timedelta(seconds=1))
            self.assertEqual(self._ask(OWNER_NUMBER, csrf).status_code, 200)
            for _i in range(3):
                frozen.tick(timedelta(minutes=1))
                self.assertEqual(self._ask(OWNER_NUMBER, csrf).status_code, 200)
            # five in the hour: the sixth waits until the first leaves the hour
            frozen.tick(timedelta(minutes=1))
            res = self._ask(OWNER_NUMBER, csrf)
            self.assertEqual(res.status_code, 429)
            self.assertIn("请求次数过多", res.text)
            frozen.move_to(T0 + timedelta(minutes=59, seconds=59))
            self.assertEqual(self._ask(OWNER_NUMBER, csrf).status_code, 429)
            frozen.move_to(T0 + timedelta(hours=1))
            self.assertEqual(self._ask(OWNER_NUMBER, csrf).status_code, 200)
        # one SMS per code given
        self.assertEqual(len(self._queued()), 6)

    def test_rate_limit_per_address(self):
        with freeze_time(T0):
            csrf = self._page()
            for index in range(phone_login.ADDRESS_PER_HOUR):
                res = self._ask(f"137{index:08d}", csrf)
                self.assertEqual(res.status_code, 200, index)
            res = self._ask(OWNER_NUMBER, csrf)
            self.assertEqual(res.status_code, 429)
            self.assertIn("请求次数过多", res.text)
            self.assertFalse(self._queued())

    def test_unknown_number_same_answer(self):
        with freeze_time(T0) as frozen:
            csrf = self._page()
            known = self._ask(OWNER_NUMBER, csrf)
            unknown = self._ask("13712345678", csrf)
            self.assertEqual(known.status_code, unknown.status_code)
            self.assertEqual(
                known.text.replace("138****0000", "#").replace(OWNER_NUMBER, "#"),
                unknown.text.replace("137****5678", "#").replace("13712345678", "#"),
            )
            # nothing is sent to an unknown number; it has a code of nobody
            self.assertFalse(self._queued("13712345678"))
            decoy = self._codes("13712345678")
            self.assertEqual(len(decoy), 1)
            self.assertFalse(decoy.user_id)
            # its refusals are the ones of a known number
            answers = []
            for number in (OWNER_NUMBER, "13712345678"):
                res = self._sign_in("000000", number=number, csrf=csrf)
                answers.append((res.status_code, "验证码不正确或已失效" in res.text))
            self.assertEqual(answers[0], answers[1])
            frozen.tick(timedelta(seconds=60))
            answers = [
                self._ask(number, csrf).status_code
                for number in (OWNER_NUMBER, "13712345678")
            ]
            self.assertEqual(answers, [200, 200])
            frozen.tick(timedelta(minutes=5, seconds=1))
            for number in (OWNER_NUMBER, "13712345678"):
                res = self._sign_in("000000", number=number, csrf=csrf)
                self.assertEqual(res.status_code, 400)
                self.assertIn("验证码已过期", res.text)

    def test_staff_may_not_sign_in_by_phone(self):
        with freeze_time(T0) as frozen:
            res = self._ask(STAFF_NUMBER)
            self.assertEqual(res.status_code, 200)
            self.assertFalse(self._queued(STAFF_NUMBER))
            # even with a code made for the staff user, the sign-in is refused
            code = self._codes(STAFF_NUMBER)
            code.write(
                {
                    "user_id": self.staff_user.id,
                    "code_hash": phone_login.code_hash(
                        self.env["pm.login.code"]._pm_secret(),
                        code.salt,
                        STAFF_NUMBER,
                        "123456",
                    ),
                }
            )
            res = self._sign_in("123456", number=STAFF_NUMBER)
            self.assertEqual(res.status_code, 400)
            self.assertIn("验证码不正确或已失效", res.text)
            res = self.url_open("/odoo", allow_redirects=False)
            self.assertIn("/web/login", res.headers.get("Location", ""))
            # a portal user sharing a number with the staff gets no code either
            self.owner.phone = "+86 139 0000 1111"
            self.env.flush_all()
            frozen.tick(timedelta(seconds=60))
            self.assertEqual(self._ask(STAFF_NUMBER).status_code, 200)
            self.assertFalse(self._queued(STAFF_NUMBER))

    def test_bad_input_and_csrf(self):
        csrf = self._page()
        for typed in ("12345", "abc", "+1 415 555 0100", "1" * 300, ""):
            res = self._ask(typed, csrf)
            self.assertEqual(res.status_code, 400, typed)
            self.assertIn("请输入11位中国大陆手机号码", res.text)
        self.assertFalse(self.env["pm.login.code"].sudo().search([]))
        # a code with no number, a form without its token
        res = self._post(csrf, code="123456")
        self.assertEqual(res.status_code, 400)
        with mute_logger("odoo.http"):
            res = self.url_open(
                "/web/login/phone", data={"number": OWNER_NUMBER}, allow_redirects=False
            )
        self.assertEqual(res.status_code, 400)
        self.assertFalse(self._queued())

    def test_redirect_stays_on_the_site(self):
        targets = ("https://evil.example.com/my", "//evil.example.com/my")
        for index, target in enumerate(targets):
            self._log_out()
            with freeze_time(T0 + timedelta(minutes=2 * index)):
                csrf = self._page(target)
                self._ask(OWNER_NUMBER, csrf, redirect=target)
                res = self._sign_in(self._code(), redirect=target, csrf=csrf)
            self.assertEqual(res.status_code, 303)
            location = urlsplit(res.headers["Location"])
            self.assertEqual(location.path, "/my")
            self.assertNotIn("evil", location.netloc)

    def test_qr_scanned_logged_out(self):
        """The QR code of the owner's unit, scanned logged out: the phone
        sign-in, then the request form with the unit filled in."""
        qr = urlsplit(self.unit._pm_qr_url())
        qr_path = f"{qr.path}?{qr.query}"
        # (a phone in Chinese first goes to the Chinese address of the form)
        res = self.url_open(qr_path)
        self.assertEqual(res.status_code, 200)
        login = urlsplit(res.url)
        self.assertEqual(login.path, "/web/login/phone")
        redirect = parse_qs(login.query)["redirect"][0]
        self.assertTrue(redirect.endswith(qr_path), redirect)
        csrf = CSRF_RE.search(res.text).group(1)
        self.assertIn(
            f'name="redirect" value="{redirect.replace("&", "&amp;")}"', res.text
        )
        self._ask(OWNER_NUMBER, csrf, redirect=redirect)
        res = self._sign_in(self._code(), redirect=redirect, csrf=csrf)
        self.assertEqual(res.status_code, 303)
        location = urlsplit(res.headers["Location"])
        self.assertEqual(f"{location.path}?{location.query}", redirect)
        res = self.url_open(redirect)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(urlsplit(res.url).query, qr.query)
        self.assertRegex(res.text, rf'<option value="{self.unit.id}"[^>]*selected')
        # the form sends the scanned place with the request
        self.assertIn(f"/my/cases/submit?unit={self.unit.id}&amp;qr=", res.text)

    def test_common_area_visitor_may_sign_in(self):
        """A common area's QR code opens the visitor's form, which offers the
        phone sign-in back to the same form."""
        # the property's manager records the place and prints its QR code
        manager = self.env.ref("pm_customer_service.res_users_manager_demo")
        area = (
            self.env["pm.common.area"]
            .with_user(manager)
            .create(
                {
                    "name": "Lobby",
                    "code": "PL-1",
                    "building_id": self.unit.building_id.id,
                }
            )
        )
        qr = urlsplit(area._pm_qr_url())
        res = self.url_open(f"{qr.path}?{qr.query}")
        self.assertEqual(res.status_code, 200)
        link = re.search(
            r'href="(/web/login/phone\?[^"]+)">业主？用手机号登录', res.text
        )
        self.assertTrue(link, res.text[-3000:])
        redirect = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
        self.assertTrue(redirect["redirect"][0].endswith(f"{qr.path}?{qr.query}"))

    def test_code_through_the_company_provider(self):
        """With a provider and a sign-in template, the code goes in the
        template's variables of the queued SMS (the queue sends it as any
        owner SMS: test_sms_channel.py)."""
        server = AliyunServer("LTAI5tTestKeyId", "AliyunTestSecret")
        self.addCleanup(server.stop)
        self.env.company.write(
            {
                "pm_sms_provider": "aliyun",
                "pm_sms_key_id": server.key_id,
                "pm_sms_key_secret": server.secret,
                "pm_sms_sign_name": "湖畔物业",
                "pm_sms_region": "cn-hangzhou",
                "pm_sms_endpoint": server.url,
                "pm_sms_login_template_code": "SMS_200000001",
            }
        )
        self._ask(OWNER_NUMBER)
        sms = self._queued()
        self.assertEqual(sms.pm_template_code, "SMS_200000001")
        code = self._code()
        self.assertEqual(
            json.loads(sms.pm_template_params), {"code": code, "minutes": "5"}
        )
        self.assertEqual(self._sign_in(code).status_code, 303)
