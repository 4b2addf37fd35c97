# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure survey rules (R-SUR-1, R-SUR-3, R-SUR-4, R-SUR-6, R-SUR-7): plain values
in, plain values out, no database. The models only feed them."""

import math
from datetime import date, datetime, timedelta

from odoo.addons.pm_base.tools.rates import NO_RATE, rate
from odoo.addons.pm_base.tools.vocabulary import SURVEY_LEVELS, SURVEY_SATISFIED_LEVELS

# the satisfaction scale of return visits, by the names survey answers store, best
# first; the first three count as "satisfied" (R-SUR-6)
LEVELS = SURVEY_LEVELS
LEVELS_KEYS = tuple(level for level, _label in LEVELS)
SATISFIED_LEVELS = SURVEY_SATISFIED_LEVELS
SCALE_LEVELS = {
    "3": ("very_satisfied", "basic", "dissatisfied"),
    "5": tuple(level for level, _label in LEVELS),
}


def distribution_quota(
    occupied_units, floor_area, area_threshold=50000.0, small_rate=98.0, large_rate=90.0
):
    """Number of forms to hand out (R-SUR-3): ``small_rate`` % of the occupied units of
    a property below ``area_threshold`` m², ``large_rate`` % at or above, rounded up.

    Rates are percentages. Integer arithmetic on hundredths avoids float surprises
    such as ``ceil(100 * 0.9) == 91``.
    """
    if occupied_units <= 0:
        return 0
    rate = small_rate if floor_area < area_threshold else large_rate
    rate_hundredths = round(rate * 100)
    return min(occupied_units, math.ceil(occupied_units * rate_hundredths / 10000))


def format_delta(part, whole, previous_part, previous_whole):
    """Change in points between two rates, ``"+1.50"``; "—" when either rate has
    nothing to measure (R-RATE-1)."""
    current, previous = rate(part, whole), rate(previous_part, previous_whole)
    if current is None or previous is None:
        return NO_RATE
    return f"{current - previous:+.2f}"


def recovery_rate(returned, distributed):
    """Recovery rate 回收率 = returned forms / distributed forms (R-SUR-7)."""
    return rate(returned, distributed)


def is_recovery_low(returned, distributed, minimum_rate=30.0):
    """R-SUR-7: below ``minimum_rate`` % the campaign is flagged; a campaign that
    distributed nothing is flagged too."""
    value = recovery_rate(returned, distributed)
    return value is None or value < minimum_rate


def satisfaction_rate(level_counts):
    """Satisfaction rate 满意率 (R-SUR-6) from ``{level: count}``: (very satisfied +
    satisfied + basically satisfied) / valid answers. Answers without a level are not
    valid and are ignored."""
    valid = sum(count for level, count in level_counts.items() if level)
    satisfied = sum(level_counts.get(level, 0) for level in SATISFIED_LEVELS)
    return rate(satisfied, valid)


def collection_window_days(date_start, date_end):
    """Length of a collection window in calendar days, both ends included
    (1st to 10th = 10 days)."""
    return (date_end - date_start).days + 1


def window_error(date_start, date_end, min_days=10, max_days=15, override=False):
    """Why a collection window is not acceptable (R-SUR-4), or None.

    Returns ``"reversed"``, ``"too_short"`` or ``"too_long"``; an override lifts the
    length limits, never the order of the dates.
    """
    if not date_start or not date_end:
        return None
    if date_end < date_start:
        return "reversed"
    if override:
        return None
    days = collection_window_days(date_start, date_end)
    if days < min_days:
        return "too_short"
    if days > max_days:
        return "too_long"
    return None


def within_hours(local_dt, hour_from=9.0, hour_to=20.0):
    """Whether a local datetime falls inside the visiting hours (R-SUR-4), both
    bounds included; hours are floats (9.5 = 09:30)."""
    value = local_dt.hour + local_dt.minute / 60.0 + local_dt.second / 3600.0
    return hour_from <= value <= hour_to


def in_window(moment, date_start, date_end):
    """Whether a date or local datetime falls inside the collection window (end day
    included)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return date_start <= day <= date_end


def float_to_hhmm(value):
    """9.5 -> '09:30' for messages."""
    hours = int(value)
    minutes = round((value - hours) * 60)
    return f"{hours:02d}:{minutes:02d}"


def cycle_length(cycle_months):
    """The months of the survey cycle (R-SUR-1): half-yearly (6) by default, at
    least yearly (12); a campaign period is a half year or a full year, so any
    other setting is read as the nearer of the two."""
    return 12 if (cycle_months or 6) > 9 else 6


def period_of(day, cycle_months=6):
    """``(period_start, year, period)`` of the campaign period holding ``day``:
    ``h1`` from 1 January, ``h2`` from 1 July, or ``year`` for a yearly cycle."""
    if cycle_length(cycle_months) == 12:
        return date(day.year, 1, 1), day.year, "year"
    if day.month <= 6:
        return date(day.year, 1, 1), day.year, "h1"
    return date(day.year, 7, 1), day.year, "h2"


def due_period(today, lead_days=14, cycle_months=6):
    """The latest campaign period whose preparation date (``lead_days`` before
    its start) is ``today`` or before (R-SUR-1): ``(period_start, year,
    period)``. On the preparation date of the next period, that period; the day
    before, the running one."""
    return period_of(today + timedelta(days=max(lead_days or 0, 0)), cycle_months)


def preparation_date(period_start, lead_days=14):
    """The day the campaign of the period starting ``period_start`` is prepared."""
    return period_start - timedelta(days=max(lead_days or 0, 0))
