# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import _, models

from odoo.addons.pm_customer_service.models import portal_rules


class PmRepairOrder(models.Model):
    """What the owner's repair page shows of the order's progress: the steps
    with their times, the technician and the service centre's number."""

    _inherit = "pm.repair.order"

    def _pm_portal_progress(self):
        """Steps of the order (受理 → 派单 → 上门 → 完成 → 验收) from its real dates,
        in the property's local time."""
        self.ensure_one()

        def when(value):
            if not value:
                return ""
            tz = pytz.timezone(self.property_id.tz or "UTC")
            return pytz.utc.localize(value).astimezone(tz).strftime("%m-%d %H:%M")

        steps = [
            (_("Received"), when(self.intake_date), True),
            (_("Dispatched"), when(self.dispatch_date), bool(self.dispatch_date)),
            (
                _("Technician on site"),
                when(self.arrival_date),
                bool(self.arrival_date),
            ),
            (_("Repaired"), when(self.done_date), bool(self.done_date)),
            (
                _("Accepted by you"),
                when(self.owner_accept_date),
                self.state in ("return_visit", "closed"),
            ),
        ]
        return portal_rules.progress_steps(steps)

    def _pm_portal_contact(self):
        self.ensure_one()
        phone = self.property_id._pm_service_phone()
        return {
            "handler": self.technician_id.name or "",
            "phone": phone,
            "phone_href": portal_rules.phone_href(phone),
        }
