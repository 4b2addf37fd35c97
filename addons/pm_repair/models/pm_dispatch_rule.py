# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmDispatchRule(models.Model):
    """Dispatch rules also take new repair orders, by repair category
    (R-DISPATCH-2)."""

    _inherit = "pm.dispatch.rule"

    target = fields.Selection(
        selection_add=[("repair", "Repair Orders")], ondelete={"repair": "cascade"}
    )
    category_id = fields.Many2one(
        "pm.repair.category", string="Repair Category", ondelete="cascade"
    )

    def _pm_criteria(self):
        criteria = super()._pm_criteria()
        criteria["category_id"] = self.category_id.id
        return criteria
