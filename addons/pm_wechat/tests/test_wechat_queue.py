# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat template messages to bound owners (issue 23) through wechatpy,
against a loopback server speaking WeChat's API: queued, sent by the cron
once, retried with backoff while WeChat is down or busy, failed for good on a
permanent refusal with a note for the staff and the owner's next channel."""

import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.pm_channel.tests.provider_servers import free_port
from odoo.addons.pm_customer_service.tests.common import PmCaseCommon, assert_table

from ..tools import wechat_rules
from .wechat_server import WeChatServer

APP_ID = "wx1234567890abcdef"
APP_SECRET = "0123456789abcdef0123456789abcdef"
OPENID = "oWangWei-0000000000000000000"
# 10:00 on Monday 2 March 2026 in Shanghai
T0 = datetime(2026, 3, 2, 2, 0)


@tagged("pm_wechat", "post_install", "-at_install")
class PmWechatCommon(PmCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.wechat = WeChatServer(APP_ID, APP_SECRET)
        cls.addClassCleanup(cls.wechat.stop)
        (cls.user_technician | cls.user_agent | cls.user_leader).write(
            {"lang": "zh_CN"}
        )
        cls.owner.lang = "zh_CN"
        cls.Message = cls.env["pm.wechat.message"]

    def setUp(self):
        super().setUp()
        self.wechat.reset()

    def _configure(self, endpoint=None, **values):
        # the administrator saves the account in Settings › Property Service
        self._set_settings(
            {
                "pm_wechat_enabled": True,
                "pm_wechat_app_id": APP_ID,
                "pm_wechat_app_secret": APP_SECRET,
                "pm_wechat_token": "pmTokenOfTheServerUrl",
                "pm_wechat_endpoint": endpoint or self.wechat.url,
                **values,
            }
        )

    def _map(self, event="case_received", template_id="TPL-received-0001"):
        return (
            self.env["pm.wechat.template"]
            .with_user(self.user_manager)
            .with_context(default_event=event)
            .create({"event": event, "template_id": template_id})
        )

    def _bind(self, partner=None, openid=OPENID):
        (partner or self.owner)._pm_wechat_bind(self.company, openid)

    def _queue(self, case, partner=None, event="case_received"):
        partner = partner or self.owner
        return self.Message._pm_queue(
            case,
            event,
            partner,
            case.with_context(lang="zh_CN")._pm_sms_values(),
            email_template="pm_customer_service.mail_template_pm_case_receipt",
        )

    def _run(self):
        self.Message._cron_pm_send()
        self.env.invalidate_all()


class TestWechatRules(PmWechatCommon):
    def test_verdicts_and_backoff(self):
        assert_table(
            self,
            wechat_rules.verdict,
            [
                (0, wechat_rules.SENT),
                (None, wechat_rules.RETRY),
                (-1, wechat_rules.RETRY),
                (40001, wechat_rules.RETRY),
                (42001, wechat_rules.RETRY),
                (45009, wechat_rules.RETRY),
                (43004, wechat_rules.ERROR),
                (40003, wechat_rules.ERROR),
                (40037, wechat_rules.ERROR),
                (47003, wechat_rules.ERROR),
                (99999, wechat_rules.RETRY),
            ],
        )
        assert_table(
            self,
            wechat_rules.retry_delay,
            [
                (1, timedelta(minutes=1)),
                (2, timedelta(minutes=2)),
                (3, timedelta(minutes=4)),
                (9, timedelta(minutes=256)),
                (10, timedelta(hours=6)),
                (60, timedelta(hours=6)),
            ],
        )

    def test_sign_in_proof(self):
        proof = wechat_rules.sign_in_proof("secret", 1, OPENID, stamp=1000)
        assert_table(
            self,
            lambda company, openid, typed, now: wechat_rules.proof_valid(
                "secret", company, openid, typed, now=now
            ),
            [
                (1, OPENID, proof, 1000, True),
                (1, OPENID, proof, 1300, True),
                (1, OPENID, proof, 1301, False),  # too old
                (1, OPENID, proof, 999, False),  # from the future
                (2, OPENID, proof, 1000, False),  # another company
                (1, "oOther", proof, 1000, False),  # another openid
                (1, OPENID, proof[:-1] + "0", 1000, False),
                (1, OPENID, "", 1000, False),
                (1, OPENID, None, 1000, False),
                (1, "", proof, 1000, False),
            ],
        )
        self.assertFalse(wechat_rules.proof_valid("other", 1, OPENID, proof, now=1000))


class TestWechatAccount(PmWechatCommon):
    def test_disabled_until_configured(self):
        """The demo company has no account: nothing is queued, nothing reaches
        WeChat."""
        self.assertFalse(self.company._pm_wechat_configured())
        self._bind()
        self._map()
        case = self._create_case()
        self.assertFalse(self._queue(case))
        # switched on without its keys: the page refuses to save
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._set_settings({"pm_wechat_enabled": True, "pm_wechat_app_id": APP_ID})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._configure(pm_wechat_aes_key="too-short")
        self.env.invalidate_all()
        self.assertFalse(self.company._pm_wechat_configured())
        self._configure()
        self.assertTrue(self.company._pm_wechat_configured())
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            settings.pm_wechat_server_url,
            f"{self.company.get_base_url()}/pm_wechat/server/{self.company.id}",
        )
        self.assertIn("/pm_wechat/oauth?company=", settings.pm_wechat_menu_url)
        self.assertIn("redirect=%2Fmy%2Fcases", settings.pm_wechat_menu_url)
        self.assertIn("TPL-received-0001", settings.pm_wechat_event_summary)

    def test_secrets_for_system_admins_only(self):
        self._configure()
        company = self.company.with_user(self.user_manager)
        with self.assertRaises(AccessError):
            _secret = company.pm_wechat_app_secret
        self.assertEqual(company.pm_wechat_app_id, APP_ID)

    def test_binding_rules(self):
        """The openid is unique per company's account, staff see it and unbind
        it, an owner never writes it."""
        self._configure()
        self._bind()
        other = self.env["res.partner"].create({"name": "Owner Li"})
        with self.assertRaises(UserError):
            other._pm_wechat_bind(self.company, OPENID)
        self.assertFalse(other.pm_wechat_openid)
        owner_user = self._pm_user("pm_t_wechat_owner", "base.group_portal")
        with self.assertRaises(AccessError):
            owner_user.partner_id.with_user(owner_user).write(
                {"pm_wechat_openid": "oForged"}
            )
        with self.assertRaises(AccessError):
            self.owner.with_user(self.user_agent).write({"pm_wechat_openid": "oForged"})
        # the front desk sees the binding and removes it with its button
        owner = self.owner.with_user(self.user_agent)
        self.assertEqual(owner.pm_wechat_openid, OPENID)
        self.assertTrue(owner.pm_wechat_bound)
        owner.action_pm_wechat_unbind()
        self.assertFalse(self.owner.pm_wechat_openid)
        self.assertFalse(self.owner.pm_wechat_company_id)
        with self.assertRaises(AccessError):
            self.owner.with_user(owner_user).action_pm_wechat_unbind()


