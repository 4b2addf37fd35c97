# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailThread(models.AbstractModel):
    """A message the owner was told of on another channel (R-CHANNEL-1) notifies
    its other recipients only (``pm_notify_skip``: partner ids)."""

    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        skip = self.env.context.get("pm_notify_skip")
        if not skip:
            return recipients
        return [r for r in recipients if r.get("id") not in skip]
