# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# what a line takes from the fee item chosen, still editable on the line
FROM_FEE = {
    "compute": "_compute_from_fee",
    "store": True,
    "readonly": False,
    "precompute": True,
}


class PmRepairOrderLine(models.Model):
    """A fee item, material or labour on a work order (R-REP-3)."""

    _name = "pm.repair.order.line"
    _description = "Repair Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "pm.repair.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [("fee", "Fee Item"), ("material", "Material"), ("labour", "Labour")],
        string="Type",
        required=True,
        default="fee",
    )
    fee_id = fields.Many2one("pm.repair.fee", string="Fee Item", ondelete="restrict")
    name = fields.Char(string="Description", required=True, **FROM_FEE)
    uom = fields.Char(string="Unit of Measure", **FROM_FEE)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary(string="Unit Price", **FROM_FEE)
    currency_id = fields.Many2one(related="order_id.currency_id")
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True)

    @api.depends("fee_id")
    def _compute_from_fee(self):
        for line in self:
            if line.fee_id:
                line.name = line.fee_id.name
                line.uom = line.fee_id.uom
                line.price_unit = line.fee_id.price
            elif not line.name:
                line.name = False

    def _pm_quantity_display(self):
        """Quantity and unit as people write them: "1 套", "1.5 小时"."""
        self.ensure_one()
        return f"{self.quantity:g} {self.uom or ''}".strip()

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.price_unit

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for line in self:
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(
                    _(
                        "Order %(order)s, %(line)s: quantity and unit price cannot be "
                        "negative.",
                        order=line.order_id.name,
                        line=line.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._pm_check_lines_editable()
        return lines

    def write(self, vals):
        self.order_id._pm_check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.order_id._pm_check_lines_editable()
        return super().unlink()
