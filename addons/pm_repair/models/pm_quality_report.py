# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

# the repair KPIs the monthly analysis shows, in its order: {line key: rate field}
REPORT_KPIS = {
    "timeliness": "kpi_timely",
    "first_pass": "kpi_first_pass",
    "return_visit": "kpi_return_visited",
    "satisfaction": "kpi_satisfaction",
}


class PmQualityReport(models.Model):
    _inherit = "pm.quality.report"

    def _repair_section(self, start, stop):
        """The repair KPIs of the month's orders (R-REP-6): for each, the orders
        meeting it over the orders measured for it, grouped as the order pivot
        groups them (R-RATE-1)."""
        section = super()._repair_section(start, stop)
        parts = (
            self.env["pm.repair.order"]
            .sudo()
            ._pm_rate_parts(
                [
                    ("property_id", "=", self.property_id.id),
                    ("intake_date", ">=", start),
                    ("intake_date", "<", stop),
                ],
                REPORT_KPIS.values(),
            )
        )
        return section + [(key, *parts[fname]) for key, fname in REPORT_KPIS.items()]


class PmQualityReportLine(models.Model):
    _inherit = "pm.quality.report.line"

    # the repairs section comes before the director's visits
    section = fields.Selection(
        selection_add=[("repair", "Repairs"), ("director",)],
        ondelete={"repair": "cascade"},
    )

    @api.model
    def _pm_rate_sections(self):
        return (*super()._pm_rate_sections(), "repair")

    def _pm_labels(self):
        labels = super()._pm_labels()
        labels.update(
            {
                ("repair", "timeliness"): _("Repair timeliness"),
                ("repair", "first_pass"): _("Repair first-time pass"),
                ("repair", "return_visit"): _("Repair return visits"),
                ("repair", "satisfaction"): _("Repair satisfaction"),
            }
        )
        return labels
