# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessDenied

from ..tools import phone_login

# the credential of a sign-in by mobile number and SMS code (R-LOGIN-1):
# {"type": PHONE_CREDENTIAL, "pm_number": "138…", "pm_code": "123456"}
PHONE_CREDENTIAL = "pm_sms_code"


class ResUsers(models.Model):
    """Owners sign in with their mobile number and a code sent by SMS, through
    Odoo's authentication (``request.session.authenticate``): the number names
    the user as a passkey does, the code is the credential."""

    _inherit = "res.users"

    def _login(self, credential, user_agent_env):
        if credential.get("type") != PHONE_CREDENTIAL:
            return super()._login(credential, user_agent_env)
        Code = self.env["pm.login.code"]
        number = phone_login.mobile(credential.get("pm_number"))
        code = Code._pm_current(number) if number else Code
        if not code.user_id:
            # a number of nobody: the same refusals as a wrong code, counted by
            # Odoo's cooldown of failed logins like any
            with self._assert_can_auth(user=number or "?"):
                Code._pm_check(code, None, credential.get("pm_code"))
            raise AccessDenied(Code._pm_wrong())
        credential["login"] = code.user_id.login
        return super()._login(credential, user_agent_env)

    def _check_credentials(self, credential, env):
        if credential.get("type") != PHONE_CREDENTIAL:
            return super()._check_credentials(credential, env)
        user = self.env.user
        Code = self.env["pm.login.code"]
        number = phone_login.mobile(credential.get("pm_number"))
        code = Code._pm_current(number) if number else Code
        # staff sign in with their password (and second factor), never this way
        owner = user if user._is_portal() else None
        Code._pm_check(code, owner, credential.get("pm_code"))
        return {"uid": user.id, "auth_method": "pm_sms_code", "mfa": "default"}
