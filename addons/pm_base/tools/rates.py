# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rates, written once (R-RATE-1): a rate is what meets it over what was
measured, in percent rounded to 2 digits; with nothing measured there is no rate
(``None``), shown "—", never 0.

Every rate of the addons comes from :func:`rate` (records, reports, surveys) and
is shown by :func:`format_rate`; SQL views that need a rate per row, and groups
(pivots, graphs, list groups: the rate mixin's aggregates), use
:func:`rate_sql`, its twin, rounded the same way.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo.tools import SQL

NO_RATE = "—"
COMPARISONS = (">", ">=", "=")
_HUNDREDTH = Decimal("0.01")


def rate(numerator, denominator):
    """Percentage ``numerator / denominator`` rounded half up to 2 digits (as
    PostgreSQL rounds a numeric); ``None`` when there is nothing to measure (zero
    denominator)."""
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    if numerator > denominator:
        raise ValueError("numerator larger than denominator")
    if not denominator:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


def format_rate(value, unit=""):
    """A rate as people read it: ``"95.83"`` (``"95.83 %"`` with ``unit="%"``),
    or "—" when there was nothing to measure (``None``)."""
    if value is None:
        return NO_RATE
    text = f"{value:.2f}"
    return f"{text} {unit}" if unit else text


def rate_sql(numerator, denominator):
    """SQL twin of :func:`rate` over two SQL expressions: NULL with nothing to
    measure."""
    return SQL(
        "round(100.0 * (%s) / NULLIF(%s, 0), 2)",
        SQL(numerator) if isinstance(numerator, str) else numerator,
        SQL(denominator) if isinstance(denominator, str) else denominator,
    )


def meets_target(value, target, comparison):
    """Whether a rate meets its target; a rate with nothing to measure does."""
    if comparison not in COMPARISONS:
        raise ValueError(f"unknown comparison {comparison!r}")
    if value is None:
        return True
    if comparison == ">":
        return value > target
    if comparison == ">=":
        return value >= target
    return abs(value - target) < 0.005


def misses_target_sql(value, target, comparison):
    """SQL twin of ``not meets_target(value, target, comparison)`` over SQL
    expressions (rates rounded to 2 digits, as :func:`rate_sql` gives them)."""
    value = SQL(value) if isinstance(value, str) else value
    target = SQL(target) if isinstance(target, str) else target
    comparison = SQL(comparison) if isinstance(comparison, str) else comparison
    return SQL(
        "(%(value)s IS NOT NULL AND ("
        "(%(comparison)s = '>' AND %(value)s <= %(target)s)"
        " OR (%(comparison)s = '>=' AND %(value)s < %(target)s)"
        " OR (%(comparison)s = '=' AND %(value)s != %(target)s)))",
        value=value,
        target=target,
        comparison=comparison,
    )
