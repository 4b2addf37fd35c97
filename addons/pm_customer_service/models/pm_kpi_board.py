# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from odoo.addons.pm_base.tools import clock

from . import quality_rules
from .pm_rate_mixin import measure_keys

KPIS = ("timeliness", "first_pass", "return_visit", "satisfaction")


class PmKpiBoard(models.Model):
    """The "three rates" board 信息三率 (R-KPI-1): the rates of the cases of each
    property, team and month against the active ``pm.kpi.target`` rows, read live
    from a SQL view (a changed target shows at once).

    Timeliness: resolved on time / resolved. First-time pass (合格率): closed
    without reopening / closed. Return visit: visited / resolved. Satisfaction:
    satisfied / rated. A rate with nothing to measure is empty and never short.
    """

    _name = "pm.kpi.board"
    _description = "KPI Board"
    _auto = False
    _order = "month desc, property_id, team_id"

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
    timeliness_display = fields.Char(string="Timeliness", readonly=True)
    timeliness_target = fields.Char(readonly=True)
    first_pass_num = fields.Integer(string="Closed First Time", readonly=True)
    first_pass_den = fields.Integer(string="Closed", readonly=True)
    first_pass_rate = fields.Float(
        string="First-time Pass %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    first_pass_display = fields.Char(string="First-time Pass", readonly=True)
    first_pass_target = fields.Char(string="First-time Pass Target", readonly=True)
    return_visit_num = fields.Integer(string="Return-Visited", readonly=True)
    return_visit_den = fields.Integer(string="Resolved (Return Visits)", readonly=True)
    return_visit_rate = fields.Float(
        string="Return Visit %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    return_visit_display = fields.Char(string="Return Visit", readonly=True)
    return_visit_target = fields.Char(readonly=True)
    satisfaction_num = fields.Integer(string="Satisfied", readonly=True)
    satisfaction_den = fields.Integer(string="Rated", readonly=True)
    satisfaction_rate = fields.Float(
        string="Satisfaction %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    satisfaction_display = fields.Char(string="Satisfaction", readonly=True)
    satisfaction_target = fields.Char(readonly=True)
    timeliness_short = fields.Boolean(readonly=True)
    first_pass_short = fields.Boolean(string="First-time Pass Short", readonly=True)
    return_visit_short = fields.Boolean(readonly=True)
    satisfaction_short = fields.Boolean(readonly=True)
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

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """R-RATE-1: a group's rate is the ratio of its sums (never the average of
        its rows' rates), and ``None`` when it has nothing to measure: the pivot
        shows "—" and the graph leaves the point out. A group is below target
        when its rate misses an active target (R-KPI-1)."""
        keys = measure_keys(fields)
        rates = [kpi for kpi in KPIS if f"{kpi}_rate" in keys or f"{kpi}_below" in keys]
        extra = [
            f"_pm_{kpi}_{part}:sum({kpi}_{part})"
            for kpi in rates
            for part in ("num", "den")
        ]
        groups = super().read_group(
            domain, list(fields) + extra, groupby, offset, limit, orderby, lazy
        )
        targets = self._pm_targets() if rates else {}
        for group in groups:
            for kpi in rates:
                value = quality_rules.rate(
                    group.pop(f"_pm_{kpi}_num", 0) or 0,
                    group.pop(f"_pm_{kpi}_den", 0) or 0,
                )
                for key in keys.get(f"{kpi}_rate", ()):
                    group[key] = value
                below = any(
                    not quality_rules.meets_target(value, target, comparison)
                    for target, comparison in targets.get(kpi, ())
                )
                for key in keys.get(f"{kpi}_below", ()):
                    group[key] = int(below)
        return groups

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
        # months in the property's time zone (the clock's default when not set)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
            WITH counts AS (
                SELECT c.property_id, c.company_id, c.team_id,
                       date_trunc('month', (c.intake_date AT TIME ZONE 'UTC')
                           AT TIME ZONE COALESCE(p.tz, %(default_tz)s))::date
                           AS month,
                       count(*) AS total,
                       count(*) FILTER (WHERE c.resolved_date IS NOT NULL) AS resolved,
                       count(*) FILTER (WHERE c.resolved_date IS NOT NULL
                                        AND c.is_resolved_on_time) AS on_time,
                       count(*) FILTER (WHERE c.is_closed) AS closed,
                       count(*) FILTER (WHERE c.is_closed
                                        AND COALESCE(c.reopen_count, 0) = 0)
                           AS first_pass,
                       count(*) FILTER (WHERE c.resolved_date IS NOT NULL
                                        AND c.return_visit_done) AS visited,
                       count(*) FILTER (WHERE c.satisfaction IS NOT NULL) AS rated,
                       count(*) FILTER (WHERE c.satisfaction IS NOT NULL
                                        AND c.is_satisfied) AS satisfied
                  FROM pm_case c
                  JOIN pm_property p ON p.id = c.property_id
                 WHERE c.validity != 'invalid'
              GROUP BY 1, 2, 3, 4
            ), rates AS (
                SELECT *,
                       round(100.0 * on_time / NULLIF(resolved, 0), 2) AS timeliness,
                       round(100.0 * first_pass / NULLIF(closed, 0), 2) AS first_pass_r,
                       round(100.0 * visited / NULLIF(resolved, 0), 2) AS return_visit,
                       round(100.0 * satisfied / NULLIF(rated, 0), 2) AS satisfaction
                  FROM counts
            ), short AS (
                SELECT r.*,
                       {self._short_sql("timeliness", "r.timeliness")} AS t_short,
                       {self._short_sql("first_pass", "r.first_pass_r")} AS f_short,
                       {self._short_sql("return_visit", "r.return_visit")} AS r_short,
                       {self._short_sql("satisfaction", "r.satisfaction")} AS s_short
                  FROM rates r
            )
            SELECT row_number() OVER (ORDER BY month, property_id, team_id) AS id,
                   property_id, company_id, team_id, month,
                   to_char(month, 'YYYY-MM') AS month_label,
                   total AS case_count,
                   on_time AS timeliness_num,
                   resolved AS timeliness_den,
                   timeliness AS timeliness_rate,
                   {self._label_sql("timeliness")} AS timeliness_display,
                   {self._target_sql("timeliness")} AS timeliness_target,
                   first_pass AS first_pass_num,
                   closed AS first_pass_den,
                   first_pass_r AS first_pass_rate,
                   {self._label_sql("first_pass_r")} AS first_pass_display,
                   {self._target_sql("first_pass")} AS first_pass_target,
                   visited AS return_visit_num,
                   resolved AS return_visit_den,
                   return_visit AS return_visit_rate,
                   {self._label_sql("return_visit")} AS return_visit_display,
                   {self._target_sql("return_visit")} AS return_visit_target,
                   satisfied AS satisfaction_num,
                   rated AS satisfaction_den,
                   satisfaction AS satisfaction_rate,
                   {self._label_sql("satisfaction")} AS satisfaction_display,
                   {self._target_sql("satisfaction")} AS satisfaction_target,
                   t_short AS timeliness_short,
                   f_short AS first_pass_short,
                   r_short AS return_visit_short,
                   s_short AS satisfaction_short,
                   (t_short OR f_short OR r_short OR s_short) AS shortfall,
                   t_short::int AS timeliness_below,
                   f_short::int AS first_pass_below,
                   r_short::int AS return_visit_below,
                   s_short::int AS satisfaction_below
              FROM short
            )
            """,
            {"default_tz": clock.DEFAULT_TZ},
        )

    @staticmethod
    def _label_sql(column):
        """SQL: the rate as the board shows it, "—" when nothing was measured."""
        return f"COALESCE(to_char({column}, 'FM990.00'), '—')"

    @staticmethod
    def _target_sql(kpi):
        """SQL: the active targets of ``kpi``, e.g. "≥ 98.00"."""
        return f"""(SELECT string_agg(
                CASE t.comparison WHEN '>=' THEN '≥' ELSE t.comparison END
                    || ' ' || to_char(t.target, 'FM990.00'), ', '
                ORDER BY t.sequence, t.id)
              FROM pm_kpi_target t WHERE t.active AND t.kpi = '{kpi}')"""

    @staticmethod
    def _short_sql(kpi, column):
        """SQL: the rate ``column`` misses an active target of ``kpi``."""
        return f"""EXISTS (
            SELECT 1 FROM pm_kpi_target t
             WHERE t.active AND t.kpi = '{kpi}' AND {column} IS NOT NULL
               AND ((t.comparison = '>' AND {column} <= t.target)
                 OR (t.comparison = '>=' AND {column} < t.target)
                 OR (t.comparison = '=' AND {column} != t.target)))"""
