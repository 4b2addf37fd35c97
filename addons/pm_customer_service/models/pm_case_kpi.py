# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.pm_base.tools.vocabulary import SATISFIED_LEVELS


def _kpi(field_class, **attrs):
    """A KPI column of a case: stored, computed by ``_compute_kpi`` before the
    insert."""
    return field_class(compute="_compute_kpi", precompute=True, store=True, **attrs)


class PmCase(models.Model):
    """The KPIs of a case (R-QA-1, R-KPI-1, R-RATE-1)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    # R-RATE-1: a case is measured for a rate when the column has a value (closure:
    # every valid case, as in the monthly analysis and on the KPI board)
    _pm_rate_denominators = {
        "timeliness_rate": "count(resolved_date)",
        "closure_rate": "sum(closure_measured)",
        "return_visit_rate": "count(resolved_date)",
        "satisfaction_rate": "count(satisfaction)",
    }
    # KPIs (R-QA-1, R-KPI-1): stored, so read_group per property/team/month works
    is_resolved_on_time = _kpi(fields.Boolean, string="Resolved on Time")
    is_closed = _kpi(fields.Boolean, string="Closed")
    is_satisfied = _kpi(fields.Boolean, string="Satisfied")
    timeliness_rate = _kpi(fields.Float, aggregator="avg", string="Timeliness %")
    closure_rate = _kpi(fields.Float, aggregator="avg", string="Closure %")
    closure_measured = _kpi(
        fields.Integer,
        help="1 when the case is valid: an invalid case is not measured for "
        "closure.",
    )
    return_visit_rate = _kpi(fields.Float, aggregator="avg", string="Return Visit %")
    satisfaction_rate = _kpi(fields.Float, aggregator="avg", string="Satisfaction %")
    resolution_hours = _kpi(fields.Float, aggregator="avg")

    @api.depends(
        "resolved_date",
        "resolve_deadline",
        "state",
        "validity",
        "satisfaction",
        "return_visit_done",
    )
    def _compute_kpi(self):
        for case in self:
            on_time = bool(
                case.resolved_date
                and case.resolve_deadline
                and case.resolved_date <= case.resolve_deadline
            )
            case.is_resolved_on_time = on_time
            case.is_closed = case.state == "closed"
            case.is_satisfied = case.satisfaction in SATISFIED_LEVELS
            case.timeliness_rate = 100.0 if on_time else 0.0
            # R-QA-1: closure counts the valid cases only
            measured = case.validity != "invalid"
            case.closure_rate = 100.0 if measured and case.is_closed else 0.0
            case.closure_measured = int(measured)
            case.return_visit_rate = 100.0 if case.return_visit_done else 0.0
            case.satisfaction_rate = 100.0 if case.is_satisfied else 0.0
            case.resolution_hours = (
                (case.resolved_date - case.intake_date).total_seconds() / 3600
                if case.resolved_date and case.intake_date
                else 0.0
            )
