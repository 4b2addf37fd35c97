# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmPropertyBoundMixin(models.AbstractModel):
    """Records that belong to one property and, through it, to its company: the
    two fields every record rule of the product filters on. A model adds to
    them what it needs (tracking, a default), never declares them again."""

    _name = "pm.property.bound.mixin"
    _description = "Property-Bound Record"

    property_id = fields.Many2one(
        "pm.property", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="property_id.company_id", store=True, index=True, precompute=True
    )


class PmPropertyDerivedMixin(models.AbstractModel):
    """Records of one property that usually follow another record of it (a common
    area its building, an owner opinion its campaign): the property is computed
    from that record by ``_compute_property_id`` (which the model defines with its
    ``@api.depends``) and stays editable."""

    _name = "pm.property.derived.mixin"
    _inherit = ["pm.property.bound.mixin"]
    _description = "Property Derived from a Related Record"

    property_id = fields.Many2one(
        compute="_compute_property_id", store=True, readonly=False, precompute=True
    )

    def _compute_property_id(self):
        """Set ``property_id`` from the record it follows; keep it otherwise."""
        raise NotImplementedError(self._name)


class PmPropertyRecordMixin(models.AbstractModel):
    """Records of a property that may name one of its units (cases, visits, return
    visits, rectifications, repair orders): the unit must belong to the property, a
    record created with the name "/" takes the next number of the sequence whose
    code is the model's name, and kept records are archived, never deleted."""

    _name = "pm.property.record.mixin"
    _inherit = ["pm.property.bound.mixin"]
    _description = "Property Record Mixin"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    # R-KEEP-1: kept records are archived, never deleted
    active = fields.Boolean(default=True)
    property_id = fields.Many2one(tracking=True)
    unit_id = fields.Many2one(
        "pm.unit", index=True, domain="[('property_id', '=', property_id)]"
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
