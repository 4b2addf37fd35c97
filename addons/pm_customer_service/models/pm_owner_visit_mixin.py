# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmOwnerVisitMixin(models.AbstractModel):
    """What visits (走访) and return visits (回访) record alike: a numbered
    record of a property, the unit and owner visited, who visits and by when.
    Kept records are archived, never deleted (R-KEEP-1)."""

    _name = "pm.owner.visit.mixin"
    _description = "Visit to an Owner"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    active = fields.Boolean(default=True)
    property_id = fields.Many2one(
        "pm.property", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(
        related="property_id.company_id", store=True, index=True, precompute=True
    )
    unit_id = fields.Many2one(
        "pm.unit", index=True, domain="[('property_id', '=', property_id)]"
    )
    partner_id = fields.Many2one("res.partner", string="Owner", index=True)
    visitor_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
    )
    due_date = fields.Date(index=True, tracking=True)
