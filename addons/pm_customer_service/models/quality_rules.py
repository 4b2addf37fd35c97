# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Months, schedule and thresholds of the monthly quality analysis (R-QA-1,
R-QA-2): plain values in, plain values out, no database. Rates and targets are
pm_base's (``odoo.addons.pm_base.tools.rates``)."""

from datetime import date

from dateutil.relativedelta import relativedelta

REPORT_DAY = 25
RECURRING_THRESHOLD = 2


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
