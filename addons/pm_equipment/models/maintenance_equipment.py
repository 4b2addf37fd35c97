# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .mail_notify import view_button


class MaintenanceEquipment(models.Model):
    """Equipment of a property (lifts, pumps, generators…) on Odoo's maintenance
    app: where it stands (property, building, common-area point); its preventive
    plans are maintenance's recurring preventive requests."""

    _inherit = "maintenance.equipment"

    property_id = fields.Many2one(
        "pm.property",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        help="The property whose staff look after this equipment; empty for "
        "equipment of the company itself (offices).",
    )
    building_id = fields.Many2one(
        "pm.building",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('property_id', '=', property_id)]",
    )
    common_area_id = fields.Many2one(
        "pm.common.area",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('property_id', '=', property_id)]",
        help="Where the equipment stands (pump room, lift lobby…).",
    )
    company_id = fields.Many2one(
        compute="_compute_company_id", store=True, readonly=False, precompute=True
    )
    out_of_service = fields.Boolean(
        compute="_compute_out_of_service",
        help="An open corrective request has stopped this equipment.",
    )
    preventive_plan_ids = fields.One2many(
        "maintenance.request",
        "equipment_id",
        string="Preventive Plans",
        domain=[
            ("maintenance_type", "=", "preventive"),
            ("recurring_maintenance", "=", True),
            ("stage_id.done", "=", False),
        ],
    )

    @api.depends("property_id")
    def _compute_company_id(self):
        for equipment in self:
            if equipment.property_id:
                equipment.company_id = equipment.property_id.company_id

    @api.onchange("common_area_id")
    def _onchange_common_area_id(self):
        if self.common_area_id.building_id:
            self.building_id = self.common_area_id.building_id

    def _compute_out_of_service(self):
        stopped = self.env["maintenance.request"]._read_group(
            [
                ("equipment_id", "in", self.ids),
                ("pm_stops_equipment", "=", True),
                ("pm_down_end", "=", False),
                ("maintenance_type", "=", "corrective"),
            ],
            ["equipment_id"],
        )
        stopped_ids = {equipment.id for (equipment,) in stopped}
        for equipment in self:
            equipment.out_of_service = equipment.id in stopped_ids

    @api.constrains("property_id", "building_id", "common_area_id")
    def _check_property_places(self):
        for equipment in self:
            for place in (equipment.building_id, equipment.common_area_id):
                if place and place.property_id != equipment.property_id:
                    raise ValidationError(
                        _(
                            "Equipment %(equipment)s: %(place)s is not in property "
                            "%(property)s.",
                            equipment=equipment.name,
                            place=place.display_name,
                            property=equipment.property_id.display_name
                            or _("(no property)"),
                        )
                    )

    def _notify_get_recipients_groups_fillup(
        self, groups, model_description, msg_vals=None
    ):
        view_button(self, groups, model_description)
        return super()._notify_get_recipients_groups_fillup(
            groups, model_description, msg_vals=msg_vals
        )
