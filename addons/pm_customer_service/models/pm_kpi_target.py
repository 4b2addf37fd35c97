# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

KPI_CODES = [
    ("satisfaction", "Satisfaction"),
    ("timeliness", "Timeliness"),
    ("first_pass", "First-time Pass"),
    ("return_visit", "Return Visit"),
    ("first_reply", "First Reply"),
    # the seeds' further targets (SOP 003 §4.3.3.2, SOP 004)
    ("complaint_handling", "Complaint Handling"),
    ("repair_timeliness", "Repair Timeliness"),
    ("repair_return_visit", "Repair Return Visit"),
    ("repair_next_day_visit", "Routine Repair Next-day Return Visit"),
    ("accuracy", "Information Accuracy"),
    ("identification", "Information Identification"),
    # the short response times (SOP 001 求助 §4, SOP 004)
    ("help_confirm", "Help Requests Confirmed in Time"),
    ("response", "Requests Arranged or Answered in Time"),
    ("entry", "Calls Entered in Time"),
    ("transfer", "Calls Classified and Handed On in Time"),
    ("supervisor_answer", "Supervisor Answers in Time"),
]


class PmKpiTarget(models.Model):
    """A target of the "three rates" board 信息三率 (R-KPI-1). The seeds' values
    ship as data records (``data/pm_quality_report_data.xml``) a manager changes or
    archives; the board and the monthly analysis judge each rate against the
    active targets of its KPI."""

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
