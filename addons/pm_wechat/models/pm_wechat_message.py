# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
from urllib.parse import urlencode

import requests
from markupsafe import Markup
from wechatpy.exceptions import WeChatClientException

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools import cron
from odoo.addons.pm_channel.models.pm_sms_template import EVENTS

from ..tools import wechat_api, wechat_rules

_logger = logging.getLogger(__name__)

QUEUE_CRON = "pm_wechat.ir_cron_pm_wechat_message_send"
BATCH_SIZE = 50


class PmWechatMessage(models.Model):
    """A template message of the company's WeChat Official Account to a bound
    owner (issue 23), in a queue: the cron sends it, a WeChat that is down or
    busy leaves it queued for a later try (backing off, nothing lost); a
    permanent refusal (unfollowed account, wrong openid or template) fails it,
    tells the staff in the record's chatter and reaches the owner on the next
    channel."""

    _name = "pm.wechat.message"
    _description = "WeChat Message"
    _order = "id desc"
    _rec_name = "partner_id"

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    openid = fields.Char(string="OpenID", readonly=True)
    event = fields.Selection(EVENTS, required=True, readonly=True)
    template_code = fields.Char(string="Template ID", readonly=True)
    data = fields.Text(string="Template Data", readonly=True)
    url = fields.Char(string="Page", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    # what the next channel needs when WeChat refuses the message for good
    event_values = fields.Text(readonly=True)
    email_template_id = fields.Many2one(
        "mail.template", readonly=True, ondelete="set null"
    )
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("failed", "Failed")],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    next_try = fields.Datetime(readonly=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    wechat_msgid = fields.Char(string="WeChat Message ID", readonly=True)
    error_code = fields.Char(string="WeChat Error Code", readonly=True)
    error_message = fields.Char(string="WeChat Error", readonly=True)

    # the queue reads the messages due: queued ones only
    _queue_index = models.Index("(next_try, id) WHERE state = 'queued'")

    @api.depends("partner_id", "event")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for message in self:
            message.display_name = (
                f"{message.partner_id.name or ''} · {events.get(message.event, '')}"
            )

    # ------------------------------------------------------------
    # QUEUEING (the one way an owner event reaches WeChat)
    # ------------------------------------------------------------

    @api.model
    def _pm_queue(self, record, event, partner, values, email_template=None):
        """Queue the template message of ``event`` of ``record`` to ``partner``
        (never sent now). Nothing when the record's company has no configured
        account, no template for the event, or the partner no openid of its
        account. ``values`` are the event's values (``VALUES`` keys of
        pm_channel) as the owner reads them. Returns the message queued."""
        company = self._pm_company_of(record)
        if not company or not company._pm_wechat_configured():
            return self.browse()
        partner = partner.sudo()
        if partner.pm_wechat_company_id != company or not partner.pm_wechat_openid:
            return self.browse()
        template = (
            self.env["pm.wechat.template"]
            .sudo()
            .search([("company_id", "=", company.id), ("event", "=", event)], limit=1)
        )
        if not template:
            return self.browse()
        lines = [(line.key, line.value) for line in template.line_ids]
        if isinstance(email_template, str):
            email_template = self.env.ref(email_template, raise_if_not_found=False)
        message = self.sudo().create(
            {
                "company_id": company.id,
                "partner_id": partner.id,
                "openid": partner.pm_wechat_openid,
                "event": event,
                "template_code": template.template_id,
                "data": json.dumps(
                    wechat_rules.template_data(lines, values), ensure_ascii=False
                ),
                "url": self._pm_page_url(record, company),
                "res_model": record._name,
                "res_id": record.id,
                "event_values": json.dumps(values or {}, ensure_ascii=False),
                "email_template_id": email_template.id if email_template else False,
            }
        )
        self.env.ref(QUEUE_CRON).sudo()._trigger()
        return message

    @api.model
    def _pm_company_of(self, record):
        if "company_id" in record._fields and record.company_id:
            return record.company_id
        return self.env.company

    @api.model
    def _pm_page_url(self, record, company):
        """The page the message opens: the record's portal page, through the
        account's sign-in (the owner lands on it signed in)."""
        target = "/my"
        if "access_url" in record._fields and record.sudo().access_url:
            target = record.sudo().access_url
        base = record.sudo().get_base_url().rstrip("/")
        query = urlencode({"company": company.id, "redirect": target})
        return f"{base}/pm_wechat/oauth?{query}"

    # ------------------------------------------------------------
    # THE QUEUE
    # ------------------------------------------------------------

    @api.model
    def _pm_queue_domain(self, now):
        return [
            ("state", "=", "queued"),
            "|",
            ("next_try", "=", False),
            ("next_try", "<=", now),
        ]

    @api.model
    @cron.exclusive_run
    def _cron_pm_send(self, batch_size=BATCH_SIZE):
        """Send the queued messages that are due, a batch at a time, each
        company's through its account; wake again when the first message
        waiting for a retry is due."""
        queue = self.env.ref(QUEUE_CRON).sudo()

        def step(messages):
            messages.invalidate_recordset()
            messages.filtered(lambda m: m.state == "queued")._pm_send()

        cron.run_in_batches(
            self.sudo(),
            "_cron_pm_send",
            self._pm_queue_domain(fields.Datetime.now()),
            step,
            batch_size,
            queue._trigger,
            order="id",
        )
        self._pm_plan_next_try()
        return True

    def _pm_send(self):
        for company, messages in self.grouped("company_id").items():
            if not company._pm_wechat_configured():
                # an account switched off meanwhile: the messages wait for it
                messages._pm_outcome(None, "", None)
                continue
            client = wechat_api.client(company)
            for message in messages:
                message._pm_send_one(client)

    def _pm_send_one(self, client):
        self.ensure_one()
        try:
            answer = client.message.send_template(
                self.openid, self.template_code, json.loads(self.data or "{}"), self.url
            )
        except WeChatClientException as error:
            self._pm_outcome(error.errcode, error.errmsg, None)
        except requests.RequestException as error:
            _logger.info("WeChat not reached: %s", error)
            self._pm_outcome(None, str(error), None)
        else:
            self._pm_outcome(0, "", answer.get("msgid"))

    def _pm_outcome(self, errcode, errmsg, msgid):
        """Record WeChat's answer on the messages (``errcode`` 0: sent, None:
        no answer)."""
        now = fields.Datetime.now()
        kind = wechat_rules.verdict(errcode)
        for message in self:
            attempts = message.attempt_count + 1
            if kind == wechat_rules.SENT:
                message.write(
                    {
                        "state": "sent",
                        "attempt_count": attempts,
                        "sent_at": now,
                        "next_try": False,
                        "wechat_msgid": str(msgid or "") or False,
                        "error_code": False,
                        "error_message": False,
                    }
                )
                continue
            values = {
                "attempt_count": attempts,
                "error_code": False if errcode is None else str(errcode),
                "error_message": (errmsg or "")[:500] or False,
            }
            if kind == wechat_rules.RETRY:
                values["next_try"] = now + wechat_rules.retry_delay(attempts)
                message.write(values)
                continue
            values.update({"state": "failed", "next_try": False})
            message.write(values)
            message._pm_note_failure()
            message._pm_fallback()

    def _pm_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].sudo().browse(self.res_id).exists() or None

    def _pm_note_failure(self):
        """The staff read why the owner got no WeChat message in the record's
        chatter, in their language."""
        record = self._pm_record()
        if record is None or not hasattr(record, "message_post"):
            return
        lang = (
            record._pm_staff_lang() if hasattr(record, "_pm_staff_lang") else None
        ) or self.env.lang
        record = record.with_context(lang=lang)
        env = record.env
        reasons = {
            "43004": env._("the owner no longer follows the Official Account"),
            "43101": env._("the owner refused the account's messages"),
            "40003": env._("WeChat does not know the owner's binding"),
            "40037": env._("WeChat does not accept the template"),
            "47003": env._("WeChat does not accept the template's data"),
        }
        reason = reasons.get(self.error_code) or env._("WeChat refused it")
        text = env._(
            "The WeChat message to %(owner)s was not sent: %(reason)s.",
            owner=self.partner_id.name or "",
            reason=reason,
        )
        if self.error_message:
            text += " " + env._(
                "WeChat says: %(code)s %(message)s",
                code=self.error_code or "",
                message=self.error_message,
            )
        record.message_post(
            body=Markup("<p>%s</p>") % text,
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _pm_owner_router(self):
        """The owner-channel router of pm_channel (``pm.owner.notify``), None
        while it is not installed."""
        if "pm.owner.notify" in self.env:
            return self.env["pm.owner.notify"].sudo()
        return None

    def _pm_fallback(self):
        """WeChat refused the message for good: the owner is told on the next
        channel of the router (SMS, else email)."""
        self.ensure_one()
        router = self._pm_owner_router()
        record = self._pm_record()
        if router is None or record is None:
            return None
        return router._pm_notify(
            record,
            self.event,
            self.partner_id,
            values=json.loads(self.event_values or "{}"),
            email_template=self.email_template_id or None,
            skip=("wechat",),
        )

    @api.model
    def _pm_plan_next_try(self):
        """Wake the queue when the first waiting message is due (once)."""
        waiting = self.sudo().search(
            [("state", "=", "queued"), ("next_try", "!=", False)],
            order="next_try",
            limit=1,
        )
        if waiting:
            cron.wake_at(self.env, QUEUE_CRON, waiting.next_try)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_pm_retry(self):
        """Managers send a failed message again (after the owner followed the
        account again, or the template was fixed)."""
        if not self.env.user.has_group("pm_base.group_pm_manager"):
            raise AccessError(self.env._("Only managers send WeChat messages again."))
        self.filtered(lambda m: m.state == "failed").sudo().write(
            {"state": "queued", "next_try": False}
        )
        self.env.ref(QUEUE_CRON).sudo()._trigger()
        return True

    def action_pm_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
