# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PmOwnerNotify(models.AbstractModel):
    """WeChat as a channel of the owner-channel router: an event for a bound
    owner is queued as a template message (the router falls back to the next
    channel when no template is mapped for the event)."""

    _inherit = "pm.owner.notify"

    def _pm_send(self, channel, record, event, partner, values, email_template):
        if channel != "wechat":
            return super()._pm_send(
                channel, record, event, partner, values, email_template
            )
        return bool(
            self.env["pm.wechat.message"]._pm_queue(
                record, event, partner, values, email_template=email_template
            )
        )
