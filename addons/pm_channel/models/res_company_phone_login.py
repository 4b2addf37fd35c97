# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    pm_sms_login_template_code = fields.Char(
        string="Sign-in Code Template",
        help="The code of the approved verification-code template at the SMS "
        "provider, with the variables ${code} and ${minutes} (Alibaba Cloud) or "
        "{1} and {2} (Tencent Cloud). Without a provider, the code goes as "
        "Odoo's own SMS.",
    )
