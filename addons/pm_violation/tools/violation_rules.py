# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of a violation (seed 001 住户违章处理 §3) as pure functions: the
rectification deadline of each kind, when a violation is overdue, when it may be
closed and the rectified-on-time rate. The ORM only feeds them."""

from datetime import timedelta

from odoo.addons.pm_base.tools import clock, rates, settings

PREFIX = "pm_violation."
KINDS = ("decoration", "common_area", "pet", "parking", "other")
# the seed gives no rectification periods: the service centre's own defaults,
# in days after the day the violation was found (Settings › Property Service)
DEFAULT_DAYS = {
    "decoration": 7,
    "common_area": 3,
    "pet": 3,
    "parking": 1,
    "other": 7,
}
settings.SETTINGS.update(
    {
        PREFIX + f"deadline_days_{kind}": settings.Setting(int, days, minimum=0)
        for kind, days in DEFAULT_DAYS.items()
    }
)
# an inspection result
PASSED = "passed"
FAILED = "failed"


def days_key(kind):
    """The setting giving the rectification days of ``kind``."""
    return PREFIX + f"deadline_days_{kind if kind in KINDS else 'other'}"


def deadline_date(kind, found_date, days_by_kind):
    """The last local day to rectify a violation of ``kind`` found on
    ``found_date`` (a local date): that day plus the kind's days."""
    days = days_by_kind.get(kind, days_by_kind.get("other", DEFAULT_DAYS["other"]))
    return found_date + timedelta(days=max(int(days), 0))


def deadline_at(last_day, tz_name):
    """When the deadline falls (naive UTC): at the end of ``last_day`` in the
    property's time zone, i.e. the local midnight that follows it."""
    return clock.to_utc(last_day + timedelta(days=1), tz_name)


def is_overdue(due_at, now, passed):
    """A violation is overdue once its deadline has come (``now`` at or after
    the local midnight ending its last day) without a passed inspection."""
    return bool(due_at) and not passed and now >= due_at


def may_close(results):
    """Closure only after a passed follow-up inspection: the latest of the
    inspection ``results`` (oldest first) passed."""
    return bool(results) and results[-1] == PASSED


def rectified_on_time(last_day, passed_day):
    """Rectified on time: the inspection that passed was made on or before the
    last day (both local dates)."""
    return bool(passed_day) and bool(last_day) and passed_day <= last_day


def on_time_rate(on_time, due):
    """The rectified-on-time rate as people read it: "—" with nothing due."""
    return rates.format_rate(rates.rate(on_time, due))
