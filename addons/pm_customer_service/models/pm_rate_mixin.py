# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, models

# a read_group measure: "field", "field:agg" or "alias:agg(field)" (the
# spreadsheet's form)
MEASURE_SPEC_RE = re.compile(r"^\s*(\w+)(?::\s*(\w+)\s*(?:\(\s*(\w+)\s*\))?)?\s*$")


def measure_keys(specs):
    """``{field name: [keys of the groups' values]}`` of read_group measures:
    the field's own name, or the alias a spreadsheet gives it."""
    keys = {}
    for spec in specs:
        found = MEASURE_SPEC_RE.match(spec)
        if found:
            alias, _aggregate, fname = found.groups()
            keys.setdefault(fname or alias, []).append(alias)
    return keys


class PmRateMixin(models.AbstractModel):
    """Rates measured record by record: a record meeting the rate holds 100, one
    missing it 0 (R-RATE-1). Grouped (pivot, graph, list groups, spreadsheet), a
    rate is what the group's measured records add up to over how many were
    measured, never the average over all its records; a group with nothing to
    measure has no rate (``None``), shown "—" by the ``pm_rate`` widget."""

    _name = "pm.rate.mixin"
    _description = "Rates Measured per Record"

    # {rate field: aggregate of its denominator}, e.g. "count(resolved_date)" (the
    # records with a value) or "sum(kpi_timely_measured)" (a 0/1 column)
    _pm_rate_denominators = {}

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        keys = measure_keys(fields)
        rates = [name for name in self._pm_rate_denominators if name in keys]
        extra = [f"_pm_{name}_num:sum({name})" for name in rates] + [
            f"_pm_{name}_den:{self._pm_rate_denominators[name]}" for name in rates
        ]
        groups = super().read_group(
            domain, list(fields) + extra, groupby, offset, limit, orderby, lazy
        )
        for group in groups:
            for name in rates:
                num = group.pop(f"_pm_{name}_num", 0) or 0.0
                den = group.pop(f"_pm_{name}_den", 0) or 0
                for key in keys[name]:
                    group[key] = round(num / den, 2) if den else None
        return groups
