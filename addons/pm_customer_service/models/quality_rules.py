# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rates and thresholds of the monthly quality analysis and the KPI board
(R-QA-1, R-QA-2, R-KPI-1): plain values in, plain values out, no database."""

from datetime import date

from dateutil.relativedelta import relativedelta

REPORT_DAY = 25
RECURRING_THRESHOLD = 2
COMPARISONS = (">", ">=", "=")


def rate(numerator, denominator):
    """Percentage ``numerator / denominator`` rounded to 2 digits; ``None`` when
    there is nothing to measure (zero denominator)."""
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    if numerator > denominator:
        raise ValueError("numerator larger than denominator")
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, 2)


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


def month_start(day):
    """First day of the month of ``day``."""
    return date(day.year, day.month, 1)


def month_bounds(month):
    """``(first day, first day of the next month)`` of the month of ``month``."""
    start = month_start(month)
    return start, start + relativedelta(months=1)


def is_future_month(month, today):
    return month_start(month) > month_start(today)


def report_due(today, day=REPORT_DAY):
    """R-QA-2: the month's report is produced from the ``day``-th on."""
    return today.day >= day


def recurring(counts, threshold=RECURRING_THRESHOLD):
    """Keys of ``{key: count}`` seen at least ``threshold`` times, most first."""
    return sorted(
        (key for key, count in counts.items() if count >= threshold),
        key=lambda key: (-counts[key], str(key)),
    )
