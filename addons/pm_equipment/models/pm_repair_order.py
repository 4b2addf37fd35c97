# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.write_guard import workflow_action, workflow_writes


class PmRepairOrder(models.Model):
    """A repair order on a property's equipment opens the equipment's
    corrective maintenance request, or joins the one already open, when it is
    recorded; the request is done when the order is."""

    _inherit = "pm.repair.order"

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        index="btree_not_null",
        tracking=True,
        domain="[('property_id', '=', property_id)]",
        help="The equipment of the property this repair is on: its maintenance "
        "request is opened, or joined, when the order is saved.",
    )
    equipment_stopped = fields.Boolean(
        string="Equipment Out of Service",
        help="The fault stops the equipment: its downtime counts against the "
        "integrity rate until the order is done.",
    )
    maintenance_request_id = fields.Many2one(
        "maintenance.request",
        index="btree_not_null",
        readonly=True,
        copy=False,
        tracking=True,
    )

    @api.model
    def _pm_engine_fields(self):
        # the link to the request is made by the order, never typed in
        return super()._pm_engine_fields() | {"maintenance_request_id"}

    @api.constrains("equipment_id", "property_id")
    def _check_equipment_property(self):
        for order in self:
            if order.equipment_id and order.equipment_id.property_id != (
                order.property_id
            ):
                raise ValidationError(
                    _(
                        "Order %(order)s: equipment %(equipment)s is not in "
                        "property %(property)s.",
                        order=order.name,
                        equipment=order.equipment_id.name,
                        property=order.property_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered("equipment_id")._pm_link_maintenance_request()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if vals.get("equipment_id") or vals.get("equipment_stopped"):
            self.filtered("equipment_id")._pm_link_maintenance_request()
        return res

    def _pm_link_maintenance_request(self):
        """Link each order on equipment to the equipment's open corrective
        request, or open one; an order saying the equipment stopped marks the
        request so (its downtime from the order's intake)."""
        todo = self.filtered(
            lambda o: o.maintenance_request_id.equipment_id != o.equipment_id
        )
        joined = self.env["maintenance.request"]._pm_join_or_open(todo)
        for order in todo:
            with workflow_writes():
                order.maintenance_request_id = joined[order]
        stopped = self.filtered(
            lambda o: o.equipment_stopped
            and not o.maintenance_request_id.pm_stops_equipment
        )
        for order in stopped:
            order.maintenance_request_id.write(
                {"pm_stops_equipment": True, "pm_down_start": order.intake_date}
            )

    def _pm_maintenance_join_note(self):
        self.ensure_one()
        return _("Repair order %s is on this request.", self.name)

    def _pm_maintenance_request_vals(self):
        self.ensure_one()
        equipment = self.equipment_id
        return {
            "name": "%s · %s" % (self.name, self.category_id.name or equipment.name),
            "equipment_id": equipment.id,
            "company_id": equipment.company_id.id or self.company_id.id,
            "maintenance_type": "corrective",
            "request_date": clock.local_today(self.property_id.tz, self.intake_date),
            "description": plaintext2html(self.description or ""),
            "user_id": self.technician_id.id or equipment.technician_user_id.id,
            "pm_stops_equipment": self.equipment_stopped,
            "pm_down_start": self.intake_date if self.equipment_stopped else False,
            "priority": "3" if self.equipment_stopped else "2",
        }

    @workflow_action
    def action_done(self):
        res = super().action_done()
        self._pm_close_maintenance_requests()
        return res

    def _pm_close_maintenance_requests(self):
        """The requests of the orders done move to their done stage, unless
        another order on them is still being worked."""
        requests = self.maintenance_request_id.filtered(lambda r: not r.stage_id.done)
        if not requests:
            return
        done_stage = self.env["maintenance.stage"].search(
            [("done", "=", True)], order="sequence, id", limit=1
        )
        if not done_stage:
            raise UserError(_("Maintenance has no stage marked as done."))
        working = self.env["pm.repair.order"]._read_group(
            [
                ("maintenance_request_id", "in", requests.ids),
                ("id", "not in", self.ids),
                ("state", "in", WORKING),
            ],
            ["maintenance_request_id"],
        )
        busy = self.env["maintenance.request"].union(*(r for (r,) in working))
        (requests - busy).write({"stage_id": done_stage.id})

    def action_view_maintenance_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.request",
            "res_id": self.maintenance_request_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


# the states of an order still being worked on the equipment
WORKING = (
    "new",
    "dispatched",
    "taken",
    "on_site",
    "diagnosed",
    "quoted",
    "in_progress",
)
