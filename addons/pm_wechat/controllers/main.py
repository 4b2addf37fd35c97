# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's WeChat Official Account on the web (issue 23):

- ``/pm_wechat/server/<company>``: the server URL WeChat calls (signature
  checked, followers greeted);
- ``/pm_wechat/oauth``: the account's menu opens the portal through WeChat's
  sign-in (网页授权), back at ``/pm_wechat/oauth/callback``;
- ``/pm_wechat/bind``: an owner not bound yet proves their mobile number with an
  SMS code (pm_channel's codes and limits) and their WeChat is bound;
- ``/pm_wechat/invite/<token>``: an invitation link staff made binds the WeChat
  that opens it."""

import logging
import secrets
import time
from urllib.parse import urlencode

import requests
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import (
    InvalidAppIdException,
    InvalidSignatureException,
    WeChatOAuthException,
)
from wechatpy.utils import check_signature
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessDenied, UserError
from odoo.http import request

from odoo.addons.pm_channel.models.res_users_phone_login import PHONE_CREDENTIAL
from odoo.addons.pm_channel.tools import phone_login
from odoo.addons.web.controllers.utils import _get_login_redirect_url

from ..models.res_users import WECHAT_CREDENTIAL
from ..tools import wechat_api, wechat_rules

_logger = logging.getLogger(__name__)

PAGE = "pm_wechat.wechat_bind"
# session keys: the OAuth under way, the openid waiting for its binding, an
# invitation being opened
OAUTH_KEY = "pm_wechat_oauth"
BIND_KEY = "pm_wechat_bind"
INVITE_KEY = "pm_wechat_invite"
# minutes an openid waits in the session for the owner to prove their number
BIND_MINUTES = 30


class PmWechat(http.Controller):
    # ------------------------------------------------------------
    # SERVER URL (WeChat calls it)
    # ------------------------------------------------------------

    @http.route(
        "/pm_wechat/server/<int:company_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        sitemap=False,
    )
    def pm_wechat_server(self, company_id, **params):
        """GET: WeChat checks the URL (echo ``echostr``). POST: a message or
        event of a follower. A call WeChat did not sign is refused (403)."""
        company = request.env["res.company"].sudo().browse(company_id).exists()
        if not company or not company._pm_wechat_configured():
            raise NotFound()
        try:
            check_signature(
                company.pm_wechat_token,
                params.get("signature") or "",
                params.get("timestamp") or "",
                params.get("nonce") or "",
            )
        except InvalidSignatureException:
            return self._pm_text("forbidden", 403)
        if request.httprequest.method == "GET":
            return self._pm_text(params.get("echostr") or "")
        body = request.httprequest.get_data()
        crypto = None
        if params.get("encrypt_type") == "aes" and company.pm_wechat_aes_key:
            crypto = WeChatCrypto(
                company.pm_wechat_token,
                company.pm_wechat_aes_key.strip(),
                company.pm_wechat_app_id,
            )
            try:
                body = crypto.decrypt_message(
                    body,
                    params.get("msg_signature") or "",
                    params.get("timestamp") or "",
                    params.get("nonce") or "",
                )
            except (InvalidSignatureException, InvalidAppIdException):
                return self._pm_text("forbidden", 403)
            except Exception:  # a garbled body is refused, never a 500
                return self._pm_text("bad request", 400)
        try:
            message = parse_message(body)
        except Exception:  # a garbled body is refused, never a 500
            return self._pm_text("bad request", 400)
        reply = self._pm_reply(company, message)
        if reply is None:
            # WeChat's "nothing to say": it shows no error to the follower
            return self._pm_text("success")
        xml = reply.render()
        if crypto:
            xml = crypto.encrypt_message(
                xml, params.get("nonce") or "", params.get("timestamp")
            )
        return request.make_response(
            xml, headers=[("Content-Type", "application/xml; charset=utf-8")]
        )

    def _pm_reply(self, company, message):
        """A new follower is greeted and told how to open the portal; other
        messages get no automatic answer (the service centre answers them in
        WeChat's own console)."""
        if message.type != "event":
            return None
        if message.event == "subscribe":
            # followers read Chinese; the company's language without it
            lang = (
                request.env["res.lang"].sudo()._get_code("zh_CN")
                or company.partner_id.lang
            )
            env = request.env(context=dict(request.env.context, lang=lang))
            text = env._(
                "Welcome to %(company)s! Open the menu to report a repair or a "
                "request and follow it; the first time, confirm your mobile number "
                "to bind your WeChat.",
                company=company.name,
            )
            return create_reply(text, message)
        if message.event == "unsubscribe":
            _logger.info("WeChat: a follower of company %s left", company.id)
        return None

    def _pm_text(self, text, status=200):
        return request.make_response(
            text, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )

    # ------------------------------------------------------------
    # OAUTH (网页授权)
    # ------------------------------------------------------------

    @http.route(
        "/pm_wechat/oauth",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=False,
    )
    def pm_wechat_oauth(self, company=None, redirect=None, **kw):
        """The account's menu: to ``redirect`` (a path of this site) signed in
        by WeChat."""
        target = phone_login.local_redirect(redirect)
        account = self._pm_company(company)
        if not account:
            # no account here: the owner signs in with their mobile number
            return request.redirect(
                "/web/login/phone?" + urlencode({"redirect": target})
            )
        if request.session.uid:
            return request.redirect(target)
        return self._pm_start_oauth(account, target)

    def _pm_company(self, company_id):
        try:
            company_id = int(company_id)
        except (TypeError, ValueError):
            return None
        company = request.env["res.company"].sudo().browse(company_id).exists()
        if not company or not company._pm_wechat_configured():
            return None
        return company

    def _pm_start_oauth(self, company, target):
        state = secrets.token_urlsafe(16)
        request.session[OAUTH_KEY] = {
            "state": state,
            "company": company.id,
            "redirect": target,
        }
        callback = (
            request.httprequest.url_root.rstrip("/") + "/pm_wechat/oauth/callback"
        )
        url = wechat_api.oauth(company, callback, state).authorize_url
        return request.redirect(url, local=False)

    @http.route(
        "/pm_wechat/oauth/callback",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=False,
    )
    def pm_wechat_oauth_callback(self, code=None, state=None, **kw):
        """WeChat's answer: the code, exchanged for the visitor's openid. A
        bound owner is signed in; anybody else proves who they are first."""
        pending = request.session.get(OAUTH_KEY) or {}
        if (
            not code
            or not isinstance(state, str)
            or not pending.get("state")
            or not secrets.compare_digest(pending["state"], state)
        ):
            return self._pm_page(
                error=request.env._(
                    "The WeChat sign-in has expired. Open the page again from the "
                    "account's menu."
                ),
                status=400,
            )
        request.session.pop(OAUTH_KEY, None)
        company = self._pm_company(pending.get("company"))
        target = phone_login.local_redirect(pending.get("redirect"))
        if not company:
            return request.redirect(
                "/web/login/phone?" + urlencode({"redirect": target})
            )
        try:
            answer = wechat_api.oauth(company, "", "").fetch_access_token(code)
            openid = answer.get("openid")
        except (WeChatOAuthException, requests.RequestException, KeyError) as error:
            _logger.info("WeChat OAuth refused or not reached: %s", error)
            return self._pm_page(
                error=request.env._(
                    "WeChat did not confirm who you are. Open the page again from "
                    "the account's menu."
                ),
                status=502,
            )
        Partner = request.env["res.partner"].sudo()
        partner = Partner._pm_wechat_partner(company, openid)
        if partner and partner._pm_wechat_portal_user():
            return self._pm_sign_in(company, openid, target)
        invited = Partner._pm_wechat_invitation(request.session.pop(INVITE_KEY, None))
        if (
            invited
            and not partner
            and invited.pm_wechat_invite_company_id == company
            and invited._pm_wechat_portal_user()
        ):
            invited._pm_wechat_bind(company, openid)
            return self._pm_sign_in(company, openid, target)
        request.session[BIND_KEY] = {
            "company": company.id,
            "openid": openid,
            "redirect": target,
            "at": int(time.time()),
        }
        return request.redirect("/pm_wechat/bind")

    def _pm_sign_in(self, company, openid, target):
        secret = request.env["ir.config_parameter"].sudo().get_param("database.secret")
        credential = {
            "type": WECHAT_CREDENTIAL,
            "pm_company": company.id,
            "pm_openid": openid,
            "pm_proof": wechat_rules.sign_in_proof(secret, company.id, openid),
        }
        try:
            auth_info = request.session.authenticate(request.env, credential)
        except AccessDenied:
            return self._pm_page(
                error=request.env._(
                    "Your WeChat could not sign you in. Sign in with your mobile "
                    "number instead."
                ),
                status=403,
            )
        return request.redirect(_get_login_redirect_url(auth_info["uid"], target))

    # ------------------------------------------------------------
    # BINDING
    # ------------------------------------------------------------

    @http.route(
        "/pm_wechat/invite/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=False,
    )
    def pm_wechat_invite(self, token, **kw):
        """An invitation link staff made: WeChat's sign-in, then the WeChat
        that opened it is bound to the invited owner."""
        partner = request.env["res.partner"].sudo()._pm_wechat_invitation(token)
        company = partner and self._pm_company(partner.pm_wechat_invite_company_id.id)
        if not company:
            return self._pm_page(
                error=request.env._(
                    "This invitation link is no longer valid. Ask the service centre "
                    "for a new one."
                ),
                status=404,
            )
        request.session[INVITE_KEY] = token
        return self._pm_start_oauth(company, "/my")

    @http.route(
        "/pm_wechat/bind",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
        readonly=False,
    )
    def pm_wechat_bind(self, number=None, code=None, **kw):
        """GET: the mobile number to prove. POST without ``code``: send a code
        (pm_channel's limits). POST with ``code``: sign in, bind the WeChat,
        go on to where the owner was going."""
        pending = request.session.get(BIND_KEY) or {}
        company = self._pm_company(pending.get("company"))
        if (
            not company
            or not pending.get("openid")
            or time.time() - (pending.get("at") or 0) > BIND_MINUTES * 60
        ):
            return self._pm_page(
                error=request.env._(
                    "The WeChat sign-in has expired. Open the page again from the "
                    "account's menu."
                ),
                status=400,
            )
        if request.httprequest.method == "GET":
            return self._pm_page(company=company)
        if code is None or kw.get("resend"):
            return self._pm_send_code(company, number, resend=bool(kw.get("resend")))
        return self._pm_bind(company, pending, number, code)

    def _pm_send_code(self, company, number, resend=False):
        try:
            number = request.env["pm.login.code"]._pm_request(
                number, request.httprequest.remote_addr
            )
        except UserError as error:
            status = 429 if getattr(error, "pm_rate_limited", False) else 400
            return self._pm_page(
                company=company,
                number=number,
                code_step=resend,
                error=error.args[0],
                status=status,
            )
        return self._pm_page(company=company, number=number, sent=True)

    def _pm_bind(self, company, pending, number, code):
        typed = phone_login.mobile(number)
        if not typed:
            return self._pm_page(
                company=company,
                number=number,
                error=request.env._(
                    "Enter a mainland China mobile number of 11 digits."
                ),
                status=400,
            )
        credential = {"type": PHONE_CREDENTIAL, "pm_number": typed, "pm_code": code}
        try:
            request.session.authenticate(request.env, credential)
        except AccessDenied as error:
            message = error.args[0] if error.args else ""
            if not message or error.args == AccessDenied().args:
                message = request.env["pm.login.code"]._pm_wrong()
            return self._pm_page(
                company=company,
                number=typed,
                code_step=True,
                error=message,
                status=400,
            )
        request.session.pop(BIND_KEY, None)
        user = request.env["res.users"].sudo().browse(request.session.uid)
        target = phone_login.local_redirect(pending.get("redirect"))
        try:
            user.partner_id._pm_wechat_bind(company, pending["openid"])
        except UserError as error:
            # signed in by the code all the same; the WeChat stays unbound
            return self._pm_page(
                company=company, error=error.args[0], target=target, status=409
            )
        return request.redirect(_get_login_redirect_url(user.id, target))

    def _pm_page(
        self,
        company=None,
        number=None,
        sent=False,
        code_step=False,
        error=None,
        target=None,
        status=200,
    ):
        typed = phone_login.mobile(number) if isinstance(number, str) else None
        values = {
            "company_name": company.name if company else "",
            "bind_step": bool(company) and not target,
            "number": typed or (number if isinstance(number, str) else "")[:40],
            "masked_number": phone_login.masked(typed),
            "code_step": bool(typed) and (sent or code_step),
            "error": error,
            "target": target,
            "minutes": request.env["pm.login.code"]._pm_minutes(),
        }
        response = request.render(PAGE, values, status=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response
