# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .mail_notify import view_button


class MaintenanceRequest(models.Model):
    """A maintenance request of a property's equipment: its property follows the
    equipment; a corrective request can stop the equipment, which is then out
    of service from the fault until the request is done (the downtime the
    integrity rate counts)."""

    _inherit = "maintenance.request"

    property_id = fields.Many2one(
        related="equipment_id.property_id",
        store=True,
        index="btree_not_null",
    )
    pm_stops_equipment = fields.Boolean(
        string="Equipment Out of Service",
        tracking=True,
        help="The fault stops the equipment: it is out of service until the "
        "request is done, and the time counts against the integrity rate.",
    )
    pm_down_start = fields.Datetime(
        string="Out of Service From",
        tracking=True,
        help="When the equipment stopped; set when the request is recorded.",
    )
    pm_down_end = fields.Datetime(
        string="Back in Service",
        tracking=True,
        help="When the equipment ran again; set when the request is done.",
    )
    pm_downtime_hours = fields.Float(
        string="Downtime (Hours)",
        compute="_compute_pm_downtime_hours",
        store=True,
        digits=(10, 2),
    )
    repair_order_ids = fields.One2many(
        "pm.repair.order", "maintenance_request_id", string="Repair Orders"
    )
    repair_order_count = fields.Integer(compute="_compute_repair_order_count")
    patrol_visit_ids = fields.One2many(
        "pm.patrol.visit", "maintenance_request_id", string="Patrol Findings"
    )

    @api.model
    def _pm_join_or_open(self, sources):
        """The one way a repair order or a patrol finding reaches maintenance:
        each record of ``sources`` (with ``equipment_id``) joins its
        equipment's open corrective request, or opens one with its
        ``_pm_maintenance_request_vals()``; a joined request notes
        ``_pm_maintenance_join_note()``. Returns ``{source: request}``."""
        open_requests = {
            equipment: requests[:1]
            for equipment, requests in self._read_group(
                [
                    ("equipment_id", "in", sources.equipment_id.ids),
                    ("maintenance_type", "=", "corrective"),
                    ("stage_id.done", "=", False),
                    ("archive", "=", False),
                ],
                ["equipment_id"],
                ["id:recordset"],
            )
        }
        joined = {}
        for source in sources:
            request = open_requests.get(source.equipment_id)
            if not request:
                request = self.create(source._pm_maintenance_request_vals())
                open_requests[source.equipment_id] = request
            else:
                request.message_post(
                    body=source._pm_maintenance_join_note(),
                    subtype_xmlid="mail.mt_note",
                )
            joined[source] = request
        return joined

    @api.depends("pm_stops_equipment", "pm_down_start", "pm_down_end")
    def _compute_pm_downtime_hours(self):
        for request in self:
            if request.pm_stops_equipment and request.pm_down_start:
                end = request.pm_down_end
                request.pm_downtime_hours = (
                    round((end - request.pm_down_start).total_seconds() / 3600, 2)
                    if end
                    else 0.0
                )
            else:
                request.pm_downtime_hours = 0.0

    @api.depends("repair_order_ids")
    def _compute_repair_order_count(self):
        counts = dict(
            self.env["pm.repair.order"]._read_group(
                [("maintenance_request_id", "in", self.ids)],
                ["maintenance_request_id"],
                ["__count"],
            )
        )
        for request in self:
            request.repair_order_count = counts.get(request, 0)

    @api.constrains("pm_down_start", "pm_down_end")
    def _check_pm_downtime(self):
        for request in self:
            if (
                request.pm_down_start
                and request.pm_down_end
                and request.pm_down_end < request.pm_down_start
            ):
                raise ValidationError(
                    _(
                        "Request %s: the equipment cannot be back in service before "
                        "it stopped.",
                        request.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("pm_stops_equipment") and not vals.get("pm_down_start"):
                vals["pm_down_start"] = now
        requests = super().create(vals_list)
        requests._pm_back_in_service()
        return requests

    def write(self, vals):
        if vals.get("pm_stops_equipment") and "pm_down_start" not in vals:
            self.filtered(lambda r: not r.pm_down_start).with_context(
                tracking_disable=True
            ).write({"pm_down_start": fields.Datetime.now()})
        res = super().write(vals)
        if "stage_id" in vals or vals.get("pm_stops_equipment"):
            self._pm_back_in_service()
        return res

    def _pm_back_in_service(self):
        """A stopping request that is done puts its equipment back in service
        now, unless the time was recorded."""
        done = self.filtered(
            lambda r: r.stage_id.done and r.pm_stops_equipment and not r.pm_down_end
        )
        if done:
            done.write({"pm_down_end": fields.Datetime.now()})

    def action_view_repair_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_repair.pm_repair_order_action"
        )
        action["domain"] = [("maintenance_request_id", "=", self.id)]
        action["context"] = {"create": False}
        if self.repair_order_count == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.repair_order_ids.id
        return action

    def _notify_get_recipients_groups_fillup(
        self, groups, model_description, msg_vals=None
    ):
        view_button(self, groups, model_description)
        return super()._notify_get_recipients_groups_fillup(
            groups, model_description, msg_vals=msg_vals
        )
