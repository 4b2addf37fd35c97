# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import ValidationError

from ..tools.sms_providers import PROVIDER_APIS

SECRET_GROUP = "base.group_system"


class ResCompany(models.Model):
    """The SMS account of the company (issue 23): a Chinese provider and its
    keys. Keys are readable by system administrators only."""

    _inherit = "res.company"

    pm_sms_provider = fields.Selection(
        [
            ("none", "Not Configured"),
            ("aliyun", "Alibaba Cloud SMS"),
            ("tencent", "Tencent Cloud SMS"),
        ],
        string="SMS Provider",
        default="none",
        required=True,
        help="Owners get text messages of their requests through this provider; "
        "not configured, they get emails only.",
    )
    pm_sms_key_id = fields.Char(
        string="SMS Access Key ID",
        groups=SECRET_GROUP,
        copy=False,
        help="Alibaba Cloud: AccessKey ID. Tencent Cloud: SecretId.",
    )
    pm_sms_key_secret = fields.Char(
        string="SMS Access Key Secret",
        groups=SECRET_GROUP,
        copy=False,
        help="Alibaba Cloud: AccessKey Secret. Tencent Cloud: SecretKey.",
    )
    pm_sms_sign_name = fields.Char(
        string="SMS Signature",
        help="The approved signature (短信签名) the provider puts in front of each "
        "message, e.g. 湖畔物业.",
    )
    pm_sms_region = fields.Char(
        string="SMS Region",
        help="Alibaba Cloud: e.g. cn-hangzhou. Tencent Cloud: e.g. ap-guangzhou.",
    )
    pm_sms_sdk_app_id = fields.Char(
        string="SMS SDK App ID",
        help="Tencent Cloud only: the SdkAppId of the SMS application.",
    )
    pm_sms_endpoint = fields.Char(
        string="SMS API Endpoint",
        groups=SECRET_GROUP,
        help="Leave empty: the provider's public address. A host name or URL of "
        "another access point (e.g. a private network gateway).",
    )

    def _check_pm_sms_account(self):
        """A chosen provider needs the account's signature (and Tencent its
        application). Checked when the Settings page is saved, on the account
        whole: the page writes its fields one by one."""
        for company in self:
            if company.pm_sms_provider == "none":
                continue
            if not company.pm_sms_sign_name:
                raise ValidationError(
                    _("Enter the approved SMS signature of %s.", company.name)
                )
            if company.pm_sms_provider == "tencent" and not company.pm_sms_sdk_app_id:
                raise ValidationError(
                    _("Enter the SMS SDK App ID of the Tencent Cloud SMS application.")
                )

    def _get_sms_api_class(self):
        self.ensure_one()
        api_class = PROVIDER_APIS.get(self.pm_sms_provider)
        return api_class or super()._get_sms_api_class()

    def _pm_owner_push_channels(self):
        """The channels besides email the company reaches its owners on (SMS
        here; the WeChat addon adds WeChat)."""
        self.ensure_one()
        return ["sms"] if self._pm_sms_configured() else []

    def _pm_sms_configured(self):
        """Whether owners of the company get text messages (never without a
        company: a sign-in code asked where no company is known)."""
        if not self:
            return False
        self.ensure_one()
        return self.pm_sms_provider in PROVIDER_APIS and bool(
            self.pm_sms_sign_name
            and (self.pm_sms_provider != "tencent" or self.pm_sms_sdk_app_id)
        )
