# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models

from odoo.addons.pm_customer_service.models import quality_rules, target_rules

from ..tools import patrol_rules

# the key of the patrol line in the rates of the analysis, and of its target
ATTENDANCE_KEY = "patrol_attendance"


class PmQualityReport(models.Model):
    _inherit = "pm.quality.report"

    def _patrol_attendance(self):
        """``(reached, planned)`` checkpoints of the property's rounds of the
        report month (their local days), counted as the round pivot counts
        them."""
        self.ensure_one()
        start, stop = quality_rules.month_bounds(self.month)
        parts = (
            self.env["pm.patrol.round"]
            .sudo()
            ._pm_rate_parts(
                [
                    ("property_id", "=", self.property_id.id),
                    ("date", ">=", start),
                    ("date", "<", stop),
                ],
                ["attendance_rate"],
            )
        )
        return parts["attendance_rate"]

    def _figure_lines(self):
        """巡逻到位率 joins the rates of the analysis, judged against its
        targets (the KPI board's ``patrol_attendance`` targets)."""
        lines, totals = super()._figure_lines()
        reached, planned = self._patrol_attendance()
        value = patrol_rules.attendance_rate(reached, planned)
        targets = self.env["pm.kpi.board"]._pm_targets().get(ATTENDANCE_KEY, [])
        rate_sequences = [
            line["sequence"] for line in lines if line["section"] == "rate"
        ] or [0]
        lines.append(
            {
                "sequence": max(rate_sequences) + 5,
                "section": "rate",
                "key": ATTENDANCE_KEY,
                "count": planned,
                "numerator": reached,
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
        labels[("rate", ATTENDANCE_KEY)] = _("Patrol attendance")
        return labels
