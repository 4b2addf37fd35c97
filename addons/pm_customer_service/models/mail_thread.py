# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import mimetypes
import re

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import (
    email_domain_extract,
    email_normalize,
    html_sanitize,
    parse_contact_from_email,
)
from odoo.tools.mail import append_content_to_html

from odoo.addons.pm_base.tools import clock, images

from . import mail_rules

_logger = logging.getLogger(__name__)

# context key a staff template reads in its ``lang`` field: the language of the
# recipient the email is rendered for
MAIL_LANG_CTX = "pm_mail_lang"
# context key: the partner of a visitor who reports without logging in (QR code
# of a common area); what their report posts is authored by them
VISITOR_CTX = "pm_visitor_partner_id"
# the staff's task to check an email kept from the owner's conversation
TODO_ACTIVITY = "mail.mail_activity_data_todo"
# context key the mail gateway sets for the property-service records: why the
# sender of the email being processed is not verified (mail_rules), or False
SENDER_FAILURE_CTX = "pm_mail_sender_failure"
# characters PostgreSQL (NUL) or lxml refuse in text: the control characters
# other than tab and line breaks
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a tracked date and time as Odoo hands it to its email layouts: UTC, with seconds
# ("2026-12-08 01:30:00Z", the web client converts it, an email does not)
TRACKED_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})Z$")
# the values of a parsed email that are text stored as such
PARSED_TEXT_KEYS = ("subject", "email_from", "from", "to", "cc", "body")


