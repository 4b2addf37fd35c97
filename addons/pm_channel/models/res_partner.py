# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

STAFF_GROUP = "pm_base.group_pm_agent"
# the channels an owner is told on, in the order of preference (issue 23)
CHANNELS = ["wechat", "sms", "email"]


class ResPartner(models.Model):
    """The owner's channel (R-CHANNEL-1): WeChat if bound, else SMS, else email;
    the staff see the channel in use and may choose another one."""

    _inherit = "res.partner"

    pm_channel_preference = fields.Selection(
        [
            ("auto", "Automatic"),
            ("wechat", "WeChat"),
            ("sms", "SMS"),
            ("email", "Email"),
        ],
        string="Notification Channel",
        default="auto",
        required=True,
        groups=STAFF_GROUP,
        help="Automatic: WeChat when the owner bound the account, else SMS when the "
        "owner has a mobile number and the company an SMS provider, else email. "
        "A channel the owner cannot be reached on is skipped.",
    )
    pm_channel_in_use = fields.Selection(
        [("wechat", "WeChat"), ("sms", "SMS"), ("email", "Email"), ("none", "None")],
        string="Channel in Use",
        compute="_compute_pm_channel_in_use",
        groups=STAFF_GROUP,
        help="Where the owner's notices go now, for the current company.",
    )

    @api.depends("pm_channel_preference", "phone", "email")
    @api.depends_context("company")
    def _compute_pm_channel_in_use(self):
        company = self.env.company
        for partner in self:
            channels = partner._pm_owner_channels(company)
            partner.pm_channel_in_use = channels[0] if channels else "none"

    def write(self, vals):
        """The front desk chooses an owner's channel on the partner form without
        the right to edit contacts: that one field, of partners it reads."""
        if (
            set(vals) == {"pm_channel_preference"}
            and not self.env.su
            and self.env.user.has_group(STAFF_GROUP)
        ):
            self.check_access("read")
            return super(ResPartner, self.sudo()).write(vals)
        return super().write(vals)

    def _pm_channel_available(self, channel, company):
        """Whether the owner can be reached on ``channel`` for ``company``'s
        events (WeChat: the WeChat addon says so)."""
        self.ensure_one()
        if channel == "sms":
            return bool(self.phone) and company.sudo()._pm_sms_configured()
        if channel == "email":
            return bool(self.email)
        return False

    def _pm_owner_channels(self, company):
        """The channels the owner can be reached on, the preferred one first,
        then the others in the order WeChat, SMS, email."""
        self.ensure_one()
        available = [c for c in CHANNELS if self._pm_channel_available(c, company)]
        preference = self.sudo().pm_channel_preference
        if preference in available:
            available.remove(preference)
            available.insert(0, preference)
        return available
