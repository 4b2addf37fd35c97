# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from ..tools import rates


class PmRateMixin(models.AbstractModel):
    """Rates that group as ratios of sums (R-RATE-1), for every model showing a
    rate: cases, repair orders, the KPI board, survey campaigns and their items.

    ``_pm_rates`` maps each rate field to the ``_read_group`` aggregates of its
    numerator and denominator, e.g. ``("satisfied_count:sum",
    "valid_count:sum")``. A numerator summing the rate field itself counts 100 per
    record meeting the rate (a record's own rate is 100 or 0).

    Grouped, whatever the aggregate asked of a rate (``avg`` by default), it is
    the group's numerator over its denominator in SQL
    (:func:`~odoo.addons.pm_base.tools.rates.rate_sql`, the twin of
    :func:`~odoo.addons.pm_base.tools.rates.rate`), never the average of its
    records, and ``None`` when the group has nothing to measure: shown "—" by
    the ``pm_rate`` widget, left out of graphs. Written in the aggregate's SQL,
    it holds on every path 19.0 groups by: ``_read_group`` (graphs, list and
    kanban groups), ``_read_grouping_sets`` (pivots, spreadsheet pivots), their
    ``having`` and their ``order``."""

    _name = "pm.rate.mixin"
    _description = "Rates Grouped as Ratios of Sums"

    # {rate field: (numerator aggregate, denominator aggregate)}
    _pm_rates = {}

    @api.model
    def _pm_rate_of(self, spec):
        """The rate field an aggregate ``spec`` reads as a ratio of sums, or
        ``None``: a rate's own part (``kpi:sum`` of 100 per record) is read as
        it is, and so are a group-by and any other field."""
        name, _sep, func = spec.partition(":")
        parts = self._pm_rates.get(name)
        if func and parts and spec not in parts:
            return name
        return None

    def _read_group_select(self, aggregate_spec, query):
        name = self._pm_rate_of(aggregate_spec)
        if not name:
            return super()._read_group_select(aggregate_spec, query)
        numerator_spec, denominator_spec = self._pm_rates[name]
        numerator = SQL("(%s)::numeric", self._read_group_select(numerator_spec, query))
        if numerator_spec == f"{name}:sum":
            # 100 per record meeting the rate: the records meeting it
            numerator = SQL("ROUND(%s / 100)", numerator)
        denominator = SQL(
            "(%s)::numeric", self._read_group_select(denominator_spec, query)
        )
        return rates.rate_sql(
            SQL("COALESCE(%s, 0)", numerator), SQL("COALESCE(%s, 0)", denominator)
        )

    @api.model
    def _read_group_empty_value(self, spec):
        # a group with nothing to measure has no rate, not False
        if self._pm_rate_of(spec):
            return None
        return super()._read_group_empty_value(spec)

    @api.model
    def _pm_rate_parts(self, domain, names=None):
        """``{rate field: (numerator, denominator)}`` over the records of
        ``domain``, counted as the rates group them."""
        names = list(names or self._pm_rates)
        specs = list(
            dict.fromkeys(part for name in names for part in self._pm_rates[name])
        )
        [row] = self._read_group(domain, [], specs)
        parts = {}
        for name in names:
            numerator_spec, denominator_spec = self._pm_rates[name]
            numerator = row[specs.index(numerator_spec)] or 0
            if numerator_spec == f"{name}:sum":
                numerator = round(numerator / 100)
            parts[name] = (numerator, row[specs.index(denominator_spec)] or 0)
        return parts

    @api.model
    @api.readonly
    def formatted_read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        groups = super().formatted_read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )
        measures = [spec for spec in aggregates if spec != "__count"]
        shown = [spec for spec in measures if self._pm_rate_of(spec)]
        # a graph (rates only) leaves out the groups of count 0: a group with
        # nothing to measure is no point at 0 (R-RATE-1); list and kanban
        # groups (web_read_group) keep their counts
        if (
            "__count" in aggregates
            and shown
            and len(shown) == len(measures)
            and not self.env.context.get("pm_rate_group_counts")
        ):
            for group in groups:
                if all(group[spec] is None for spec in shown):
                    group["__count"] = 0
        return groups

    @api.model
    @api.readonly
    def web_read_group(self, domain, groupby, aggregates=(), *args, **kwargs):
        return super(
            PmRateMixin, self.with_context(pm_rate_group_counts=True)
        ).web_read_group(domain, groupby, aggregates, *args, **kwargs)
