# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import ValidationError

SECRET_GROUP = "base.group_system"


class ResCompany(models.Model):
    """The company's WeChat Official Account (微信公众号, issue 23): its AppID
    and AppSecret, the server Token (and EncodingAESKey) WeChat signs its calls
    with. Nothing reaches WeChat until it is switched on and complete."""

    _inherit = "res.company"

    pm_wechat_enabled = fields.Boolean(
        string="WeChat Official Account",
        help="Owners open the portal from the account's menu, signed in by WeChat, "
        "and get template messages of their requests.",
    )
    pm_wechat_app_id = fields.Char(
        string="WeChat AppID",
        help="The account's AppID (开发者ID), e.g. wx1234567890abcdef.",
    )
    pm_wechat_app_secret = fields.Char(
        string="WeChat AppSecret", groups=SECRET_GROUP, copy=False
    )
    pm_wechat_token = fields.Char(
        string="WeChat Server Token",
        groups=SECRET_GROUP,
        copy=False,
        help="The Token entered in the account's server configuration (服务器配置): "
        "WeChat signs its calls to the server URL with it.",
    )
    pm_wechat_aes_key = fields.Char(
        string="WeChat EncodingAESKey",
        groups=SECRET_GROUP,
        copy=False,
        help="Optional: the 43-character key of the safe mode (安全模式), in which "
        "WeChat encrypts its messages.",
    )
    pm_wechat_endpoint = fields.Char(
        string="WeChat API Endpoint",
        groups=SECRET_GROUP,
        help="Leave empty: WeChat's public API (api.weixin.qq.com). A host name or "
        "URL of another access point (e.g. an outbound proxy).",
    )
    # the API's access token, shared by the queue's runs (WeChat limits how
    # often a new one may be asked for)
    pm_wechat_access_token = fields.Char(
        string="WeChat Access Token", groups=SECRET_GROUP, copy=False
    )
    pm_wechat_token_expires = fields.Integer(
        string="WeChat Access Token Expiry", groups=SECRET_GROUP, copy=False
    )

    def _check_pm_wechat_account(self):
        """A switched-on account needs its AppID, AppSecret and Token; an
        EncodingAESKey has 43 characters. Checked when the Settings page is
        saved, on the account whole."""
        for company in self.sudo():
            key = company.pm_wechat_aes_key
            if key and len(key.strip()) != 43:
                raise ValidationError(_("The EncodingAESKey has 43 characters."))
            if not company.pm_wechat_enabled:
                continue
            if not (
                company.pm_wechat_app_id
                and company.pm_wechat_app_secret
                and company.pm_wechat_token
            ):
                raise ValidationError(
                    _(
                        "Enter the AppID, AppSecret and server Token of the WeChat "
                        "Official Account of %s.",
                        company.name,
                    )
                )

    def _pm_owner_push_channels(self):
        channels = super()._pm_owner_push_channels()
        if self._pm_wechat_configured():
            channels = ["wechat", *channels]
        return channels

    def _pm_wechat_configured(self):
        """Whether the company's owners are reached through WeChat."""
        self.ensure_one()
        company = self.sudo()
        return bool(
            company.pm_wechat_enabled
            and company.pm_wechat_app_id
            and company.pm_wechat_app_secret
            and company.pm_wechat_token
        )
