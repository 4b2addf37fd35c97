# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmKpiTarget(models.Model):
    _inherit = "pm.kpi.target"

    # 巡逻到位率 (seed 002: the appraisal of the security staff)
    kpi = fields.Selection(
        selection_add=[("patrol_attendance", "Patrol Attendance")],
        ondelete={"patrol_attendance": "cascade"},
    )


class PmRectification(models.Model):
    _inherit = "pm.rectification"

    source_type = fields.Selection(
        selection_add=[("patrol", "Patrol")],
        ondelete={"patrol": "set default"},
    )
