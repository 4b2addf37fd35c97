# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmRepairFee(models.Model):
    """An item of the published fee schedule 有偿服务收费标准 (R-REP-3)."""

    _name = "pm.repair.fee"
    _description = "Repair Fee Item"
    _order = "sequence, name, id"

    name = fields.Char(string="Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category_id = fields.Many2one("pm.repair.category", ondelete="set null")
    uom = fields.Char(string="Unit of Measure", required=True, translate=True)
    price = fields.Monetary(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    note = fields.Text()

    @api.constrains("price")
    def _check_price(self):
        for fee in self:
            if fee.price < 0:
                raise ValidationError(
                    _("The price of fee item %s cannot be negative.", fee.name)
                )
