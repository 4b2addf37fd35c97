# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmPropertyDerivedMixin(models.AbstractModel):
    """Records of one property that usually follow another record of it (a common
    area its building, an owner opinion its campaign): the property is computed
    from that record by ``_compute_property_id`` (which the model defines with its
    ``@api.depends``), stays editable, and the company is the property's.

    Moves to pm_base together with pm.property.
    """

    _name = "pm.property.derived.mixin"
    _description = "Property Derived from a Related Record"

    property_id = fields.Many2one(
        "pm.property",
        required=True,
        index=True,
        ondelete="restrict",
        compute="_compute_property_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        related="property_id.company_id", store=True, index=True, precompute=True
    )

    def _compute_property_id(self):
        """Set ``property_id`` from the record it follows; keep it otherwise."""
        raise NotImplementedError(self._name)
