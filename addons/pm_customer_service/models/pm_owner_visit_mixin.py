# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmOwnerVisitMixin(models.AbstractModel):
    """What visits (走访) and return visits (回访) record alike, besides what
    every property record has (the unit among them): the owner visited, who
    visits and by when."""

    _name = "pm.owner.visit.mixin"
    _description = "Visit to an Owner"
    # a visit is followed in its chatter, where its fields are tracked
    _inherit = ["mail.thread", "mail.activity.mixin"]

    partner_id = fields.Many2one("res.partner", string="Owner", index=True)
    visitor_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
    )
    due_date = fields.Date(index=True, tracking=True)
