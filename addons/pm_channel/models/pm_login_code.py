# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import secrets
import zlib
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError

from ..tools import phone_login
from .pm_sms_template import template_params

_logger = logging.getLogger(__name__)

MINUTES_PARAM = "pm_channel.login_code_minutes"
# a request's row is kept a day for the limits and the audit, then vacuumed
KEEP = timedelta(days=1)


class PmLoginCode(models.Model):
    """A sign-in code asked for by SMS (R-LOGIN-1). Every request of a
    well-formed number makes one, known number or not, so that the limits, the
    answers and the refusals are the same for any number; the code is sent to
    the one portal user of the number only, and only its keyed hash is kept."""

    _name = "pm.login.code"
    _description = "Sign-in Code"
    _order = "requested_at desc, id desc"
    _log_access = False

    number = fields.Char(required=True, index=True, readonly=True)
    address = fields.Char(string="IP Address", index=True, readonly=True)
    requested_at = fields.Datetime(required=True, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", index="btree_not_null", ondelete="cascade", readonly=True
    )
    salt = fields.Char(readonly=True)
    code_hash = fields.Char(readonly=True)
    valid_until = fields.Datetime(readonly=True)
    attempt_count = fields.Integer(readonly=True)
    used = fields.Boolean(readonly=True)

    # ------------------------------------------------------------
    # ASKING FOR A CODE
    # ------------------------------------------------------------

    @api.model
    def _pm_minutes(self):
        return phone_login.minutes_setting(
            self.env["ir.config_parameter"].sudo().get_param(MINUTES_PARAM)
        )

    @api.model
    def _pm_request(self, typed_number, address):
        """Record a request for a code to ``typed_number`` from ``address`` and
        send the code when the number is the one of a single portal user.

        :return: the 11 digits of the number
        :raise UserError: a malformed number, or a number or address over its
            limits (the same for a known or an unknown number)
        """
        number = phone_login.mobile(typed_number)
        if not number:
            raise UserError(_("Enter a mainland China mobile number of 11 digits."))
        address = (address or "")[:64]
        Code = self.sudo()
        # one request of a number at a time: two at once cannot both pass the limits
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [zlib.crc32(b"pm.login.code"), zlib.crc32(number.encode()) - 2**31],
        )
        now = fields.Datetime.now()
        since = now - phone_login.HOUR
        number_times = Code.search(
            [("number", "=", number), ("requested_at", ">", since)]
        ).mapped("requested_at")
        address_times = (
            Code.search(
                [("address", "=", address), ("requested_at", ">", since)]
            ).mapped("requested_at")
            if address
            else []
        )
        verdict, seconds = phone_login.request_verdict(number_times, address_times, now)
        if verdict != phone_login.OK:
            if verdict == phone_login.WAIT:
                error = UserError(
                    _("A code was just sent. Ask for a new one in %s seconds.", seconds)
                )
            else:
                error = UserError(
                    _(
                        "Too many codes were asked for. Try again in %s minutes.",
                        -(-seconds // 60),
                    )
                )
            error.pm_rate_limited = True
            raise error
        user = self._pm_owner_user(number)
        # only the newest code of a number signs in
        Code.search([("number", "=", number), ("used", "=", False)]).write(
            {"used": True}
        )
        # a number of nobody gets a code too, sent to nobody: it expires, counts
        # wrong guesses and refuses as any code does
        code = phone_login.new_code()
        salt = secrets.token_hex(8)
        minutes = self._pm_minutes()
        Code.create(
            {
                "number": number,
                "address": address,
                "requested_at": now,
                "user_id": user.id,
                "salt": salt,
                "code_hash": phone_login.code_hash(
                    self._pm_secret(), salt, number, code
                ),
                "valid_until": phone_login.expires_at(now, minutes),
            }
        )
        if user:
            self._pm_queue_sms(user, number, code, minutes)
        return number

    @api.model
    def _pm_owner_user(self, number):
        """The one active portal user whose contact has ``number``; none for an
        unknown number, a number of the staff, or of several users."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("phone_mobile_search", "=like", f"%{number}")])
            .filtered(lambda p: phone_login.mobile(p.phone) == number)
        )
        users = (
            self.env["res.users"].sudo().search([("partner_id", "in", partners.ids)])
        )
        if len(users) != 1 or not users._is_portal():
            if users:
                _logger.info(
                    "Sign-in code not sent: the number is of %s user(s), not one owner",
                    len(users),
                )
            return self.env["res.users"]
        return users

    @api.model
    def _pm_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _pm_queue_sms(self, user, number, code, minutes):
        """The code in Odoo's SMS queue (sent at once by the queue's job): on the
        company's provider with its sign-in template when it has one, as
        Odoo's own free-text SMS otherwise."""
        company = user.company_id.sudo()
        partner = user.partner_id.sudo()
        lang = partner.lang or user.lang or self.env.lang
        body = self.with_context(lang=lang).env._(
            "Your sign-in code is %(code)s, valid for %(minutes)s minutes. "
            "Never tell it to anyone.",
            code=code,
            minutes=minutes,
        )
        values = {
            "number": number,
            "partner_id": partner.id,
            "body": body,
            "state": "outgoing",
        }
        if company._pm_sms_configured() and company.pm_sms_login_template_code:
            lines = [("code", "login_code"), ("minutes", "login_minutes")]
            values.update(
                {
                    "pm_company_id": company.id,
                    "pm_template_code": company.pm_sms_login_template_code,
                    "pm_template_params": template_params(
                        company.pm_sms_provider,
                        lines,
                        {"login_code": code, "login_minutes": minutes},
                    ),
                }
            )
        return self.env["sms.sms"].sudo().create(values)

    # ------------------------------------------------------------
    # SIGNING IN WITH IT
    # ------------------------------------------------------------

    @api.model
    def _pm_current(self, number):
        """The newest code sent to ``number`` still unspent, locked."""
        code = self.sudo().search(
            [("number", "=", number), ("used", "=", False)], limit=1
        )
        return code.try_lock_for_update(allow_referencing=True) if code else code

    @api.model
    def _pm_check(self, code, user, typed_code):
        """Spend ``code`` (the newest of a number, see ``_pm_current``) when
        ``typed_code`` is it and it was sent to ``user`` (one use); count a wrong
        guess, spending the code at the 5th. A number of nobody has a code of
        nobody and goes through the same refusals. Raises ``AccessDenied`` with
        the reason the owner reads."""
        code = code.sudo()
        if not code:
            raise AccessDenied(self._pm_wrong())
        if phone_login.is_expired(code.valid_until, fields.Datetime.now()):
            code.used = True
            raise AccessDenied(_("The code has expired. Ask for a new one."))
        if not phone_login.code_matches(
            code.code_hash, self._pm_secret(), code.salt, code.number, typed_code
        ):
            attempts = code.attempt_count + 1
            code.write(
                {
                    "attempt_count": attempts,
                    "used": attempts >= phone_login.MAX_ATTEMPTS,
                }
            )
            if attempts >= phone_login.MAX_ATTEMPTS:
                raise AccessDenied(_("Too many wrong codes. Ask for a new one."))
            raise AccessDenied(self._pm_wrong())
        code.used = True
        if not user or code.user_id != user:
            raise AccessDenied(self._pm_wrong())
        return True

    @api.model
    def _pm_wrong(self):
        return _(
            "The code is not right or no longer valid. Check it or ask for a new one."
        )

    @api.autovacuum
    def _gc_requests(self):
        self.sudo().search(
            [("requested_at", "<", fields.Datetime.now() - KEEP)]
        ).unlink()
