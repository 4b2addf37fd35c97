# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from markupsafe import Markup

from odoo import api, fields, models

from odoo.addons.pm_base.tools import cron

from ..tools import sms_rules
from ..tools.sms_providers import PmSmsApi
from .pm_sms_template import EVENTS, QUEUE_CRON

_logger = logging.getLogger(__name__)


class SmsSms(models.Model):
    """Owner SMS through a Chinese provider (issue 23): a template code and its
    parameters on the message; a provider that is down or busy leaves it in the
    queue for a later try (``pm_next_try``, backing off), a refusal is recorded
    on it and told to the staff in the record's chatter."""

    _inherit = "sms.sms"

    pm_company_id = fields.Many2one("res.company", string="Company", readonly=True)
    pm_event = fields.Selection(EVENTS, string="Event", readonly=True)
    pm_property_id = fields.Many2one(
        "pm.property", string="Property", readonly=True, index="btree_not_null"
    )
    pm_template_code = fields.Char(string="Template Code", readonly=True)
    pm_template_params = fields.Text(string="Template Parameters", readonly=True)
    pm_attempt_count = fields.Integer(string="Attempts", readonly=True)
    pm_next_try = fields.Datetime(string="Next Try", readonly=True, index=True)
    pm_provider_ref = fields.Char(string="Provider Reference", readonly=True)
    pm_error_code = fields.Char(string="Provider Error Code", readonly=True)
    pm_error_message = fields.Char(string="Provider Error", readonly=True)
    pm_failure_reason = fields.Selection(
        [
            (sms_rules.NUMBER, "Invalid Mobile Number"),
            (sms_rules.CREDIT, "No Credit or Limit Reached"),
            (sms_rules.ACCOUNT, "Account, Keys or Signature Refused"),
            (sms_rules.TEMPLATE, "Template or Variables Refused"),
            (sms_rules.OTHER, "Refused by the Provider"),
        ],
        string="Failure Reason",
        readonly=True,
    )
    # what the owner router needs to tell the owner another way when the
    # provider refuses the message for good (R-CHANNEL-1)
    pm_res_model = fields.Char(string="Document Model", readonly=True)
    pm_res_id = fields.Many2oneReference(
        string="Document", model_field="pm_res_model", readonly=True
    )
    pm_email_template_id = fields.Many2one(
        "mail.template", string="Email Template", readonly=True, ondelete="set null"
    )
    pm_notify_values = fields.Text(string="Event Values", readonly=True)

    def _get_sms_company(self):
        return self.pm_company_id[:1] or super()._get_sms_company()

    def _split_by_api(self):
        ours = self.filtered(lambda s: s.pm_company_id.sudo()._pm_sms_configured())
        for company, group in ours.grouped("pm_company_id").items():
            sms_api = company._get_sms_api_class()(self.env)
            sms_api._set_company(company)
            yield sms_api, group
        if self - ours:
            yield from super(SmsSms, self - ours)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """The queue sends without an API: each company's provider."""
        if self.env.context.get("sms_api"):
            return super()._send(unlink_failed, unlink_sent, raise_exception)
        for sms_api, group in self._split_by_api():
            super(SmsSms, group.with_context(sms_api=sms_api))._send(
                unlink_failed, unlink_sent, raise_exception
            )
        return None

    def _send_with_api(
        self, sms_api, unlink_failed=False, unlink_sent=True, raise_exception=False
    ):
        if not isinstance(sms_api, PmSmsApi):
            return super()._send_with_api(
                sms_api, unlink_failed, unlink_sent, raise_exception
            )
        free_text = self.filtered(lambda s: not s.pm_template_code)
        if free_text:
            super(SmsSms, free_text)._send_with_api(
                sms_api, unlink_failed, unlink_sent, raise_exception
            )
        todo = self - free_text
        bad = todo.filtered(lambda s: not sms_rules.cn_mobile(s.number))
        if bad:
            bad._pm_record_refusal(sms_api.provider, sms_rules.NUMBER, "", "")
        for group in sms_api._pm_groups(todo - bad):
            group = self.browse([sms.id for sms in group])
            if cron.scheduled(self.env):
                # committed after the former call: hold the rows again, skip what
                # another run sent meanwhile
                group.invalidate_recordset()
                group = group.try_lock_for_update().filtered_domain(
                    [("state", "=", "outgoing"), ("to_delete", "!=", True)]
                )
                if not group:
                    continue
            outcomes = sms_api._pm_send_group(list(group))
            group._pm_apply(sms_api, outcomes, unlink_sent)
            # under the scheduler, what the provider took is committed before
            # the next call: a later failure cannot send it again
            cron.commit_progress(self.env, len(group), None)
        return None

    def _pm_apply(self, sms_api, outcomes, unlink_sent):
        now = fields.Datetime.now()
        sent = self.browse()
        for outcome in outcomes:
            sms = outcome.sms.sudo()
            kind, reason = sms_rules.verdict(
                sms_api.provider, outcome.code, outcome.status
            )
            attempts = sms.pm_attempt_count + 1
            if kind == sms_rules.SENT:
                sms.sms_tracker_id._action_update_from_sms_state("pending")
                sms.write(
                    {
                        "state": "pending",
                        "failure_type": False,
                        "pm_attempt_count": attempts,
                        "pm_next_try": False,
                        "pm_provider_ref": outcome.ref,
                        "pm_error_code": False,
                        "pm_error_message": False,
                        "to_delete": unlink_sent,
                    }
                )
                sent |= sms
            elif kind == sms_rules.RETRY:
                sms.write(
                    {
                        "pm_attempt_count": attempts,
                        "pm_next_try": now + sms_rules.retry_delay(attempts),
                        "pm_error_code": outcome.code or False,
                        "pm_error_message": (outcome.message or "")[:500] or False,
                    }
                )
            else:
                sms.pm_attempt_count = attempts
                sms._pm_record_refusal(
                    sms_api.provider, reason, outcome.code, outcome.message
                )
        # counted before Odoo deletes the sent messages
        self.env["pm.sms.outcome"]._pm_record(sent, "sent")
        self.mail_message_id._notify_message_notification_update()

    def _pm_record_refusal(self, provider, reason, code, message):
        """A permanent refusal (``reason`` of ``sms_rules``) of ``provider``
        ("aliyun", "tencent"): the message fails with the provider's code and
        words, and the staff read it in the record's chatter."""
        # (an SMS API, as callers passed before, names its provider)
        provider = getattr(provider, "provider", provider)
        failure_type = sms_rules.FAILURE_TYPES[reason]
        for sms in self.sudo():
            sms.sms_tracker_id._action_update_from_sms_state(
                "error", failure_type=failure_type
            )
            sms.write(
                {
                    "state": "error",
                    "failure_type": failure_type,
                    "pm_failure_reason": reason,
                    "pm_next_try": False,
                    "pm_error_code": code or False,
                    "pm_error_message": (message or "")[:500] or False,
                }
            )
            sms._pm_note_refusal(provider)
        self.env["pm.sms.outcome"]._pm_record(self, "failed")
        for sms in self.sudo():
            sms._pm_fall_back()

    def _pm_fall_back(self):
        """The provider refused the owner's message for good: the router tells
        the owner on the next channel (e.g. the email), once."""
        self.ensure_one()
        if not self.pm_res_model or not self.pm_event or not self.partner_id:
            return False
        if self.pm_res_model not in self.env:
            return False
        env = self.env(context=dict(self.env.context, pm_notify_fallback=True), su=True)
        record = env[self.pm_res_model].browse(self.pm_res_id).exists()
        if not record:
            return False
        try:
            values = json.loads(self.pm_notify_values or "{}")
        except ValueError:
            values = {}
        return env["pm.owner.notify"]._pm_notify(
            record,
            self.pm_event,
            self.partner_id.with_env(env),
            values=values,
            email_template=self.pm_email_template_id.with_env(env),
            skip=("sms",),
        )

    def _pm_note_refusal(self, provider):
        self.ensure_one()
        message = self.mail_message_id
        if not message.model or not message.res_id:
            return
        record = self.env[message.model].sudo().browse(message.res_id).exists()
        if not record or not hasattr(record, "message_post"):
            return
        lang = (
            record._pm_staff_lang() if hasattr(record, "_pm_staff_lang") else None
        ) or self.env.lang
        record = record.with_context(lang=lang)
        env = record.env
        reasons = {
            sms_rules.NUMBER: env._("the mobile number is not valid"),
            sms_rules.CREDIT: env._(
                "the SMS account has no credit left or reached its limit"
            ),
            sms_rules.ACCOUNT: env._(
                "the SMS account, its keys or its signature are not accepted"
            ),
            sms_rules.TEMPLATE: env._(
                "the provider does not accept the template or its variables"
            ),
        }
        reason = reasons.get(self.pm_failure_reason) or env._("the provider refused it")
        provider = dict(
            self.env["res.company"]
            ._fields["pm_sms_provider"]
            ._description_selection(env)
        ).get(provider, "")
        text = env._(
            "The SMS to %(owner)s (%(number)s) was not sent: %(reason)s.",
            owner=self.partner_id.name or "",
            number=self.number or "",
            reason=reason,
        )
        if self.pm_error_message and not self.pm_error_code:
            # our own check before sending: our words
            text += " " + self.pm_error_message
        elif self.pm_error_message:
            text += " " + env._(
                "%(provider)s says: %(message)s",
                provider=provider,
                message=self.pm_error_message,
            )
        record.message_post(
            body=Markup("<p>%s</p>") % text,
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------
    # THE QUEUE
    # ------------------------------------------------------------

    @api.model
    def _pm_queue_domain(self, now):
        return [
            ("state", "=", "outgoing"),
            ("to_delete", "!=", True),
            "|",
            ("pm_next_try", "=", False),
            ("pm_next_try", "<=", now),
        ]

    @api.model
    def _process_queue(self):
        """Odoo's SMS queue, leaving the messages waiting for their next try
        (``pm_next_try``) until then; the job comes back at the earliest."""
        now = fields.Datetime.now()
        domain = self._pm_queue_domain(now)
        batch_size = self._get_send_batch_size()
        records = self.search(
            domain, limit=batch_size, order="id"
        ).try_lock_for_update()
        if records:
            records._send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        remaining = self.search_count(domain) if len(records) == batch_size else 0
        self._pm_plan_next_try()
        cron.commit_progress(self.env, 0, remaining)

    @api.model
    def _pm_plan_next_try(self):
        """Wake the queue when the first waiting message is due (once)."""
        waiting = self.search(
            [("state", "=", "outgoing"), ("pm_next_try", "!=", False)],
            order="pm_next_try",
            limit=1,
        )
        if waiting:
            cron.wake_at(self.env, QUEUE_CRON, waiting.pm_next_try)