class TestWechatMessages(PmWechatCommon):
    def test_template_message_sent_once(self):
        self._configure()
        # recorded before the owner is bound: only the message queued below
        case = self._create_case()
        self._bind()
        self._map()
        message = self._queue(case)
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.openid, OPENID)
        # queued only: nothing reached WeChat yet, the queue's job is due
        self.assertFalse(self.wechat.sent)
        cron = self.env.ref("pm_wechat.ir_cron_pm_wechat_message_send")
        self.assertTrue(
            self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)])
        )
        self._run()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.attempt_count, 1)
        self.assertTrue(message.wechat_msgid)
        self.assertEqual(self.wechat.token_fetches, 1)
        self.assertEqual(len(self.wechat.sent), 1)
        sent = self.wechat.sent[0]
        self.assertEqual(sent["touser"], OPENID)
        self.assertEqual(sent["template_id"], "TPL-received-0001")
        self.assertEqual(sent["data"]["keyword1"]["value"], case.name)
        self.assertEqual(sent["data"]["keyword2"]["value"], case.subject)
        # it opens the case's page through the account's sign-in
        url = urlsplit(sent["url"])
        self.assertEqual(url.path, "/pm_wechat/oauth")
        query = parse_qs(url.query)
        self.assertEqual(query["company"], [str(self.company.id)])
        self.assertEqual(query["redirect"], [f"/my/cases/{case.id}"])
        # a second run sends nothing again; a second message reuses the token
        self._run()
        self.assertEqual(len(self.wechat.sent), 1)
        self._queue(case)
        self._run()
        self.assertEqual(len(self.wechat.sent), 2)
        self.assertEqual(self.wechat.token_fetches, 1)

    def test_bound_owner_told_on_wechat_only(self):
        """R-CHANNEL-1: an owner bound to the account is told of the request's
        events by WeChat, one message per event, and gets no email of them;
        the front desk records the request as every day."""
        self._configure()
        self._bind()
        self._map()
        self._map(event="case_acknowledged", template_id="TPL-acknowledged-01")
        mark = self._mail_mark()
        case = self.Case.with_user(self.user_agent).create(self._case_vals())
        _mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 0)
        messages = self.Message.search([("partner_id", "=", self.owner.id)])
        events = messages.mapped("event")
        self.assertIn("case_received", events)
        self.assertEqual(len(events), len(set(events)))
        self.assertEqual(set(messages.mapped("res_id")), {case.id})
        self._run()
        self.assertEqual(len(self.wechat.sent), len(messages))
        self.assertEqual(set(messages.mapped("state")), {"sent"})

    def test_nothing_queued_without_mapping_or_binding(self):
        self._configure()
        case = self._create_case()
        # not bound
        self._map()
        self.assertFalse(self._queue(case))
        # bound, but the event has no template
        self._bind()
        self.assertFalse(self._queue(case, event="resolved"))
        self.assertTrue(self._queue(case))

    def test_expired_access_token_fetched_again(self):
        self._configure()
        # recorded before the owner is bound: only the message queued below
        case = self._create_case()
        self._bind()
        self._map()
        self._queue(case)
        self._run()
        self.wechat.expire_tokens()
        message = self._queue(case)
        self._run()
        self.assertEqual(message.state, "sent")
        self.assertEqual(self.wechat.token_fetches, 2)
        self.assertEqual(len(self.wechat.sent), 2)

    def test_wechat_down_sixty_messages(self):
        """WeChat down, then busy, for 60 messages: they stay queued, are tried
        again later (backing off), and all reach the owners once it is back."""
        self._map()
        owners = self.env["res.partner"].create(
            [{"name": f"Owner {index}"} for index in range(60)]
        )
        with freeze_time(T0) as frozen:
            # nobody listens at the API's address
            self._configure(endpoint=f"http://127.0.0.1:{free_port()}")
            for index, owner in enumerate(owners):
                owner._pm_wechat_bind(self.company, f"oOwner{index:04d}")
            case = self._create_case()
            messages = self.Message.browse()
            for owner in owners:
                messages |= self._queue(case, partner=owner)
            self.assertEqual(len(messages), 60)
            self._run()
            self.assertEqual(set(messages.mapped("state")), {"queued"})
            self.assertEqual(set(messages.mapped("attempt_count")), {1})
            self.assertEqual(
                set(messages.mapped("next_try")), {T0 + timedelta(minutes=1)}
            )
            # the queue wakes itself when the first retry is due
            cron = self.env.ref("pm_wechat.ir_cron_pm_wechat_message_send")
            self.assertIn(
                T0 + timedelta(minutes=1),
                self.env["ir.cron.trigger"]
                .sudo()
                .search([("cron_id", "=", cron.id)])
                .mapped("call_at"),
            )
            # not due yet: not tried
            self._run()
            self.assertEqual(set(messages.mapped("attempt_count")), {1})
            # back, but busy (-1 system error): tried again, backing off
            self._configure()
            self.wechat.busy = True
            frozen.tick(timedelta(minutes=1))
            self._run()
            self.assertEqual(set(messages.mapped("state")), {"queued"})
            self.assertEqual(set(messages.mapped("attempt_count")), {2})
            self.assertEqual(set(messages.mapped("error_code")), {"-1"})
            self.assertEqual(
                set(messages.mapped("next_try")), {T0 + timedelta(minutes=3)}
            )
            self.assertFalse(self.wechat.sent)
            # WeChat answers again: every message sent, once
            self.wechat.busy = False
            frozen.tick(timedelta(minutes=2))
            self._run()
            self._run()
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        touched = [sent["touser"] for sent in self.wechat.sent]
        self.assertEqual(len(touched), 60)
        self.assertEqual(set(touched), {f"oOwner{index:04d}" for index in range(60)})

    def test_unfollowed_owner_failed_and_told(self):
        """43004 (the owner no longer follows the account): the message fails
        for good, the staff read why in the case's chatter (Chinese), the
        owner is reached on the next channel, and it is never sent again."""
        self._configure()
        # recorded before the owner is bound: only the message queued below
        case = self._create_case()
        self._bind()
        self._map()
        message = self._queue(case)
        self.wechat.fail[OPENID] = (43004, "require subscribe rid: 6528a1c9-1e2f")
        mark = self._mail_mark()
        self._run()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.error_code, "43004")
        self.assertEqual(message.error_message, "require subscribe rid: 6528a1c9-1e2f")
        notes = case.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
            and "43004" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("微信消息", notes.body)
        self.assertIn("已取消关注公众号", notes.body)
        self.assertIn(notes, case.with_user(self.user_technician).message_ids)
        # the fallback: the same event to the same owner on the next channel
        # (no SMS provider here: the receipt email), once
        _mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 1)
        # never retried, nothing sent again
        self.wechat.fail.clear()
        mark = self._mail_mark()
        self._run()
        self.assertFalse(self.wechat.sent)
        _mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 0)

    def test_bad_template_failed(self):
        self._configure()
        case = self._create_case()
        self._bind()
        self._map(template_id="TPL-deleted")
        self.wechat.fail[OPENID] = (40037, "invalid template_id")
        message = self._queue(case)
        mark = self._mail_mark()
        self._run()
        self.assertEqual(message.state, "failed")
        _mails, per_partner = self._emails_since(mark)
        self.assertEqual(per_partner[self.owner], 1)
        note = case.message_ids.filtered(lambda m: "40037" in (m.body or ""))
        self.assertIn("模板", note.body)
        # the manager sends it again once the template is fixed
        self.wechat.fail.clear()
        with self.assertRaises(AccessError):
            message.with_user(self.user_agent).action_pm_retry()
        message.with_user(self.user_manager).action_pm_retry()
        self._run()
        self.assertEqual(message.state, "sent")
        self.assertEqual(json.loads(message.data)["keyword1"]["value"], case.name)
