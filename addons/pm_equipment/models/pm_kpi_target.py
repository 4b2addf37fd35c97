# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# the KPI of the equipment integrity rate (SOP 004 第三章: 设施设备完好率 99 %)
INTEGRITY_KPI = "equipment_integrity"


class PmKpiTarget(models.Model):
    _inherit = "pm.kpi.target"

    kpi = fields.Selection(
        selection_add=[(INTEGRITY_KPI, "Equipment Integrity")],
        ondelete={INTEGRITY_KPI: "cascade"},
    )
