# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmCommonArea(models.Model):
    """A common-area point 公共区域 of a property (lift lobby, car park, 3rd-floor
    corridor…): where a problem outside the units is reported, with its own QR
    code (R-INTAKE-2, R-REP-1)."""

    _name = "pm.common.area"
    _description = "Common Area Point"
    _inherit = ["pm.location.qr.mixin", "pm.property.derived.mixin"]
    _order = "property_id, building_id, sequence, name, id"
    _rec_names_search = ["name", "code"]
    _pm_qr_key = "area"

    name = fields.Char(required=True)
    code = fields.Char(help="Short code printed under the QR code.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    building_id = fields.Many2one(
        "pm.building",
        index=True,
        ondelete="restrict",
        help="Empty for a point of the whole property (gate, car park, garden).",
    )

    _code_property_uniq = models.Constraint(
        "unique(code, property_id)",
        "The code of a common-area point must be unique within its property.",
    )

    @api.depends("building_id")
    def _compute_property_id(self):
        for area in self:
            if area.building_id:
                area.property_id = area.building_id.property_id

    @api.depends("name", "building_id.name")
    def _compute_display_name(self):
        for area in self:
            area.display_name = (
                f"{area.building_id.name} / {area.name}"
                if area.building_id
                else area.name or ""
            )

    @api.constrains("building_id", "property_id")
    def _check_building_property(self):
        for area in self:
            if area.building_id and area.building_id.property_id != area.property_id:
                raise ValidationError(
                    _(
                        "Common area %(area)s: building %(building)s is not in "
                        "property %(property)s.",
                        area=area.name,
                        building=area.building_id.name,
                        property=area.property_id.name,
                    )
                )
