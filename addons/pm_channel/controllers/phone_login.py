# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owners' sign-in page by mobile number and SMS code (issue 23,
R-LOGIN-1): ``/web/login/phone``, reached from Odoo's login page and from a QR
code scanned while logged out, back to where the owner was going."""

from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from odoo.addons.pm_customer_service.controllers.portal import PmCustomerPortal
from odoo.addons.web.controllers.utils import _get_login_redirect_url

from ..models.res_users_phone_login import PHONE_CREDENTIAL
from ..tools import phone_login

PAGE = "pm_channel.phone_login"


class PmPhoneLogin(http.Controller):
    @http.route(
        "/web/login/phone",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        multilang=False,
        sitemap=False,
        readonly=False,
    )
    def pm_phone_login(self, redirect=None, number=None, code=None, **kw):
        """GET: the number to send a code to. POST without ``code``: send one
        and ask for it. POST with ``code``: sign in and go to ``redirect`` (a
        path of this site, ``/my`` otherwise)."""
        target = phone_login.local_redirect(redirect)
        if request.session.uid and request.httprequest.method == "GET":
            return request.redirect(target)
        if request.httprequest.method == "GET":
            return self._pm_page(target)
        if code is None or kw.get("resend"):
            return self._pm_send(target, number, resend=bool(kw.get("resend")))
        return self._pm_sign_in(target, number, code)

    def _pm_send(self, target, number, resend=False):
        try:
            number = request.env["pm.login.code"]._pm_request(
                number, request.httprequest.remote_addr
            )
        except UserError as error:
            status = 429 if getattr(error, "pm_rate_limited", False) else 400
            # a new code refused: the one sent before may still be typed
            return self._pm_page(
                target,
                number=number,
                code_step=resend,
                error=error.args[0],
                status=status,
            )
        return self._pm_page(target, number=number, sent=True)

    def _pm_sign_in(self, target, number, code):
        typed = phone_login.mobile(number)
        if not typed:
            return self._pm_page(
                target,
                number=number,
                error=request.env._(
                    "Enter a mainland China mobile number of 11 digits."
                ),
                status=400,
            )
        credential = {"type": PHONE_CREDENTIAL, "pm_number": typed, "pm_code": code}
        try:
            auth_info = request.session.authenticate(request.env, credential)
        except AccessDenied as error:
            message = error.args[0] if error.args else ""
            if not message or error.args == AccessDenied().args:
                message = request.env["pm.login.code"]._pm_wrong()
            return self._pm_page(
                target, number=typed, code_step=True, error=message, status=400
            )
        return request.redirect(_get_login_redirect_url(auth_info["uid"], target))

    def _pm_page(
        self, target, number=None, sent=False, code_step=False, error=None, status=200
    ):
        typed = phone_login.mobile(number) if isinstance(number, str) else None
        values = {
            "redirect": target,
            "number": typed or (number if isinstance(number, str) else "")[:40],
            "masked_number": phone_login.masked(typed),
            "code_step": bool(typed) and (sent or code_step),
            "sent": sent,
            "error": error,
            "password_url": "/web/login?" + urlencode({"redirect": target}),
            "other_number_url": "/web/login/phone?" + urlencode({"redirect": target}),
            "minutes": request.env["pm.login.code"]._pm_minutes(),
        }
        response = request.render(PAGE, values, status=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response


class PmPhoneLoginPortal(PmCustomerPortal):
    def _pm_login_redirect(self):
        """A QR code scanned while logged out: the phone sign-in, then back to
        the form with its place."""
        query = urlencode({"redirect": request.httprequest.full_path})
        return request.redirect(f"/web/login/phone?{query}")
