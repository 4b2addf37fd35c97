# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Imported once pm_channel's owner-channel router is merged: see models/__init__.py.
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _pm_channel_available(self, channel, company):
        """WeChat reaches the owner when their WeChat is bound to the company's
        account and the account is configured."""
        if channel != "wechat":
            return super()._pm_channel_available(channel, company)
        partner = self.sudo()
        if (
            company
            and company._pm_wechat_configured()
            and partner.pm_wechat_company_id == company
            and partner.pm_wechat_openid
        ):
            return True
        return super()._pm_channel_available(channel, company)
