# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, models

EMAIL_LAYOUT = "mail.mail_notification_light"


class PmOwnerNotify(models.AbstractModel):
    """The one router of owner events (R-CHANNEL-1): each event of a record
    gives one message to the owner, on the owner's channel, falling back to the
    next channel when a channel cannot take it (or later refuses it for good,
    ``sms.sms._pm_fall_back``). Staff keep their emails and notifications."""

    _name = "pm.owner.notify"
    _description = "Owner Notification Router"

    @api.model
    def _pm_notify(
        self, record, event, partner, values=None, email_template=None, skip=()
    ):
        """Send ``event`` of ``record`` to ``partner`` on the first channel of
        the owner's channels (not in ``skip``) that takes it; the channel used,
        or False when none could. ``values`` (the event's values, ``VALUES``
        keys) may be a function giving them, called once when a channel needs
        them (the email channel does not)."""
        if not partner or not record:
            return False
        record.ensure_one()
        partner.ensure_one()
        company = self.env["pm.sms.template"]._pm_company_of(record)
        if not email_template and not (
            company and company.sudo()._pm_owner_push_channels()
        ):
            # an event without an email, and no SMS or WeChat at the company:
            # nothing can carry it (the owner is not even read)
            return False
        resolved = None
        for channel in partner._pm_owner_channels(company):
            if channel in skip:
                continue
            if channel == "email":
                channel_values = {}
            else:
                if resolved is None:
                    resolved = (values() if callable(values) else values) or {}
                channel_values = resolved
            if self._pm_send(
                channel, record, event, partner, channel_values, email_template
            ):
                return channel
        return False

    @api.model
    def _pm_send(self, channel, record, event, partner, values, email_template):
        """Queue the message of ``event`` on ``channel``; truthy when queued."""
        if channel == "sms":
            if not event:
                return False
            # the chatter's trace of the message is written for the staff
            staff = record
            if hasattr(record, "_pm_staff_lang"):
                staff = record.with_context(lang=record._pm_staff_lang())
            queued = self.env["pm.sms.template"]._pm_queue_event(
                staff, event, partner, values
            )
            if queued:
                queued.sudo().write(
                    {
                        "pm_res_model": record._name,
                        "pm_res_id": record.id,
                        "pm_email_template_id": email_template.id
                        if email_template
                        else False,
                        "pm_notify_values": json.dumps(
                            values, ensure_ascii=False, default=str
                        ),
                    }
                )
                if queued.state == "error":
                    # refused before it left (a variable too long for the
                    # provider): the owner is told on the next channel
                    return False
            return queued
        if channel == "email":
            if not email_template or not partner.email:
                return False
            if hasattr(record, "_pm_owner_email"):
                return record._pm_owner_email(email_template, partner)
            return record._pm_queue_template(
                email_template, partner, email_layout_xmlid=EMAIL_LAYOUT
            )
        return False
