# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import smtplib

from odoo import api, models

from .mail_thread import is_service_model

_logger = logging.getLogger(__name__)

# set by the mail queue cron: emails it cannot hand to a server stay queued
KEEP_UNSENT_CTX = "pm_mail_keep_unsent"

# Odoo's credit under its emails: "Powered by <a href=odoo.com?utm_source=db>Odoo</a>"
# in the notification layouts and the account emails, in each language's words
# ("技术提供 Odoo", "由 Odoo 驱动"), with the text around the link
ODOO_CREDIT_RE = re.compile(
    r"[^<>]*<a\s[^>]*utm_source=db[^>]*>\s*Odoo\s*</a>[^<>]*", re.IGNORECASE
)
# what the credit leaves behind: the separator before "Unfollow", empty rows/tables
UNFOLLOW_SEPARATOR_RE = re.compile(r'(<span id="mail_unfollow">\s*)\|\s*')
EMPTY_BLOCK_RE = re.compile(r"<tr>\s*<td[^>]*>\s*</td>\s*</tr>|<table[^>]*>\s*</table>")


def remove_odoo_credit(body):
    """``body`` without Odoo's "Powered by Odoo" credit (and the blocks that held
    only it); other links to odoo.com stay."""
    cleaned, found = ODOO_CREDIT_RE.subn("", body)
    if not found:
        return body
    cleaned = UNFOLLOW_SEPARATOR_RE.sub(r"\1", cleaned)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = EMPTY_BLOCK_RE.sub("", cleaned)
    return cleaned


class MailMail(models.Model):
    """A down SMTP server delays mail, never loses it (SPEC §4, R-MAIL-1).

    Odoo marks every email of a batch failed when the queue cron cannot connect
    to the outgoing server, and never retries it. Here the queue cron leaves them
    queued instead: its next run sends them once the server answers again. Errors
    of a single email (refused recipient, invalid sender) still fail that email.
    """

    _inherit = "mail.mail"

    @api.model_create_multi
    def create(self, vals_list):
        """Emails of property-service records leave within moments, not at the
        queue cron's next hourly run: the first one queued in a transaction wakes
        the queue cron up once the transaction commits.

        Every email leaves with the company's footer only: Odoo's "Powered by
        Odoo" credit (notification layouts, invitation and password emails, in
        every language) is taken out here, once for all of them."""
        for vals in vals_list:
            if vals.get("body_html"):
                vals["body_html"] = remove_odoo_credit(vals["body_html"])
        mails = super().create(vals_list)
        data = self.env.cr.precommit.data
        if not data.get("pm_mail_queue_trigger") and any(
            mail.state == "outgoing" and is_service_model(mail.model) for mail in mails
        ):
            data["pm_mail_queue_trigger"] = True
            self.env.cr.precommit.add(self._pm_trigger_queue)
        return mails

    @api.model
    def _pm_trigger_queue(self):
        self.env.cr.precommit.data.pop("pm_mail_queue_trigger", None)
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action", False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def process_email_queue(self, email_ids=(), batch_size=1000):
        return super(
            MailMail, self.with_context(**{KEEP_UNSENT_CTX: True})
        ).process_email_queue(email_ids=email_ids, batch_size=batch_size)

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        if raise_exception or not self.env.context.get(KEEP_UNSENT_CTX):
            return super().send(
                auto_commit=auto_commit,
                raise_exception=raise_exception,
                post_send_callback=post_send_callback,
            )
        IrMailServer = self.env["ir.mail_server"]
        for (
            server_id,
            alias_domain_id,
            smtp_from,
            batch_ids,
        ) in self._split_by_mail_configuration():
            mail_server = IrMailServer.browse(server_id)
            if mail_server and mail_server.owner_user_id:
                # personal mail servers are throttled, as Odoo does
                batch_ids = (
                    self.browse(batch_ids)._split_by_delayed_batch(mail_server).ids
                )
                if not batch_ids:
                    continue
            try:
                smtp_session = IrMailServer._connect__(
                    mail_server_id=server_id, smtp_from=smtp_from
                )
            except Exception as error:  # pylint: disable=broad-except
                # unreachable, refused, timed out, misconfigured: retried later
                _logger.warning(
                    "Outgoing mail server unreachable (%s): %s email(s) stay in the "
                    "queue for the next run",
                    error,
                    len(batch_ids),
                )
                continue
            try:
                self.browse(batch_ids)._send(
                    auto_commit=auto_commit,
                    raise_exception=raise_exception,
                    smtp_session=smtp_session,
                    alias_domain_id=alias_domain_id,
                    mail_server=mail_server,
                    post_send_callback=post_send_callback,
                )
            finally:
                if smtp_session:
                    try:
                        smtp_session.quit()
                    except smtplib.SMTPServerDisconnected:
                        # sent, then the server hung up first: nothing lost
                        _logger.info("Outgoing mail server already disconnected")
        return True