def _strip_control_chars(value):
    """``value`` without control characters, of the same type (Markup stays
    Markup); anything but text as it is."""
    if not isinstance(value, str) or not CONTROL_CHARS_RE.search(value):
        return value
    cleaned = CONTROL_CHARS_RE.sub("", value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def _decode_text(payload, charset):
    """The text of a MIME part's bytes in ``charset``; an unknown or wrong
    charset reads as UTF-8, undecodable bytes as replacement characters."""
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def local_tracked_value(value, tz_name):
    """A value of a tracking line of a notification email as staff read it: a
    date and time on the property's clock, without seconds (R-TZ-2); any other
    value as it is."""
    match = isinstance(value, str) and TRACKED_DATETIME_RE.match(value)
    if not match:
        return value
    return clock.local_stamp(fields.Datetime.to_datetime(match[1]), tz_name)


def is_service_model(model_name):
    """Whether ``model_name`` is a model of the property-service addons."""
    return bool(model_name) and model_name.startswith("pm.")


class MailThread(models.AbstractModel):
    """Emails of the property-service records always go through the mail queue
    (R-MAIL-1, SPEC §4).

    Odoo sends the notifications of a message with few recipients at once, at the
    end of the request or cron that posted it: a down SMTP server then marks them
    failed for good, and a hanging one blocks the user. For the ``pm.*`` models
    the notification emails are only queued; the mail queue cron sends them and
    retries when the server is back.
    """

    _inherit = "mail.thread"

    # ------------------------------------------------------------
    # INCOMING EMAIL (R-INTAKE-4)
    # ------------------------------------------------------------

    @api.model
    def message_parse(self, message, save_original=False):
        """No email is lost for a character PostgreSQL or the HTML tools refuse
        (e.g. a NUL byte): they are dropped from its text."""
        msg_dict = super().message_parse(message, save_original=save_original)
        for key in PARSED_TEXT_KEYS:
            if key in msg_dict:
                msg_dict[key] = _strip_control_chars(msg_dict[key])
        return msg_dict

    def _message_parse_extract_payload(
        self, message, message_dict, save_original=False
    ):
        """An email Odoo's strict reading fails on (an unknown charset, bytes
        invalid in the declared one, NUL bytes) is read leniently instead of
        being lost: what can be decoded, the rest as replacement characters."""
        try:
            return super()._message_parse_extract_payload(
                message, message_dict, save_original=save_original
            )
        except (LookupError, ValueError) as exc:
            # UnicodeError is a ValueError
            _logger.info(
                "Incoming email %s read leniently: %s",
                message_dict.get("message_id"),
                exc,
            )
            return self._pm_extract_payload_leniently(message, save_original)

    def _pm_extract_payload_leniently(self, message, save_original=False):
        """Body and attachments of ``message`` decoded part by part, without
        failing: the HTML parts if any, else the plain text ones."""
        attachments = []
        if save_original:
            try:
                original = message.as_bytes()
            except (LookupError, ValueError):
                original = None
            if original:
                attachments.append(self._Attachment("original_email.eml", original, {}))
        html_parts, text_parts = [], []
        for part in message.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename()
            content_type = part.get_content_type()
            payload = part.get_payload(decode=True) or b""
            if (
                filename
                or part.get_content_disposition() == "attachment"
                or content_type not in ("text/plain", "text/html")
            ):
                name = _strip_control_chars(filename or "attachment")
                info = {}
                if filename and part.get("content-id"):
                    info["cid"] = part.get("content-id").strip("<>")
                attachments.append(self._Attachment(name, payload, info))
                continue
            text = _strip_control_chars(
                _decode_text(payload, part.get_content_charset())
            )
            (html_parts if content_type == "text/html" else text_parts).append(text)
        if html_parts:
            body = html_sanitize(
                "".join(html_parts), sanitize_tags=False, strip_classes=True
            )
        else:
            body = append_content_to_html("", "\n".join(text_parts), preserve=True)
        return self._message_parse_extract_payload_postprocess(
            message, {"body": body, "attachments": attachments}
        )

    def message_update(self, msg_dict, update_vals=None):
        """A reply to a property-service record (a case, a repair order) from
        someone who does not take part in it (see ``_pm_takes_part``), or whose
        sender the mail servers did not vouch for, is kept as an internal note
        for the staff with a task to check it: it is not a message of the
        owner's conversation (the owner neither sees it on the portal nor is
        notified of it). Only the files the portal accepts are kept, the others
        are listed for the staff."""
        if is_service_model(self._name) and len(self) == 1:
            failure = self.env.context.get(SENDER_FAILURE_CTX)
            email = parse_contact_from_email(msg_dict.get("email_from") or "")[1]
            refused = self._pm_mail_keep_accepted_files(msg_dict)
            if failure or not self._pm_takes_part(email):
                self._pm_mail_to_staff(msg_dict, email, failure)
            self._pm_note_refused_files(email, refused)
        return super().message_update(msg_dict, update_vals=update_vals)

    def _pm_takes_part(self, email):
        """Whether ``email`` is the address of someone taking part in the record:
        a follower, its owner (``partner_id``) or a staff member."""
        self.ensure_one()
        normalized = email_normalize(email or "")
        if not normalized:
            return False
        partners = self.sudo().message_partner_ids
        owner = self._fields.get("partner_id")
        if owner and owner.comodel_name == "res.partner":
            partners |= self.sudo().partner_id
        if normalized in partners.mapped("email_normalized"):
            return True
        return bool(
            self.env["res.users"]
            .sudo()
            .search_count(
                [("email_normalized", "=", normalized), ("share", "=", False)],
                limit=1,
            )
        )

    def _pm_mail_to_staff(self, msg_dict, email, failure):
        """Turn the incoming ``msg_dict`` into an internal note without an author
        (nor a parent, whose author would be notified), headed by why, and give
        the staff member handling the record a task to check it."""
        self.ensure_one()
        case = self.with_context(lang=self._pm_staff_lang())
        if failure:
            why = case.env._(
                "Email from an unverified sender: the sender's address could not "
                "be verified (%(reason)s). Kept for the staff only: the owner does "
                "not see it.",
                reason=case._pm_sender_failure_text(failure),
            )
        else:
            why = case.env._(
                "Email from %(sender)s, who is not a follower of %(record)s: kept "
                "for the staff only, the owner does not see it. Answer the sender "
                "yourself if it concerns %(record)s.",
                sender=email or case.env._("an unknown sender"),
                record=self.display_name,
            )
        body = msg_dict.get("body") or ""
        msg_dict.update(
            {
                "is_internal": True,
                "author_id": False,
                # the gateway's HTML of the email, sanitized when stored
                "body": Markup("<p><strong>%s</strong></p>") % why + Markup(body),
            }
        )
        msg_dict.pop("parent_id", None)
        user = self._pm_mail_reviewer()
        # a record without activities keeps the note only
        if user and hasattr(self, "activity_schedule"):
            self.with_user(SUPERUSER_ID).sudo().with_context(
                lang=user.lang or self.env.lang
            ).activity_schedule(
                TODO_ACTIVITY,
                summary=case.env._("Check an email from an unverified sender"),
                note=why,
                user_id=user.id,
            )

    def _pm_sender_failure_text(self, failure):
        """What a staff member reads for a ``mail_rules`` failure code."""
        if failure == mail_rules.DMARC_FAILED:
            return self.env._(
                "the domain of the address does not vouch for this email (DMARC "
                "failed)"
            )
        return self.env._(
            "the email was not sent by a server of the address's domain (SPF "
            "failed) and carries no valid signature of it (DKIM)"
        )

    @api.model
    def _pm_mail_keep_accepted_files(self, msg_dict):
        """Keep in ``msg_dict`` the files the portal accepts (photos and PDF
        documents, checked as the portal checks them); return the others as
        [(file name, why)], why being ``size``, ``kind`` or ``image``."""
        limit = images.upload_max_bytes(self.env)
        kept, refused = [], []
        for attachment in msg_dict.get("attachments") or ():
            name, content = attachment[0] or "attachment", attachment[1]
            info = attachment[2] if len(attachment) > 2 else {}
            data = content
            if isinstance(content, str):
                data = content.encode(
                    (info or {}).get("encoding") or "utf-8", "replace"
                )
            elif not isinstance(content, bytes):
                # e.g. an attached email (message/rfc822)
                data = bytes(content) if content is not None else b""
            if len(data) > limit:
                refused.append((name, "size"))
                continue
            mimetype = images.upload_mimetype(data)
            if not mimetype:
                refused.append((name, "kind"))
                continue
            if mimetype.startswith("image/"):
                try:
                    # bombs refused from the header, big photos downscaled once
                    data, mimetype = images.check_image(self.env, data, name)
                except UserError:
                    refused.append((name, "image"))
                    continue
            if mimetypes.guess_type(name)[0] != mimetype:
                # stored under a name that says what it is (no "photo.exe")
                name += mimetypes.guess_extension(mimetype) or ""
            kept.append(self._Attachment(name, data, dict(info or {})))
        if "attachments" in msg_dict:
            msg_dict["attachments"] = kept
        return refused

    def _pm_note_refused_files(self, email, refused):
        """An internal note listing the files of an email that were not kept."""
        self.ensure_one()
        if not refused:
            return
        case = self.with_context(lang=self._pm_staff_lang())
        reasons = {
            "size": case.env._(
                "larger than %s MB",
                round(images.upload_max_bytes(self.env) / 1024 / 1024, 1),
            ),
            "kind": case.env._("not a photo or a PDF document"),
            "image": case.env._("a photo that cannot be read or has too many pixels"),
        }
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % case.env._("%(name)s: %(why)s", name=name, why=reasons[why])
            for name, why in refused
        )
        case._pm_note_for_staff(
            case.env._(
                "Files of the email from %(sender)s that were not kept (emails, "
                "like the portal, only bring photos and PDF documents):",
                sender=email or case.env._("an unknown sender"),
            ),
            Markup("<ul>%s</ul>") % lines,
        )

    def _pm_note_for_staff(self, text, extra=""):
        """An internal note of the system (not of the email's sender) in the
        staff's language."""
        self.ensure_one()
        case = self.with_context(lang=self._pm_staff_lang())
        case.message_post(
            body=Markup("<p>%s</p>%s") % (text, extra),
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _pm_mail_reviewer(self):
        """The staff member who checks what an email brought to the record: its
        responsible (``user_id``), if any."""
        self.ensure_one()
        user = self._fields.get("user_id")
        if user and user.comodel_name == "res.users":
            return self.sudo().user_id
        return self.env["res.users"]

    def _pm_staff_lang(self):
        """The language of the staff member who checks the record's emails."""
        self.ensure_one()
        return self._pm_mail_reviewer().lang or self.env.lang

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """The property-service records learn whether the mail servers vouched for
        the sender (``mail_rules``); an email that fails is not processed as the
        user its forged From names, but as the gateway."""
        if not any(is_service_model(route[0]) for route in routes or ()):
            return super()._message_route_process(message, message_dict, routes)
        failure = mail_rules.sender_failure(
            message.get_all("Authentication-Results") or (),
            message.get_all("ARC-Authentication-Results") or (),
            message.get_all("Received-SPF") or (),
            email_domain_extract(message_dict.get("email_from") or ""),
        )
        if failure:
            routes = [
                (model, thread_id, values, SUPERUSER_ID, alias)
                if is_service_model(model)
                else (model, thread_id, values, user_id, alias)
                for model, thread_id, values, user_id, alias in routes
            ]
        thread = self.with_context(**{SENDER_FAILURE_CTX: failure or False})
        return super(MailThread, thread)._message_route_process(
            message, message_dict, routes
        )

    def _notify_thread_by_email(
        self, message, recipients_data, msg_vals=False, **kwargs
    ):
        thread = self
        if is_service_model(self._name):
            kwargs["force_send"] = False
            thread = self.with_context(mail_notify_force_send=False)
        return super(MailThread, thread)._notify_thread_by_email(
            message, recipients_data, msg_vals=msg_vals, **kwargs
        )

    def _notify_by_email_prepare_rendering_context(
        self, message, msg_vals=False, **kwargs
    ):
        """The changes a notification email lists ("处理时限: … → …") give their
        dates and times on the property's clock, as 2026-12-08 09:30 (Odoo writes
        them in UTC, with seconds)."""
        context = super()._notify_by_email_prepare_rendering_context(
            message, msg_vals=msg_vals, **kwargs
        )
        if is_service_model(self._name) and context.get("tracking_values"):
            record = self[:1].sudo()
            tz_name = record.property_id.tz if "property_id" in record else None
            context["tracking_values"] = [
                (
                    name,
                    local_tracked_value(old, tz_name),
                    local_tracked_value(new, tz_name),
                )
                for name, old, new in context["tracking_values"]
            ]
        return context

    def _notify_get_recipients_groups_fillup(
        self, groups, model_description, msg_vals=None
    ):
        """The button of a notification email reads "查看报事" (open the case), not
        Odoo's Chinese "视图 报事" (a view, as of a screen layout)."""
        if is_service_model(self._name):
            title = (
                self.env._("View %s", model_description)
                if model_description
                else self.env._("View")
            )
            for _name, _match, group_data in groups:
                group_data.setdefault("button_access", {}).setdefault("title", title)
        return super()._notify_get_recipients_groups_fillup(
            groups, model_description, msg_vals=msg_vals
        )

    def _message_compute_author(self, author_id=None, email_from=None, **kwargs):
        # a visitor's report: its messages name the visitor, not the public user
        visitor = self.env.context.get(VISITOR_CTX)
        if author_id is None and not email_from and visitor:
            if self.env.user._is_public():
                author_id = visitor
        return super()._message_compute_author(author_id, email_from, **kwargs)

    # ------------------------------------------------------------
    # RATINGS: THE OWNER'S ANSWER THROUGH THE RATING LINKS ONLY (R-OWNER-1, R-FLOW-2)
    # ------------------------------------------------------------

    def _pm_rating_refusal(self):
        """Why Odoo's ways of writing a rating are closed on the service records:
        the rating links of the emails (``pm.case._pm_rating_apply``) hold the
        owner's rules, and staff record the owner's answer with the wizard."""
        return self.env._(
            "A request's rating is the owner's answer through the links of the rating "
            "email. Staff record an answer the owner gave by phone, on paper or in "
            "person with 'Record Owner Decision' on the request."
        )

    def rating_apply(self, rate, token=None, rating=None, feedback=None, **kwargs):
        """Odoo's rating of a record by token (its ``/rate`` pages, RPC) knows none
        of the owner's rules: closed on the service records."""
        if is_service_model(self._name):
            raise UserError(self._pm_rating_refusal())
        return super().rating_apply(
            rate, token=token, rating=rating, feedback=feedback, **kwargs
        )

    def message_post(self, **kwargs):
        """A message carrying a rating (the portal chatter's stars,
        ``/mail/message/post``, RPC) would be a rating of the record outside the
        owner's rules: refused on the service records."""
        if kwargs.get("rating_value") and is_service_model(self._name):
            raise UserError(self._pm_rating_refusal())
        return super().message_post(**kwargs)

    def _pm_queue_template(self, template, partners, email_values=None, **kwargs):
        """Queue ``template`` on each record for ``partners``, one email per
        language, rendered in the recipients' language (R-MAIL-1).

        Staff templates take their language from the ``pm_mail_lang`` context key;
        recipients without an email are skipped. Returns the ``mail.mail`` created.
        """
        mails = self.env["mail.mail"]
        partners = partners.filtered("email")
        if not template or not partners:
            return mails
        by_lang = {}
        for partner in partners:
            by_lang.setdefault(partner.lang or False, partners.browse())
            by_lang[partner.lang or False] |= partner
        for lang, group in by_lang.items():
            values = dict(email_values or {}, recipient_ids=[(6, 0, group.ids)])
            sender = template.with_context(**{MAIL_LANG_CTX: lang})
            for record in self:
                mail_id = sender.send_mail(
                    record.id, force_send=False, email_values=values, **kwargs
                )
                mails |= mails.browse(mail_id)
        return mails

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        """The owner logged in on the portal writes messages on the property
        records they may read (their requests and repair orders), as the token
        link of an email lets them: Odoo asks for write access to post, which
        an owner never has, and the page opened from the owner's list carries
        no token (SPEC §10: owners follow their requests on the portal)."""
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        portal_record = is_service_model(self._name) and isinstance(
            self, self.pool["portal.mixin"]
        )
        if thread or mode == "read" or not portal_record:
            return thread
        user = self.env.user
        if not user.share or user._is_public():
            return thread
        # read access through the record rules: the owner's household
        readable = super()._get_thread_with_access(thread_id, mode="read")
        return readable.sudo() if readable else thread
