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
