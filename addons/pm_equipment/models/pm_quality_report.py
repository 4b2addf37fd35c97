# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models

from odoo.addons.pm_customer_service.models import quality_rules, target_rules

from ..tools import equipment_rules
from .pm_kpi_target import INTEGRITY_KPI


class PmQualityReport(models.Model):
    _inherit = "pm.quality.report"

    def _figure_lines(self):
        """The month's equipment integrity rate joins the rates of the
        analysis, judged against its target (99 %); "—" when the property has
        no equipment."""
        lines, totals = super()._figure_lines()
        month = quality_rules.month_start(self.month)
        in_service, in_use = self.env["pm.equipment.integrity"]._pm_parts(
            self.property_id, month, fields.Datetime.now()
        )
        value = equipment_rules.integrity_rate(in_service, in_use)
        targets = self.env["pm.kpi.board"]._pm_targets().get(INTEGRITY_KPI, [])
        rate_lines = [line for line in lines if line["section"] == "rate"]
        after = max((line["sequence"] for line in rate_lines), default=0)
        lines.append(
            {
                "sequence": after + 5,
                "section": "rate",
                "key": INTEGRITY_KPI,
                # equipment hours: in service, of those in use
                "count": round(in_use / 3600),
                "numerator": round(in_service / 3600),
                "rate": value or 0.0,
                "has_rate": value is not None,
                "target": target_rules.target_label(targets),
                "verdict": target_rules.verdict(value, targets) or False,
            }
        )
        return lines, totals


class PmQualityReportLine(models.Model):
    _inherit = "pm.quality.report.line"

    def _pm_labels(self):
        labels = super()._pm_labels()
        labels[("rate", INTEGRITY_KPI)] = _(
            "Equipment integrity rate (equipment hours in service)"
        )
        return labels
