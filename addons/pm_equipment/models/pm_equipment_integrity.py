# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock, rates

from .pm_kpi_target import INTEGRITY_KPI


def integrity_sql(now, where=None):
    """SQL rows ``(property_id, company_id, month, equipment_count,
    in_service_seconds, in_use_seconds)`` of every property with equipment and
    every month of its clock from its first equipment's start to ``now`` (an SQL
    expression of the naive UTC time): the equipment time in use and in service
    of the month (``equipment_rules.integrity``, in one query). ``where``
    filters the (property, month) rows, on ``b.property_id`` and ``b.month``."""
    return SQL(
        """
        WITH months AS (
            SELECT p.id AS property_id, p.company_id,
                   COALESCE(p.tz, %(default_tz)s) AS tz, m::date AS month
              FROM pm_property p
              CROSS JOIN LATERAL generate_series(
                  (SELECT date_trunc('month', min(e.effective_date))
                     FROM maintenance_equipment e WHERE e.property_id = p.id),
                  date_trunc('month', (%(now)s AT TIME ZONE 'UTC')
                      AT TIME ZONE COALESCE(p.tz, %(default_tz)s)),
                  interval '1 month') m
        ), b AS (
            SELECT months.*,
                   (month::timestamp AT TIME ZONE tz) AT TIME ZONE 'UTC' AS start,
                   LEAST(((month + interval '1 month')::timestamp AT TIME ZONE tz)
                       AT TIME ZONE 'UTC', %(now)s) AS stop
              FROM months
        ), live AS (
            SELECT b.property_id, b.company_id, b.month, e.id AS equipment_id,
                   GREATEST(b.start, (e.effective_date::timestamp AT TIME ZONE b.tz)
                       AT TIME ZONE 'UTC') AS s,
                   LEAST(b.stop, COALESCE((e.scrap_date::timestamp AT TIME ZONE b.tz)
                       AT TIME ZONE 'UTC', 'infinity')) AS t
              FROM b
              JOIN maintenance_equipment e ON e.property_id = b.property_id
                   AND (e.active OR e.scrap_date IS NOT NULL)
             WHERE %(where)s
        ), stops AS (
            SELECT l.property_id, l.month, l.equipment_id,
                   range_agg(tsrange(GREATEST(r.pm_down_start, l.s),
                       LEAST(COALESCE(r.pm_down_end, %(now)s), l.t))) AS spans
              FROM live l
              JOIN maintenance_request r ON r.equipment_id = l.equipment_id
                   AND r.pm_stops_equipment
                   AND r.maintenance_type = 'corrective'
                   AND r.pm_down_start < l.t
                   AND COALESCE(r.pm_down_end, %(now)s) > l.s
             WHERE l.t > l.s
          GROUP BY 1, 2, 3
        ), down AS (
            SELECT property_id, month,
                   sum(extract(epoch FROM upper(u) - lower(u))) AS seconds
              FROM stops, unnest(spans) u
          GROUP BY 1, 2
        )
        SELECT l.property_id, l.company_id, l.month,
               count(*) AS equipment_count,
               (sum(extract(epoch FROM l.t - l.s)) - COALESCE(max(d.seconds), 0))
                   ::bigint AS in_service_seconds,
               sum(extract(epoch FROM l.t - l.s))::bigint AS in_use_seconds
          FROM live l
          LEFT JOIN down d ON d.property_id = l.property_id AND d.month = l.month
         WHERE l.t > l.s
      GROUP BY l.property_id, l.company_id, l.month
        """,
        now=now,
        default_tz=clock.DEFAULT_TZ,
        where=where or SQL("TRUE"),
    )


class PmEquipmentIntegrity(models.Model):
    """The equipment integrity rate 设施设备完好率 of each property and month of
    its clock (SOP 004 第三章, target 99 %): equipment time in service over
    equipment time in use, against the active targets, read live from a SQL
    view; a property without equipment has no row ("—" in the analysis)."""

    _name = "pm.equipment.integrity"
    _description = "Equipment Integrity"
    _inherit = ["pm.rate.mixin"]
    _auto = False
    _order = "month desc, property_id"
    _pm_rates = {"rate": ("in_service_hours:sum", "in_use_hours:sum")}

    property_id = fields.Many2one("pm.property", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    month_label = fields.Char(string="Month (YYYY-MM)", readonly=True)
    equipment_count = fields.Integer(string="Equipment", readonly=True)
    in_use_hours = fields.Float(string="Equipment Hours", readonly=True, digits=(12, 2))
    in_service_hours = fields.Float(
        string="Hours in Service", readonly=True, digits=(12, 2)
    )
    down_hours = fields.Float(string="Downtime (Hours)", readonly=True, digits=(12, 2))
    rate = fields.Float(
        string="Integrity %", readonly=True, aggregator="avg", digits=(5, 2)
    )
    rate_display = fields.Char(string="Integrity", compute="_compute_rate_display")
    target = fields.Char(readonly=True)
    below = fields.Integer(
        string="Below Target",
        readonly=True,
        aggregator="max",
        help="1 when the rate misses its target.",
    )

    @api.depends("rate", "in_use_hours")
    def _compute_rate_display(self):
        for row in self:
            row.rate_display = rates.format_rate(
                row.rate if row.in_use_hours else None, "%"
            )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        board = self.env["pm.kpi.board"]
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
            WITH figures AS (%(figures)s), measured AS (
                SELECT *, %(rate)s AS r FROM figures
            )
            SELECT row_number() OVER (ORDER BY month, property_id) AS id,
                   property_id, company_id, month,
                   to_char(month, 'YYYY-MM') AS month_label,
                   equipment_count,
                   in_use_seconds / 3600.0 AS in_use_hours,
                   in_service_seconds / 3600.0 AS in_service_hours,
                   (in_use_seconds - in_service_seconds) / 3600.0 AS down_hours,
                   r AS rate,
                   %(target)s AS target,
                   CASE WHEN %(short)s THEN 1 ELSE 0 END AS below
              FROM measured
            )
            """,
                view=SQL.identifier(self._table),
                figures=integrity_sql(SQL("(now() AT TIME ZONE 'UTC')")),
                rate=rates.rate_sql("in_service_seconds", "in_use_seconds"),
                target=board._target_sql(INTEGRITY_KPI),
                short=board._short_sql(INTEGRITY_KPI, "r"),
            )
        )

    @api.model
    def _pm_parts(self, prop, month, now):
        """``(seconds in service, seconds in use)`` of ``prop`` in the local
        ``month`` (its first day), counted at ``now``; ``(0, 0)`` without
        equipment."""
        self.env.flush_all()
        self.env.cr.execute(
            integrity_sql(
                SQL("%s::timestamp", now),
                SQL("b.property_id = %s AND b.month = %s", prop.id, month),
            )
        )
        row = self.env.cr.fetchone()
        return (row[4], row[5]) if row else (0, 0)
