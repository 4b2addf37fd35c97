# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmBuilding(models.Model):
    """A building (楼栋) of a property."""

    _name = "pm.building"
    _inherit = ["pm.property.bound.mixin"]
    _description = "Building"
    _order = "property_id, sequence, name, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="Unique within the company; imports of units refer to buildings by code.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    floor_count = fields.Integer(string="Floors")
    delivery_date = fields.Date(
        help="Date the developer handed the building over (start of the warranty)."
    )
    warranty_end_date = fields.Date(
        help="End of the developer's housing-quality warranty; faults before this "
        "date go to the developer or contractor."
    )
    developer_id = fields.Many2one(
        "res.partner",
        string="Developer / Contractor",
        help="Partner responsible for housing-quality faults under warranty.",
    )
    unit_ids = fields.One2many("pm.unit", "building_id", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_count")
    common_area_ids = fields.One2many(
        "pm.common.area", "building_id", string="Common Areas"
    )

    _code_company_uniq = models.Constraint(
        "unique(code, company_id)",
        "The building code must be unique within a company.",
    )

    def _compute_unit_count(self):
        counts = dict(
            self.env["pm.unit"]._read_group(
                [("building_id", "in", self.ids)], ["building_id"], ["__count"]
            )
        )
        for building in self:
            building.unit_count = counts.get(building, 0)

    @api.depends("name", "property_id.code")
    def _compute_display_name(self):
        for building in self:
            building.display_name = (
                f"{building.property_id.code} / {building.name}"
                if building.property_id.code
                else building.name or ""
            )

    @api.constrains("floor_count")
    def _check_floor_count(self):
        for building in self:
            if building.floor_count < 0:
                raise ValidationError(
                    _(
                        "Building %s cannot have a negative number of floors.",
                        building.name,
                    )
                )

    @api.constrains("delivery_date", "warranty_end_date")
    def _check_warranty_dates(self):
        for building in self:
            if (
                building.delivery_date
                and building.warranty_end_date
                and building.warranty_end_date < building.delivery_date
            ):
                raise ValidationError(
                    _(
                        "The warranty of building %s cannot end before its "
                        "delivery date.",
                        building.name,
                    )
                )

    def _pm_qr_sheet_locations(self):
        """The places of the building's QR code sheet: its units, then its
        common-area points and, on the property's first building, the points of
        the whole property."""
        self.ensure_one()
        areas = self.common_area_ids
        first = self.search([("property_id", "=", self.property_id.id)], limit=1)
        if first == self:
            areas |= self.env["pm.common.area"].search(
                [
                    ("property_id", "=", self.property_id.id),
                    ("building_id", "=", False),
                ]
            )
        return self.unit_ids, areas

    def action_view_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pm_base.pm_unit_action")
        action["domain"] = [("building_id", "=", self.id)]
        action["context"] = {"default_building_id": self.id}
        return action
