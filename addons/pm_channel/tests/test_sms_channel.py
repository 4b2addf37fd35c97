# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owner SMS on Odoo's SMS queue through Alibaba Cloud and Tencent Cloud
(issue 23): the SDKs talk to loopback servers that check their signatures."""

import json
import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.common import PmCaseCommon, assert_table

from ..tools import sms_rules
from ..tools.sms_providers import split_endpoint
from .provider_servers import AliyunServer, TencentServer, free_port

# 10:00 on a Monday in Shanghai
MONDAY_10 = "2026-03-02 02:00:00"
NOW = datetime(2026, 3, 2, 2, 0)
OWNER_MOBILE = "+86 138 0013 8000"
ZH_TIME = re.compile(r"^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$")


@tagged("pm_channel", "post_install", "-at_install")
class PmSmsCommon(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.aliyun = AliyunServer("LTAI5tTestKeyId", "AliyunTestSecret")
        cls.tencent = TencentServer("AKIDTestSecretId", "TencentTestSecretKey")
        cls.addClassCleanup(cls.aliyun.stop)
        cls.addClassCleanup(cls.tencent.stop)
        cls.owner.write({"phone": OWNER_MOBILE, "lang": "zh_CN"})
        # the staff read their notes in Chinese
        (cls.user_technician | cls.user_agent).write({"lang": "zh_CN"})
        cls.Template = cls.env["pm.sms.template"]
        cls.user_manager = cls._pm_user("pm_t_sms_manager", "manager")

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # the Alibaba Cloud SDK gives requests a (connect, read) timeout, which the
        # test framework's guard of outgoing requests compares with a number
        if isinstance(kw.get("timeout"), tuple):
            kw["timeout"] = max(kw["timeout"])
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.aliyun.reset()
        self.tencent.reset()

    def _configure(self, provider, endpoint=None, secret=None):
        server = self.aliyun if provider == "aliyun" else self.tencent
        # the administrator saves the provider in Settings › Property Service
        self._set_settings(
            {
                "pm_sms_provider": provider,
                "pm_sms_key_id": server.key_id,
                "pm_sms_key_secret": secret or server.secret,
                "pm_sms_sign_name": "湖畔物业",
                "pm_sms_region": "cn-hangzhou"
                if provider == "aliyun"
                else "ap-guangzhou",
                "pm_sms_sdk_app_id": "1400000001" if provider == "tencent" else False,
                "pm_sms_endpoint": endpoint or server.url,
            }
        )
        return server

    def _full_link(self, short):
        """The page a short link of an SMS (``<site>/r/<code>``) leads to."""
        base, _sep, code = short.rpartition("/r/")
        self.assertTrue(base and code, f"not a short link: {short}")
        return (
            self.env["link.tracker.code"]
            .sudo()
            .search([("code", "=", code)])
            .link_id.url
        )

    def _map(self, event, code):
        return (
            self.Template.with_user(self.user_manager)
            .with_context(default_event=event)
            .create({"event": event, "template_code": code})
        )

    def _sms(self, case=None, **domain):
        records = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [("pm_event", "!=", False), *[(k, "=", v) for k, v in domain.items()]]
            )
        )
        if case:
            records = records.filtered(
                lambda s: s.mail_message_id.model == "pm.case"
                and s.mail_message_id.res_id == case.id
            )
        return records

    def _run_queue(self):
        self.env["sms.sms"]._process_queue()
        self.env.invalidate_all()


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsRules(PmSmsCommon):
    def test_rules_table(self):
        minute = timedelta(minutes=1)
        assert_table(
            self,
            sms_rules.retry_delay,
            [
                (0, timedelta(0)),
                (1, minute),
                (2, 2 * minute),
                (3, 4 * minute),
                (9, 256 * minute),
                # capped at 6 hours, never given up
                (10, 360 * minute),
                (500, 360 * minute),
            ],
        )
        assert_table(
            self,
            sms_rules.verdict,
            [
                ("aliyun", "OK", None, (sms_rules.SENT, False)),
                ("aliyun", None, None, (sms_rules.RETRY, False)),
                ("aliyun", "ServiceUnavailable", 503, (sms_rules.RETRY, False)),
                ("aliyun", "Whatever", 502, (sms_rules.RETRY, False)),
                (
                    "aliyun",
                    "isv.BUSINESS_LIMIT_CONTROL",
                    None,
                    (sms_rules.RETRY, False),
                ),
                (
                    "aliyun",
                    "isv.MOBILE_NUMBER_ILLEGAL",
                    None,
                    (sms_rules.ERROR, sms_rules.NUMBER),
                ),
                (
                    "aliyun",
                    "isv.SMS_TEMPLATE_ILLEGAL",
                    None,
                    (sms_rules.ERROR, sms_rules.TEMPLATE),
                ),
                (
                    "aliyun",
                    "isv.AMOUNT_NOT_ENOUGH",
                    None,
                    (sms_rules.ERROR, sms_rules.CREDIT),
                ),
                (
                    "aliyun",
                    "SignatureDoesNotMatch",
                    400,
                    (sms_rules.ERROR, sms_rules.ACCOUNT),
                ),
                (
                    "aliyun",
                    "isv.SOMETHING_NEW",
                    None,
                    (sms_rules.ERROR, sms_rules.OTHER),
                ),
                ("tencent", "Ok", None, (sms_rules.SENT, False)),
                ("tencent", "ClientNetworkError", None, (sms_rules.RETRY, False)),
                ("tencent", "InternalError.Timeout", None, (sms_rules.RETRY, False)),
                ("tencent", "RequestLimitExceeded", None, (sms_rules.RETRY, False)),
                (
                    "tencent",
                    "FailedOperation.TemplateIncorrectOrUnapproved",
                    None,
                    (sms_rules.ERROR, sms_rules.TEMPLATE),
                ),
                (
                    "tencent",
                    "InvalidParameterValue.IncorrectPhoneNumber",
                    None,
                    (sms_rules.ERROR, sms_rules.NUMBER),
                ),
                (
                    "tencent",
                    "FailedOperation.InsufficientBalanceInSmsPackage",
                    None,
                    (sms_rules.ERROR, sms_rules.CREDIT),
                ),
            ],
        )
        assert_table(
            self,
            sms_rules.cn_mobile,
            [
                ("13800138000", "13800138000"),
                ("+86 138 0013 8000", "13800138000"),
                ("0086-138-0013-8000", "13800138000"),
                ("8613800138000", "13800138000"),
                ("12800138000", None),
                ("1380013800", None),
                ("+1 415 555 0100", None),
                (False, None),
            ],
        )
        assert_table(
            self,
            split_endpoint,
            [
                ("", "sms.example.com", ("https", "sms.example.com")),
                ("gw.example.cn", "x", ("https", "gw.example.cn")),
                ("http://127.0.0.1:9000", "x", ("http", "127.0.0.1:9000")),
            ],
        )


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsEvents(PmSmsCommon):
    @freeze_time(MONDAY_10)
    def test_not_configured_nothing_changes(self):
        """No provider (the demo's state): email as before, no SMS; a provider
        without a template for the event: no SMS either."""
        self.assertEqual(self.env.company.pm_sms_provider, "none")
        self._map("case_received", "SMS_100000001")
        self._map("case_acknowledged", "SMS_100000002")
        case = self._create_case()
        case.with_user(self.user_agent).action_acknowledge()
        self.env.cr.flush()
        self.assertFalse(self._sms())
        self.assertEqual(len(self._mails_to(self.owner)), 1)
        self._run_queue()
        self.assertFalse(self.aliyun.calls)
        # a provider, but the events of this company are not mapped
        self.env["pm.sms.template"].sudo().search([]).unlink()
        self._configure("aliyun")
        case = self._create_case()
        case.with_user(self.user_agent).action_acknowledge()
        self.assertFalse(self._sms())
        self.assertEqual(len(self._mails_to(self.owner)), 2)

    @freeze_time(MONDAY_10)
    def test_aliyun_received_and_acknowledged(self):
        """Each event queues exactly one SMS to the owner, sent by the queue
        with the event's template and values, instead of the email."""
        server = self._configure("aliyun")
        self._map("case_received", "SMS_100000001")
        self._map("case_acknowledged", "SMS_100000002")
        case = self._create_case()
        sms = self._sms(case)
        self.assertEqual(len(sms), 1)
        # queued, never sent inline
        self.assertEqual(sms.state, "outgoing")
        self.assertFalse(server.calls)
        self.assertEqual(sms.pm_template_code, "SMS_100000001")
        self.assertEqual(json.loads(sms.pm_template_params), {"code": case.name})
        self.assertEqual(sms.partner_id, self.owner)
        # the chatter shows the SMS (internal: not on the owner's portal)
        message = sms.mail_message_id
        self.assertEqual(message.message_type, "sms")
        self.assertTrue(message.is_internal or message.subtype_id.internal)
        self._run_queue()
        self.assertEqual(server.rejected, [])
        self.assertFalse(sms.pm_error_code, sms.pm_error_message)
        self.assertEqual(
            server.calls,
            [
                {
                    "action": "SendSms",
                    "template": "SMS_100000001",
                    "numbers": ["13800138000"],
                    "signs": ["湖畔物业"],
                    "params": [{"code": case.name}],
                }
            ],
        )
        self.assertEqual(sms.state, "pending")
        self.assertTrue(sms.pm_provider_ref)
        notification = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(notification.notification_status, "pending")

        case.with_user(self.user_agent).action_acknowledge()
        ack = self._sms(case, pm_event="case_acknowledged")
        self.assertEqual(len(ack), 1)
        params = json.loads(ack.pm_template_params)
        self.assertEqual(params["code"], case.name)
        # the promised time on the property's clock, in Chinese, without seconds
        self.assertRegex(params["time"], ZH_TIME)
        self.assertEqual(
            params["time"],
            case.with_context(lang="zh_CN")._get_promised_time(),
        )
        self._run_queue()
        self._run_queue()
        self.assertEqual(len(server.calls), 2)
        self.assertEqual(server.sent, ["13800138000", "13800138000"])
        self.assertEqual(server.calls[1]["template"], "SMS_100000002")
        # one message per event per owner (R-CHANNEL-1): the SMS, no email
        self.env.cr.flush()
        self.assertFalse(self._mails_to(self.owner))

    @freeze_time(MONDAY_10)
    def test_tencent_received(self):
        server = self._configure("tencent")
        template = self._map("case_acknowledged", "2000002")
        template.param_ids = [
            (5, 0, 0),
            (0, 0, {"sequence": 1, "name": "1", "value": "case_number"}),
            (0, 0, {"sequence": 2, "name": "2", "value": "promised_time"}),
        ]
        case = self._create_case()
        self.assertFalse(self._sms(case))
        case.with_user(self.user_agent).action_acknowledge()
        sms = self._sms(case)
        self.assertEqual(len(sms), 1)
        self._run_queue()
        self.assertEqual(server.rejected, [])
        self.assertEqual(len(server.calls), 1)
        call = server.calls[0]
        self.assertEqual(call["app"], "1400000001")
        self.assertEqual(call["sign"], "湖畔物业")
        self.assertEqual(call["template"], "2000002")
        self.assertEqual(call["numbers"], ["+8613800138000"])
        self.assertEqual(call["params"][0], case.name)
        self.assertRegex(call["params"][1], ZH_TIME)
        self.assertEqual(sms.state, "pending")
        self._run_queue()
        self.assertEqual(len(server.calls), 1)


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsFailures(PmSmsCommon):
    def _owners(self, count):
        return self.env["res.partner"].create(
            [
                {"name": f"Owner {i}", "phone": f"139{i:08d}", "lang": "zh_CN"}
                for i in range(count)
            ]
        )

    def test_provider_down_sixty_messages(self):
        """The provider is down for 60 messages: all stay queued, none lost; once
        it is back each is sent exactly once."""
        with freeze_time(MONDAY_10) as frozen:
            self._configure("aliyun", endpoint="http://127.0.0.1:%s" % free_port())
            self._map("case_received", "SMS_100000001")
            case = self._create_case()
            owners = self._owners(60)
            queued = self.Template._pm_queue_event(
                case, "case_received", owners, case._pm_sms_values()
            )
            self.assertEqual(len(queued), 60)
            all_sms = queued | self._sms(case)
            self._run_queue()
            self.assertEqual(set(all_sms.mapped("state")), {"outgoing"})
            self.assertEqual(set(all_sms.mapped("pm_attempt_count")), {1})
            self.assertEqual(
                set(all_sms.mapped("pm_next_try")), {NOW + timedelta(minutes=1)}
            )
            queue = self.env.ref("sms.ir_cron_sms_scheduler_action")
            triggers = (
                self.env["ir.cron.trigger"]
                .sudo()
                .search(
                    [
                        ("cron_id", "=", queue.id),
                        ("call_at", "=", NOW + timedelta(minutes=1)),
                    ]
                )
            )
            self.assertEqual(len(triggers), 1)
            # before the next try: the queue leaves them, plans nothing more
            self._run_queue()
            self.assertEqual(set(all_sms.mapped("pm_attempt_count")), {1})
            self.assertEqual(
                self.env["ir.cron.trigger"]
                .sudo()
                .search_count(
                    [
                        ("cron_id", "=", queue.id),
                        ("call_at", "=", NOW + timedelta(minutes=1)),
                    ]
                ),
                1,
            )
            # still down at the second try: 2 minutes later for the third
            frozen.tick(timedelta(minutes=1))
            self._run_queue()
            self.assertEqual(set(all_sms.mapped("pm_attempt_count")), {2})
            self.assertEqual(
                set(all_sms.mapped("pm_next_try")), {NOW + timedelta(minutes=3)}
            )
            # back
            self.env.company.pm_sms_endpoint = self.aliyun.url
            frozen.tick(timedelta(minutes=2))
            self._run_queue()
            self._run_queue()
            self.assertEqual(self.aliyun.rejected, [])
            self.assertEqual(set(all_sms.mapped("state")), {"pending"})
            expected = sorted(all_sms.mapped(lambda s: sms_rules.cn_mobile(s.number)))
            self.assertEqual(sorted(self.aliyun.sent), expected)
            self.assertEqual(len(self.aliyun.sent), 61)
            self.assertEqual(len(set(self.aliyun.sent)), 61)
            # the batch call of the provider carried the 60 owners
            self.assertIn(
                "SendBatchSms", [call["action"] for call in self.aliyun.calls]
            )

    def test_tencent_server_error_retried(self):
        with freeze_time(MONDAY_10) as frozen:
            server = self._configure("tencent")
            self._map("case_received", "2000001")
            server.down_status = 503
            case = self._create_case()
            sms = self._sms(case)
            self._run_queue()
            self.assertEqual(sms.state, "outgoing")
            self.assertEqual(sms.pm_error_code, "ServerNetworkError")
            server.down_status = None
            frozen.tick(timedelta(seconds=59))
            self._run_queue()
            self.assertFalse(server.sent)
            frozen.tick(timedelta(seconds=1))
            self._run_queue()
            self._run_queue()
            self.assertEqual(server.sent, ["+8613800138000"])
            self.assertEqual(sms.state, "pending")

    @freeze_time(MONDAY_10)
    def test_permanent_error_recorded_and_shown(self):
        """A refusal of the provider fails the message with its code and words,
        is never retried, and the staff read it in the case's chatter."""
        server = self._configure("aliyun")
        self._map("case_received", "SMS_100000001")
        server.fail["13800138000"] = ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        case = self._create_case()
        sms = self._sms(case)
        self._run_queue()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_number_format")
        self.assertEqual(sms.pm_error_code, "isv.MOBILE_NUMBER_ILLEGAL")
        self.assertEqual(sms.pm_error_message, "非法手机号")
        notification = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "=", sms.mail_message_id.id)])
        )
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_number_format")
        notes = case.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
            and "非法手机号" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("短信", notes.body)
        self.assertIn("手机号码无效", notes.body)
        self.assertIn("阿里云短信", notes.body)
        self.assertNotIn("isv.", notes.body)
        # staff see it: the responsible reads the case and its notes
        self.assertIn(notes, case.with_user(self.user_technician).message_ids)
        # never retried
        server.fail.clear()
        self._run_queue()
        self.assertFalse(server.calls)
        self.assertEqual(sms.state, "error")

    @freeze_time(MONDAY_10)
    def test_tencent_template_refused(self):
        server = self._configure("tencent")
        self._map("case_received", "2000001")
        server.fail["+8613800138000"] = (
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "template is not approved or not exist",
        )
        case = self._create_case()
        sms = self._sms(case)
        self._run_queue()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "unknown")
        self.assertEqual(sms.pm_failure_reason, "template")
        self.assertEqual(
            sms.pm_error_code, "FailedOperation.TemplateIncorrectOrUnapproved"
        )
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: "服务商不接受该模板或其变量" in (m.body or "")
            )
        )

    @freeze_time(MONDAY_10)
    def test_wrong_secret_refused_by_signature(self):
        """The loopback provider checks the SDK's signature: a wrong secret is
        refused as the provider refuses it, and recorded."""
        server = self._configure("aliyun", secret="not-the-secret")
        self._map("case_received", "SMS_100000001")
        sms = self._sms(self._create_case())
        self._run_queue()
        self.assertEqual(server.rejected, ["SendSms"])
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.pm_error_code, "SignatureDoesNotMatch")
        self.assertEqual(sms.failure_type, "sms_acc")
        server = self._configure("tencent", secret="not-the-secret")
        sms = self._sms(self._create_case()) - sms
        self._run_queue()
        self.assertEqual(server.rejected, ["SendSms"])
        self.assertEqual(sms.pm_error_code, "AuthFailure.SignatureFailure")

    @freeze_time(MONDAY_10)
    def test_no_mobile_no_sms(self):
        self._configure("aliyun")
        self._map("case_received", "SMS_100000001")
        self.owner.phone = False
        self.assertFalse(self._sms(self._create_case()))
        # a number no mainland provider takes: failed at once, told to the staff
        self.owner.phone = "+1 415 555 0100"
        sms = self._sms(self._create_case())
        self._run_queue()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_number_format")
        self.assertFalse(self.aliyun.calls)


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsSettings(PmSmsCommon):
    def test_secrets_for_system_admins_only(self):
        self._configure("aliyun")
        company = self.env.company
        for user in (self.user_agent, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                company.with_user(user).read(["pm_sms_key_secret"])
            with self.assertRaises(AccessError):
                company.with_user(user).read(["pm_sms_key_id"])
        self.assertEqual(
            company.with_user(self.env.ref("base.user_admin")).pm_sms_key_secret,
            "AliyunTestSecret",
        )

    def test_mapping_rights_and_values(self):
        with self.assertRaises(AccessError):
            self.Template.with_user(self.user_agent).create(
                {"event": "case_received", "template_code": "SMS_1"}
            )
        template = self._map("case_acknowledged", "SMS_100000002")
        self.assertEqual(
            template.param_ids.mapped("value"), ["case_number", "promised_time"]
        )
        # a value the event does not have is refused, translated
        with self.assertRaises(ValidationError):
            template.with_user(self.user_manager).write(
                {"param_ids": [(0, 0, {"name": "link", "value": "survey_link"})]}
            )

    def test_settings_show_mapped_events(self):
        self._map("case_acknowledged", "SMS_100000002")
        settings = (
            self.env["res.config.settings"]
            .with_user(self.env.ref("base.user_admin"))
            .with_context(lang="zh_CN")
            .create({})
        )
        summary = str(settings.pm_sms_event_summary)
        self.assertIn("SMS_100000002", summary)
        self.assertIn("报事已受理", summary)
        self.assertIn("未配置：仅发送邮件", summary)
        # mapped, with its code, on the row of its event
        self.assertRegex(
            summary, r"报事已受理</td>[^/]*已配置</span></td><td>SMS_100000002"
        )
        self.assertIn("尚未配置短信服务商", summary)
        # the template's form shows the same overview
        template = (
            self.Template.with_user(self.user_manager)
            .with_context(lang="zh_CN")
            .search([("event", "=", "case_acknowledged")])
        )
        self.assertIn("SMS_100000002", str(template.event_summary))
        self.assertIn("满意度调查邀请", str(template.event_summary))
        # a signature is required with a provider: the page is not saved
        with self.assertRaises(ValidationError):
            self._set_settings({"pm_sms_provider": "aliyun", "pm_sms_sign_name": False})
        self.assertEqual(self.env.company.pm_sms_provider, "none")
        # and an account without one sends nothing
        self.env.company.sudo().pm_sms_provider = "aliyun"
        self.assertFalse(self.env.company._pm_sms_configured())
