# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmCatalogMixin(models.AbstractModel):
    """Entries of a short configured list (repair categories, survey items): a
    translated name, a code that imports and data files refer to, an order and
    archiving. The model states the uniqueness of its code with its own message."""

    _name = "pm.catalog.mixin"
    _description = "Configured List Entry"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
