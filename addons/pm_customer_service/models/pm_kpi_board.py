# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock, rates

from .pm_case_short_clocks import short_clock_terms
from .target_rules import KPI_PARTS, KPIS, TERM_COUNTS

BELOW_FIELDS = tuple(f"{kpi}_below" for kpi in KPIS)


class PmKpiBoard(models.Model):
    """The "three rates" board 信息三率 (R-KPI-1): the rates of the cases of each
    property, team and month against the active ``pm.kpi.target`` rows, read live
    from a SQL view (a changed target shows at once).

    Timeliness: resolved on time / resolved. First-time pass (合格率): closed
    without reopening / closed. Return visit: visited / resolved. Satisfaction:
    satisfied / rated. First reply (R-CLOCK-1): replied within the first-reply
    deadline / cases needing a reply. The seeds' further targets: complaint
    handling (complaints resolved / received), repair timeliness and return visits
    (repair requests resolved on time, return-visited / resolved), the routine
    repairs' next-day return visit, information accuracy and identification
    (cases whose details, whose type, were never corrected after intake / cases).
    A rate with nothing to measure is empty and never short.
    """

    _name = "pm.kpi.board"
    _description = "KPI Board"
    _inherit = ["pm.rate.mixin"]
    _auto = False
    _order = "month desc, property_id, team_id"
    # R-RATE-1: grouped, each rate is the ratio of the sums of its parts
    _pm_rates = {f"{kpi}_rate": (f"{kpi}_num:sum", f"{kpi}_den:sum") for kpi in KPIS}

    property_id = fields.Many2one("pm.property", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("pm.team", readonly=True)
    month = fields.Date(readonly=True)
    month_label = fields.Char(string="Month (YYYY-MM)", readonly=True)
    case_count = fields.Integer(string="Cases", readonly=True)
    # R-RATE-1: every rate carries what it counts (numerator) and what it is
    # measured on (denominator); groups compute the rate from their sums
    timeliness_num = fields.Integer(string="Resolved On Time", readonly=True)
    timeliness_den = fields.Integer(string="Resolved", readonly=True)
    timeliness_rate = fields.Float(
        string="Timeliness %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    timeliness_display = fields.Char(string="Timeliness", compute="_compute_display")
    timeliness_target = fields.Char(readonly=True)
    first_pass_num = fields.Integer(string="Closed First Time", readonly=True)
    first_pass_den = fields.Integer(string="Closed", readonly=True)
    first_pass_rate = fields.Float(
        string="First-time Pass %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    first_pass_display = fields.Char(
        string="First-time Pass", compute="_compute_display"
    )
    first_pass_target = fields.Char(string="First-time Pass Target", readonly=True)
    return_visit_num = fields.Integer(string="Return-Visited", readonly=True)
    return_visit_den = fields.Integer(string="Resolved (Return Visits)", readonly=True)
    return_visit_rate = fields.Float(
        string="Return Visit %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    return_visit_display = fields.Char(
        string="Return Visit", compute="_compute_display"
    )
    return_visit_target = fields.Char(readonly=True)
    satisfaction_num = fields.Integer(string="Satisfied", readonly=True)
    satisfaction_den = fields.Integer(string="Rated", readonly=True)
    satisfaction_rate = fields.Float(
        string="Satisfaction %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    satisfaction_display = fields.Char(
        string="Satisfaction", compute="_compute_display"
    )
    satisfaction_target = fields.Char(readonly=True)
    first_reply_num = fields.Integer(string="Replied in Time", readonly=True)
    first_reply_den = fields.Integer(string="Needing a Reply", readonly=True)
    first_reply_rate = fields.Float(
        string="First Reply %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    first_reply_display = fields.Char(string="First Reply", compute="_compute_display")
    first_reply_target = fields.Char(readonly=True)
    timeliness_short = fields.Boolean(readonly=True)
    first_pass_short = fields.Boolean(string="First-time Pass Short", readonly=True)
    return_visit_short = fields.Boolean(readonly=True)
    satisfaction_short = fields.Boolean(readonly=True)
    first_reply_short = fields.Boolean(readonly=True)
    shortfall = fields.Boolean(readonly=True, help="A rate misses its target.")
    # the same shortfalls as numbers (1 below target, 0 not) for the director's
    # dashboard, whose pivots read numbers only; grouped, recomputed from the
    # group's rate
    timeliness_below = fields.Integer(
        string="Timeliness Below Target", readonly=True, aggregator="max"
    )
    first_pass_below = fields.Integer(
        string="First-time Pass Below Target", readonly=True, aggregator="max"
    )
    return_visit_below = fields.Integer(
        string="Return Visit Below Target", readonly=True, aggregator="max"
    )
    satisfaction_below = fields.Integer(
        string="Satisfaction Below Target", readonly=True, aggregator="max"
    )
    first_reply_below = fields.Integer(
        string="First Reply Below Target", readonly=True, aggregator="max"
    )

    # the seeds' further targets (SOP 003 §4.3.3.2, SOP 004)
    complaint_handling_num = fields.Integer(string="Complaints Handled", readonly=True)
    complaint_handling_den = fields.Integer(string="Complaints", readonly=True)
    complaint_handling_rate = fields.Float(
        string="Complaint Handling %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    complaint_handling_display = fields.Char(
        string="Complaint Handling", compute="_compute_display"
    )
    complaint_handling_target = fields.Char(readonly=True)
    complaint_handling_short = fields.Boolean(readonly=True)
    complaint_handling_below = fields.Integer(
        string="Complaint Handling Below Target", readonly=True, aggregator="max"
    )
    repair_timeliness_num = fields.Integer(
        string="Repairs Resolved On Time", readonly=True
    )
    repair_timeliness_den = fields.Integer(string="Repairs Resolved", readonly=True)
    repair_timeliness_rate = fields.Float(
        string="Repair Timeliness %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    repair_timeliness_display = fields.Char(
        string="Repair Timeliness", compute="_compute_display"
    )
    repair_timeliness_target = fields.Char(readonly=True)
    repair_timeliness_short = fields.Boolean(readonly=True)
    repair_timeliness_below = fields.Integer(
        string="Repair Timeliness Below Target", readonly=True, aggregator="max"
    )
    repair_return_visit_num = fields.Integer(
        string="Repairs Return-Visited", readonly=True
    )
    repair_return_visit_den = fields.Integer(
        string="Repairs Resolved (Return Visits)", readonly=True
    )
    repair_return_visit_rate = fields.Float(
        string="Repair Return Visit %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    repair_return_visit_display = fields.Char(
        string="Repair Return Visit", compute="_compute_display"
    )
    repair_return_visit_target = fields.Char(readonly=True)
    repair_return_visit_short = fields.Boolean(readonly=True)
    repair_return_visit_below = fields.Integer(
        string="Repair Return Visit Below Target", readonly=True, aggregator="max"
    )
    repair_next_day_visit_num = fields.Integer(
        string="Routine Repairs Visited by the Next Day", readonly=True
    )
    repair_next_day_visit_den = fields.Integer(
        string="Routine Repairs Resolved", readonly=True
    )
    repair_next_day_visit_rate = fields.Float(
        string="Next-day Return Visit %",
        readonly=True,
        aggregator="avg",
        digits=(5, 2),
    )
    repair_next_day_visit_display = fields.Char(
        string="Next-day Return Visit", compute="_compute_display"
    )
    repair_next_day_visit_target = fields.Char(
        string="Next-day Return Visit Target", readonly=True
    )
    repair_next_day_visit_short = fields.Boolean(readonly=True)
    repair_next_day_visit_below = fields.Integer(
        string="Next-day Return Visit Below Target", readonly=True, aggregator="max"
    )
    accuracy_num = fields.Integer(string="Recorded Accurately", readonly=True)
    accuracy_den = fields.Integer(string="Recorded", readonly=True)
    accuracy_rate = fields.Float(
        string="Accuracy %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    accuracy_display = fields.Char(string="Accuracy", compute="_compute_display")
    accuracy_target = fields.Char(readonly=True)
    accuracy_short = fields.Boolean(readonly=True)
    accuracy_below = fields.Integer(
        string="Accuracy Below Target", readonly=True, aggregator="max"
    )
    identification_num = fields.Integer(string="Identified at Intake", readonly=True)
    identification_den = fields.Integer(
        string="Recorded (Identification)", readonly=True
    )
    identification_rate = fields.Float(
        string="Identification %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    identification_display = fields.Char(
        string="Identification", compute="_compute_display"
    )
    identification_target = fields.Char(readonly=True)
    identification_short = fields.Boolean(readonly=True)
    identification_below = fields.Integer(
        string="Identification Below Target", readonly=True, aggregator="max"
    )

    @api.depends(*(f"{kpi}_{part}" for kpi in KPIS for part in ("num", "den")))
    def _compute_display(self):
        for row in self:
            for kpi in KPIS:
                row[f"{kpi}_display"] = rates.format_rate(
                    rates.rate(row[f"{kpi}_num"], row[f"{kpi}_den"])
                )

    def _read_group_select(self, aggregate_spec, query):
        """R-KPI-1: grouped, a shortfall (1 or 0) is whether the group's own rate
        (the ratio of its sums, R-RATE-1) misses an active target, however the
        pivot, graph or spreadsheet aggregates it."""
        name, _sep, func = aggregate_spec.partition(":")
        if not func or name not in BELOW_FIELDS:
            return super()._read_group_select(aggregate_spec, query)
        kpi = name.removesuffix("_below")
        rate = self._read_group_select(f"{kpi}_rate:avg", query)
        misses = [
            rates.misses_target_sql(rate, SQL("%s", target), SQL("%s", comparison))
            for target, comparison in self._pm_targets().get(kpi, ())
        ]
        if not misses:
            return SQL("0")
        return SQL("(%s)::int", SQL(" OR ").join(misses))

    @api.model
    def _read_group_empty_value(self, spec):
        # nothing to measure misses no target
        name, _sep, func = spec.partition(":")
        if func and name in BELOW_FIELDS:
            return 0
        return super()._read_group_empty_value(spec)

    @api.model
    def _pm_targets(self):
        """``{kpi: [(target, comparison)]}`` of the active targets."""
        targets = {}
        for target in self.env["pm.kpi.target"].sudo().search([]):
            targets.setdefault(target.kpi, []).append(
                (target.target, target.comparison)
            )
        return targets

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # months in the property's time zone (China by default); the cases the
        # rates measure are the valid ones, as in the monthly analysis
        measured = self.env["pm.case"]._pm_measured_sql()
        parts = KPI_PARTS
        terms = self.env["pm.case"]._pm_target_terms_sql()
        term_counts = SQL(",\n").join(
            SQL("count(*) FILTER (WHERE %s) AS %s", terms[term], SQL.identifier(term))
            for term in TERM_COUNTS
        )
        # the short response times: their sums over the measured cases
        short_clocks = SQL(",\n").join(
            SQL(
                "%s AS %s, %s AS %s",
                num,
                SQL.identifier(f"{kpi}_n"),
                den,
                SQL.identifier(f"{kpi}_d"),
            )
            for kpi, (num, den) in short_clock_terms(SQL("TRUE")).items()
        )
        columns = SQL(",\n").join(
            SQL(
                "%(num)s AS %(kpi_num)s, %(den)s AS %(kpi_den)s, "
                "%(rate)s AS %(kpi_rate)s, %(target)s AS %(kpi_target)s, "
                "%(short)s AS %(kpi_short)s, %(short)s::int AS %(kpi_below)s",
                num=SQL.identifier(num),
                den=SQL.identifier(den),
                rate=SQL.identifier(f"{kpi}_r"),
                target=self._target_sql(kpi),
                short=self._short_sql(kpi, f"{kpi}_r"),
                kpi_num=SQL.identifier(f"{kpi}_num"),
                kpi_den=SQL.identifier(f"{kpi}_den"),
                kpi_rate=SQL.identifier(f"{kpi}_rate"),
                kpi_target=SQL.identifier(f"{kpi}_target"),
                kpi_short=SQL.identifier(f"{kpi}_short"),
                kpi_below=SQL.identifier(f"{kpi}_below"),
            )
            for kpi, (num, den) in parts.items()
        )
        rate_columns = SQL(", ").join(
            SQL("%s AS %s", rates.rate_sql(num, den), SQL.identifier(f"{kpi}_r"))
            for kpi, (num, den) in parts.items()
        )
        shortfall = SQL(" OR ").join(self._short_sql(kpi, f"{kpi}_r") for kpi in parts)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
            WITH counts AS (
                SELECT pm_case.property_id, pm_case.company_id,
                       pm_case.team_id,
                       date_trunc('month', (pm_case.intake_date AT TIME ZONE
                           'UTC') AT TIME ZONE COALESCE(p.tz, %(default_tz)s))::date
                           AS month,
                       count(*) AS total,
                       count(*) FILTER (WHERE pm_case.resolved_date IS NOT NULL)
                           AS resolved,
                       count(*) FILTER (WHERE pm_case.resolved_date IS NOT NULL
                                        AND pm_case.is_resolved_on_time)
                           AS on_time,
                       count(*) FILTER (WHERE pm_case.is_closed) AS closed,
                       count(*) FILTER (WHERE pm_case.is_closed
                                        AND COALESCE(pm_case.reopen_count, 0)
                                            = 0)
                           AS passed,
                       count(*) FILTER (WHERE pm_case.resolved_date IS NOT NULL
                                        AND pm_case.return_visit_done)
                           AS visited,
                       count(*) FILTER (WHERE pm_case.satisfaction IS NOT NULL)
                           AS rated,
                       count(*) FILTER (WHERE pm_case.satisfaction IS NOT NULL
                                        AND pm_case.is_satisfied) AS satisfied,
                       count(*) FILTER (WHERE pm_case.first_reply_measured = 1)
                           AS reply_needed,
                       count(*) FILTER (WHERE pm_case.first_reply_measured = 1
                                        AND pm_case.first_reply_rate = 100)
                           AS replied,
                       %(term_counts)s,
                       %(short_clocks)s
                  FROM pm_case
                  JOIN pm_property p ON p.id = pm_case.property_id
                 WHERE %(measured)s
              GROUP BY 1, 2, 3, 4
            ), rates AS (
                SELECT *, %(rate_columns)s FROM counts
            )
            SELECT row_number() OVER (ORDER BY month, property_id, team_id) AS id,
                   property_id, company_id, team_id, month,
                   to_char(month, 'YYYY-MM') AS month_label,
                   total AS case_count,
                   %(columns)s,
                   (%(shortfall)s) AS shortfall
              FROM rates
            )
            """,
                view=SQL.identifier(self._table),
                default_tz=clock.DEFAULT_TZ,
                measured=measured,
                term_counts=term_counts,
                rate_columns=rate_columns,
                columns=columns,
                shortfall=shortfall,
                short_clocks=short_clocks,
            )
        )

    @staticmethod
    def _target_sql(kpi):
        """SQL: the active targets of ``kpi``, e.g. "≥ 98.00"."""
        return SQL(
            """(SELECT string_agg(
                CASE t.comparison WHEN '>=' THEN '≥' ELSE t.comparison END
                    || ' ' || to_char(t.target, 'FM990.00'), ', '
                ORDER BY t.sequence, t.id)
              FROM pm_kpi_target t WHERE t.active AND t.kpi = %s)""",
            kpi,
        )

    @staticmethod
    def _short_sql(kpi, column):
        """SQL: the rate ``column`` misses an active target of ``kpi``."""
        return SQL(
            "EXISTS (SELECT 1 FROM pm_kpi_target t WHERE t.active AND t.kpi = %s "
            "AND %s)",
            kpi,
            rates.misses_target_sql(
                SQL.identifier(column), SQL("t.target"), SQL("t.comparison")
            ),
        )
