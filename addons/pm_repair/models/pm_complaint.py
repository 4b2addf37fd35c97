# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class PmComplaint(models.Model):
    """A case can spawn repair orders in one click and follows their progress
    (issue 6, R-REP-1 "from a case")."""

    _inherit = "pm.complaint"

    repair_order_ids = fields.One2many(
        "pm.repair.order", "complaint_id", string="Repair Orders"
    )
    repair_order_count = fields.Integer(compute="_compute_repair_order_count")

    def _compute_repair_order_count(self):
        counts = dict(
            self.env["pm.repair.order"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for case in self:
            case.repair_order_count = counts.get(case, 0)

    def action_create_repair_order(self):
        """Open a new repair order filled from the case; the agent picks the
        repair category and saves."""
        self.ensure_one()
        if self.state == "closed":
            raise UserError(_("Case %s is closed.", self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Repair Order"),
            "res_model": "pm.repair.order",
            "view_mode": "form",
            "target": "current",
            "context": {
                f"default_{key}": value
                for key, value in self._prepare_repair_order_values().items()
            },
        }

    def _prepare_repair_order_values(self):
        self.ensure_one()
        vals = {
            "complaint_id": self.id,
            "source": "complaint",
            "origin": self.name,
            "property_id": self.property_id.id,
            "partner_id": self.partner_id.id,
            "description": self.description or self.subject,
            "location": self.location,
        }
        if self.unit_id:
            vals.update(location_type="unit", unit_id=self.unit_id.id)
        else:
            vals.update(location_type="common", common_area_id=self.common_area_id.id)
        if self.appointment_date and self.appointment_date > fields.Datetime.now():
            vals.update(urgency="appointment", appointment_date=self.appointment_date)
        return vals

    def action_view_repair_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_repair.pm_repair_order_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action
