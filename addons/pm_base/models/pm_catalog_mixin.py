# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmListEntryMixin(models.AbstractModel):
    """Entries of a list an administrator keeps in order (rules, policies,
    targets, catalogs): a translated name, an order and archiving."""

    _name = "pm.list.entry.mixin"
    _description = "Ordered List Entry"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class PmCatalogMixin(models.AbstractModel):
    """Entries of a short configured list (repair categories, survey items): a
    list entry with a code that imports and data files refer to. The model
    states the uniqueness of its code with its own message."""

    _name = "pm.catalog.mixin"
    _inherit = ["pm.list.entry.mixin"]
    _description = "Configured List Entry"
    _order = "sequence, name, id"

    code = fields.Char(required=True)
