# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.pm_base.tools.vocabulary import SATISFIED_LEVELS

from . import sla_rules


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
    _pm_rates = {
        "timeliness_rate": ("timeliness_rate:sum", "resolved_date:count"),
        "closure_rate": ("closure_rate:sum", "closure_measured:sum"),
        "return_visit_rate": ("return_visit_rate:sum", "resolved_date:count"),
        "satisfaction_rate": ("satisfaction_rate:sum", "satisfaction:count"),
        "first_reply_rate": ("first_reply_rate:sum", "first_reply_measured:sum"),
        # the short response times (pm_case_short_clocks)
        **{
            f"{clock}_rate": (f"{clock}_rate:sum", f"{clock}_measured:sum")
            for clock in ("help_confirm", "response", "entry", "transfer")
        },
        "supervisor_answer_rate": (
            "supervisor_on_time_count:sum",
            "supervisor_answered_count:sum",
        ),
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
    # R-CLOCK-1: the first reply to the owner, on the clock as resolution_hours
    first_reply_hours = _kpi(
        fields.Float,
        aggregator="avg",
        help="Hours from the intake to the first reply to the owner.",
    )
    first_reply_rate = _kpi(fields.Float, aggregator="avg", string="First Reply %")
    first_reply_measured = _kpi(
        fields.Integer,
        help="1 when the case counts for the first-reply rate: valid, with a "
        "first-reply deadline, and replied to, resolved or closed.",
    )

    @api.depends(
        "resolved_date",
        "resolve_deadline",
        "state",
        "validity",
        "satisfaction",
        "return_visit_done",
        "first_reply_date",
        "reply_deadline",
    )
    def _compute_kpi(self):
        measured_cases = self.filtered_domain(self._pm_measured_domain())
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
            # R-QA-1: closure counts the measured (valid) cases only
            measured = case in measured_cases
            case.closure_rate = 100.0 if measured and case.is_closed else 0.0
            case.closure_measured = int(measured)
            # return visits over the resolved cases, as the analysis and the board
            case.return_visit_rate = (
                100.0 if case.return_visit_done and case.resolved_date else 0.0
            )
            case.satisfaction_rate = 100.0 if case.is_satisfied else 0.0
            case.resolution_hours = (
                (case.resolved_date - case.intake_date).total_seconds() / 3600
                if case.resolved_date and case.intake_date
                else 0.0
            )
            replied = case.first_reply_date
            reply_measured, replied_on_time = sla_rules.first_reply_measure(
                measured,
                case.reply_deadline,
                replied,
                bool(case.resolved_date) or case.is_closed,
            )
            case.first_reply_measured = int(reply_measured)
            case.first_reply_rate = 100.0 if replied_on_time else 0.0
            case.first_reply_hours = (
                max((replied - case.intake_date).total_seconds() / 3600, 0.0)
                if replied and case.intake_date
                else 0.0
            )

    @api.model
    def _pm_measured_domain(self):
        """R-QA-1, R-KPI-1: the cases the rates measure, the valid ones: an
        invalid case (outside the service scope) is received and counted, never
        measured. The one definition for the case pivot, the monthly analysis and
        the KPI board."""
        return [("validity", "!=", "invalid")]

    @api.model
    def _pm_measured_sql(self):
        """SQL of :meth:`_pm_measured_domain` over the ``pm_case`` table."""
        query = self.sudo()._search(self._pm_measured_domain(), active_test=False)
        return query.where_clause
