# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    @api.model
    def _pm_keep_staff_out_of_general(self):
        """Service staff talk about cases in the cases' chatter: Odoo's #general
        channel does not take every new internal user in, and holds none of the
        property-service staff (administrators stay)."""
        channel = self.env.ref("mail.channel_all_employees", raise_if_not_found=False)
        if not channel:
            return
        channel.group_ids = [Command.clear()]
        staff = self.env.ref("pm_base.group_pm_technician").all_user_ids
        admins = self.env.ref("base.group_system").all_user_ids
        channel.channel_member_ids.filtered(
            lambda member: member.partner_id in (staff - admins).partner_id
        ).unlink()
