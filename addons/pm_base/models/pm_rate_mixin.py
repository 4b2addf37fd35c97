# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..tools import rates


class PmRateMixin(models.AbstractModel):
    """Rates that group as ratios of sums (R-RATE-1), for every model showing a
    rate: cases, repair orders, the KPI board, survey campaigns and their items.

    ``_pm_rates`` maps each rate field to the ``_read_group`` aggregates of its
    numerator and denominator, e.g. ``("satisfied_count:sum",
    "valid_count:sum")``. A numerator summing the rate field itself counts 100 per
    record meeting the rate (a record's own rate is 100 or 0). Grouped (pivot,
    graph, list groups, spreadsheet, ``_read_group``), a rate is
    :func:`~odoo.addons.pm_base.tools.rates.rate` of the group's sums, never the
    average of its records, and ``None`` when the group has nothing to measure:
    shown "—" by the ``pm_rate`` widget, left out of graphs."""

    _name = "pm.rate.mixin"
    _description = "Rates Grouped as Ratios of Sums"

    # {rate field: (numerator aggregate, denominator aggregate)}
    _pm_rates = {}

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        aggregates = list(aggregates)
        # a rate's own part (``kpi:sum`` of 100 per record) is read as it is
        wanted = [
            spec not in self._pm_rates.get(spec.split(":")[0], (spec,))
            for spec in aggregates
        ]
        if not any(wanted):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        specs = [
            spec
            for spec, is_rate in zip(aggregates, wanted, strict=True)
            if not is_rate
        ]
        for spec, is_rate in zip(aggregates, wanted, strict=True):
            if is_rate:
                specs += [
                    part
                    for part in self._pm_rates[spec.split(":")[0]]
                    if part not in specs
                ]
        rows = super()._read_group(domain, groupby, specs, having, offset, limit, order)
        width = len(groupby)
        position = {spec: width + pos for pos, spec in enumerate(specs)}
        result = []
        for row in rows:
            values = list(row[:width])
            for spec, is_rate in zip(aggregates, wanted, strict=True):
                if is_rate:
                    values.append(
                        self._pm_group_rate(spec.split(":")[0], row, position)
                    )
                else:
                    values.append(row[position[spec]])
            result.append(tuple(values))
        return result

    @api.model
    def _pm_group_rate(self, name, row, position):
        """The rate ``name`` of a ``_read_group`` row holding its parts."""
        numerator_spec, denominator_spec = self._pm_rates[name]
        return rates.rate(
            self._pm_numerator(name, row[position[numerator_spec]]),
            row[position[denominator_spec]] or 0,
        )

    @api.model
    def _pm_numerator(self, name, value):
        """The records meeting the rate ``name`` from its numerator's aggregate:
        a sum of the rate field itself holds 100 per record meeting it."""
        if self._pm_rates[name][0] == f"{name}:sum":
            return round((value or 0) / 100)
        return value or 0

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
            parts[name] = (
                self._pm_numerator(name, row[specs.index(numerator_spec)]),
                row[specs.index(denominator_spec)] or 0,
            )
        return parts

    @api.model
    def web_read_group(
        self,
        domain,
        fields,
        groupby,
        limit=None,
        offset=0,
        orderby=False,
        lazy=True,
    ):
        result = super().web_read_group(
            domain, fields, groupby, limit, offset, orderby, lazy
        )
        measures = [spec.split(":")[0] for spec in fields if spec != "__count"]
        shown = [name for name in measures if name in self._pm_rates]
        # graphs (eager, rates only) leave out the groups of count 0: a group with
        # nothing to measure is no point at 0 (R-RATE-1)
        if not lazy and shown and len(shown) == len(measures):
            for group in result["groups"]:
                if all(group.get(name) is None for name in shown):
                    group["__count"] = 0
        return result
