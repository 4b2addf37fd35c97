# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError

# context key a staff template reads in its ``lang`` field: the language of the
# recipient the email is rendered for
MAIL_LANG_CTX = "pm_mail_lang"
# context key: the partner of a visitor who reports without logging in (QR code
# of a common area); what their report posts is authored by them
VISITOR_CTX = "pm_visitor_partner_id"


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

    def _notify_thread_by_email(
        self, message, recipients_data, msg_vals=False, **kwargs
    ):
        thread = self
        if self._name.startswith("pm."):
            kwargs["force_send"] = False
            thread = self.with_context(mail_notify_force_send=False)
        return super(MailThread, thread)._notify_thread_by_email(
            message, recipients_data, msg_vals=msg_vals, **kwargs
        )

    def _notify_get_recipients_groups_fillup(
        self, groups, model_description, msg_vals=None
    ):
        """The button of a notification email reads "查看报事" (open the case), not
        Odoo's Chinese "视图 报事" (a view, as of a screen layout)."""
        if self._name.startswith("pm."):
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

    @api.returns("mail.message", lambda value: value.id)
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

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The owner logged in on the portal writes messages on the property
        records they may read (their requests and repair orders), as the token
        link of an email lets them: Odoo asks for write access to post, which
        an owner never has, and the page opened from the owner's list carries
        no token (SPEC §10: owners follow their requests on the portal)."""
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        portal_record = self._name.startswith("pm.") and isinstance(
            self, self.pool["portal.mixin"]
        )
        if thread or mode == "read" or not portal_record:
            return thread
        user = self.env.user
        if not user.share or user._is_public():
            return thread
        # read access through the record rules: the owner's household
        readable = super()._get_thread_with_access(thread_id, "read")
        return readable.sudo() if readable else thread
