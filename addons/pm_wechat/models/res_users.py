# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessDenied

from ..tools import wechat_rules

# the credential of a sign-in by WeChat (issue 23), built by the OAuth callback
# once WeChat told the server the visitor's openid:
# {"type": WECHAT_CREDENTIAL, "pm_company": 1, "pm_openid": "o…", "pm_proof": "…"}
WECHAT_CREDENTIAL = "pm_wechat_openid"


class ResUsers(models.Model):
    """Owners opening the portal from the company's WeChat Official Account
    are signed in through Odoo's authentication
    (``request.session.authenticate``), as pm_channel signs in by SMS code: the
    openid bound to their contact names the user, the server's proof that
    WeChat gave that openid just now is the credential."""

    _inherit = "res.users"

    def _pm_wechat_user(self, credential):
        """The portal user the credential names, after checking its proof."""
        company_id = credential.get("pm_company")
        openid = credential.get("pm_openid")
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        if not isinstance(company_id, int) or not wechat_rules.proof_valid(
            secret, company_id, openid, credential.get("pm_proof")
        ):
            raise AccessDenied()
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if not company or not company._pm_wechat_configured():
            raise AccessDenied()
        partner = self.env["res.partner"]._pm_wechat_partner(company, openid)
        user = partner._pm_wechat_portal_user() if partner else None
        if not user:
            raise AccessDenied()
        return user

    def _login(self, credential, user_agent_env):
        if credential.get("type") != WECHAT_CREDENTIAL:
            return super()._login(credential, user_agent_env)
        with self._assert_can_auth(user=credential.get("pm_openid") or "?"):
            user = self._pm_wechat_user(credential)
        credential["login"] = user.login
        return super()._login(credential, user_agent_env)

    def _check_credentials(self, credential, env):
        if credential.get("type") != WECHAT_CREDENTIAL:
            return super()._check_credentials(credential, env)
        # staff sign in with their password (and second factor), never this way
        if self._pm_wechat_user(credential) != self.env.user:
            raise AccessDenied()
        return {"uid": self.env.user.id, "auth_method": "pm_wechat", "mfa": "default"}
