# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from . import survey_rules


class PmSurveyRatioMixin(models.AbstractModel):
    """Rates stored next to their numerator and denominator (R-RATE-1). Grouped
    (pivot, graph, list groups), a rate is the sum of the numerators of the group
    over the sum of its denominators, never the average of the records' rates; a
    group with nothing to measure has no rate (``False``), so that it is left out
    instead of counting as 0."""

    _name = "pm.survey.ratio.mixin"
    _description = "Rates Aggregated as Ratios of Sums"

    # {rate field: (numerator field, denominator field)}, rates in percent
    _pm_ratio_fields = {}

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
        ratios = self._pm_ratio_fields
        aggregates = list(aggregates)
        positions = [
            (pos, ratios[spec.split(":")[0]])
            for pos, spec in enumerate(aggregates)
            if spec.split(":")[0] in ratios
        ]
        if not positions:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        specs = list(aggregates)
        for _pos, (numerator, denominator) in positions:
            for name in (numerator, denominator):
                if f"{name}:sum" not in specs:
                    specs.append(f"{name}:sum")
        rows = super()._read_group(domain, groupby, specs, having, offset, limit, order)
        width = len(groupby)
        index = {spec: width + pos for pos, spec in enumerate(specs)}
        result = []
        for row in rows:
            values = list(row[: width + len(aggregates)])
            for pos, (numerator, denominator) in positions:
                value = survey_rules.rate(
                    row[index[f"{numerator}:sum"]] or 0,
                    row[index[f"{denominator}:sum"]] or 0,
                )
                values[width + pos] = False if value is None else value
            result.append(tuple(values))
        return result

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
        rates = [name for name in measures if name in self._pm_ratio_fields]
        # graphs (eager, rates only) leave out the groups of count 0: a group with
        # nothing to measure is no point at 0 (R-RATE-1)
        if not lazy and rates and len(rates) == len(measures):
            for group in result["groups"]:
                if all(group.get(name) is False for name in rates):
                    group["__count"] = 0
        return result
