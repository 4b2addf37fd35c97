# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmPropertyRecordMixin(models.AbstractModel):
    """Records of a property that may name one of its units (cases, visits, return
    visits, rectifications, repair orders): the unit must belong to the property, a
    record created with the name "/" takes the next number of the sequence whose
    code is the model's name, and kept records are archived, never deleted."""

    _name = "pm.property.record.mixin"
    _description = "Property Record Mixin"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    # R-KEEP-1: kept records are archived, never deleted
    active = fields.Boolean(default=True)
    property_id = fields.Many2one(
        "pm.property", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(
        related="property_id.company_id", store=True, index=True, precompute=True
    )

    @api.constrains("unit_id", "property_id")
    def _check_unit_property(self):
        for record in self:
            if record.unit_id and record.unit_id.property_id != record.property_id:
                raise ValidationError(
                    _(
                        "Unit %(unit)s does not belong to property %(property)s.",
                        unit=record.unit_id.display_name,
                        property=record.property_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        return super().create(vals_list)
