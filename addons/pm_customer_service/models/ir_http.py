# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        """Staff without a home action of their own land where their role works
        (R-LAND-1), not on Discuss."""
        info = super().session_info()
        if info.get("is_internal_user") and not info.get("home_action_id"):
            action = self.env.user._pm_home_action()
            if action:
                info["home_action_id"] = action.id
        return info

    @classmethod
    def _serve_fallback(cls):
        # an address no route matches is looked up as an attachment URL; a NUL
        # byte in it (``/my/cases/%00``) cannot reach PostgreSQL: page not found
        # instead of a server error (SPEC §10)
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # the message area of the owner's pages is Odoo's chatter: its texts
        # ("The conversation is empty.", "Today at …") are the mail module's, which
        # the portal pages do not load by themselves
        return [*super()._get_translation_frontend_modules_name(), "mail"]
