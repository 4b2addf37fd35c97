# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

KPI_CODES = [
    ("satisfaction", "Satisfaction"),
    ("timeliness", "Timeliness"),
    ("first_pass", "First-time Pass"),
    ("return_visit", "Return Visit"),
    ("first_reply", "First Reply"),
]


class PmKpiTarget(models.Model):
    """A target of the "three rates" board 信息三率 (R-KPI-1)."""

    _name = "pm.kpi.target"
    _description = "KPI Target"
    _inherit = ["pm.list.entry.mixin"]
    _order = "sequence, id"

    kpi = fields.Selection(KPI_CODES, string="KPI", required=True)
    comparison = fields.Selection(
        [(">", "greater than"), (">=", "at least"), ("=", "equal to")],
        required=True,
        default=">=",
    )
    target = fields.Float(string="Target %", required=True, digits=(5, 2))

    _target_range = models.Constraint(
        "CHECK(target >= 0 AND target <= 100)",
        "A target is a percentage between 0 and 100.",
    )
