# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from odoo.addons.pm_base.tools import rates

from .pm_violation import KINDS

SECTION = "violation"


class PmQualityReport(models.Model):
    _inherit = "pm.quality.report"

    def _figure_lines(self):
        lines, totals = super()._figure_lines()
        start, stop = self._utc_bounds()
        sequence = max((line["sequence"] for line in lines), default=0)
        for values in self._violation_section(start, stop):
            sequence += 10
            lines.append(dict(values, sequence=sequence, section=SECTION))
        return lines, totals

    def _violation_section(self, start, stop):
        """The violations of the month at the property: found, closed, rectified
        on time of those due in the month, and found by kind. Grouped queries,
        whatever the number of violations."""
        self.ensure_one()
        Violation = self.env["pm.violation"].sudo().with_context(active_test=False)
        prop = [("property_id", "=", self.property_id.id)]
        found_in_month = [*prop, ("found_at", ">=", start), ("found_at", "<", stop)]
        by_kind = dict(Violation._read_group(found_in_month, ["kind"], ["__count"]))
        closed = Violation.search_count(
            [*prop, ("closed_on", ">=", start), ("closed_on", "<", stop)]
        )
        # due in the month (its deadline ended then), cancelled ones aside
        due = dict(
            Violation._read_group(
                [
                    *prop,
                    ("deadline_at", ">", start),
                    ("deadline_at", "<=", stop),
                    ("state", "!=", "cancelled"),
                ],
                ["on_time"],
                ["__count"],
            )
        )
        on_time, due_count = due.get(True, 0), sum(due.values())
        value = rates.rate(on_time, due_count)
        rows = [
            {"key": "found", "count": sum(by_kind.values())},
            {"key": "closed", "count": closed},
            {
                "key": "on_time",
                "count": due_count,
                "numerator": on_time,
                "rate": value or 0.0,
                "has_rate": value is not None,
            },
        ]
        rows += [
            {"key": f"kind_{kind}", "count": by_kind[kind]}
            for kind, _label in KINDS
            if by_kind.get(kind)
        ]
        return rows


class PmQualityReportLine(models.Model):
    _inherit = "pm.quality.report.line"

    # the violations section comes before the director's visits
    section = fields.Selection(
        selection_add=[(SECTION, "Violations"), ("director",)],
        ondelete={SECTION: "cascade"},
    )

    def _pm_labels(self):
        labels = super()._pm_labels()
        kinds = dict(
            self.env["pm.violation"]._fields["kind"]._description_selection(self.env)
        )
        labels.update(
            {
                (SECTION, "found"): _("Violations found"),
                (SECTION, "closed"): _("Violations closed"),
                (SECTION, "on_time"): _("Rectified on time, of those due"),
                **{
                    (SECTION, f"kind_{kind}"): self.env._("Found: %s", kinds[kind])
                    for kind, _label in KINDS
                },
            }
        )
        return labels

    @api.depends("section", "key", "rate", "has_rate")
    def _compute_rate_display(self):
        res = super()._compute_rate_display()
        for line in self.filtered(
            lambda line: line.section == SECTION and line.key == "on_time"
        ):
            line.is_rate_line = True
            line.rate_display = rates.format_rate(line.rate if line.has_rate else None)
        return res
