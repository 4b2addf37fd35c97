# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmRepairOrder(models.Model):
    """Repair requests submitted on the owner portal (SPEC §10)."""

    _inherit = "pm.repair.order"

    # one submitted portal form gives one order, whatever the double clicks (§10)
    portal_submit_key = fields.Char(copy=False, readonly=True, index=True)

    _sql_constraints = [
        (
            "portal_submit_key_unique",
            "UNIQUE(portal_submit_key)",
            "This form was already submitted.",
        ),
    ]
