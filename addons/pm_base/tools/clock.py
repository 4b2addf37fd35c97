# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The property's clock: every conversion between the stored (naive UTC)
datetimes and a property's wall clock, in one place (R-TZ-1, R-TZ-2).

Rules stated in local time ("the same day", "the 25th", "09:00-12:00") follow the
property's time zone, never the user's or the server's. Nothing else in the addons
converts time zones: models and controllers call these functions.
"""

import re
from datetime import datetime, time

import pytz

# the time zone of a property whose own is not known (a record not yet tied to one);
# SQL takes it as a query parameter, never as a literal of its own
DEFAULT_TZ = "Asia/Shanghai"
# the last second of a day (stored datetimes have no microseconds)
END_OF_DAY = time.max.replace(microsecond=0)
# the year of a language's date format, first (2026年…, 2026-…) or last (…/2026)
YEAR_FIRST_RE = re.compile(r"^%[Yy][^%]*")
YEAR_LAST_RE = re.compile(r"[^%A-Za-z]*%[Yy]$")
# how the readers of a language write a date in full where Odoo's format of the
# language is not it: Odoo 19 offers only numeric formats (zh_CN: 2026/12/08),
# an owner reading Chinese reads 2026年12月08日 (R-TZ-2)
READER_DATE_FORMATS = {"zh_CN": "%Y年%m月%d日"}


def property_zone(tz_name):
    """The pytz zone of a property's ``tz`` (China when not set)."""
    return pytz.timezone(tz_name or DEFAULT_TZ)


def zone_name(tz_name):
    """The name of the zone ``tz_name`` stands for (``Asia/Shanghai`` when not
    set), as a browser's ``Intl`` expects it."""
    return property_zone(tz_name).zone


def local_time(value, tz_name):
    """A stored (naive UTC) datetime on the wall clock of ``tz_name`` (aware)."""
    return pytz.utc.localize(value).astimezone(property_zone(tz_name))


def local_naive(value, tz_name):
    """A stored datetime as the wall clock of ``tz_name`` reads it, without its
    zone (a spreadsheet cell); ``None`` for no value."""
    if not value:
        return None
    return local_time(value, tz_name).replace(tzinfo=None)


def local_now(tz_name, now):
    """``now`` (naive UTC) on the wall clock of ``tz_name`` (aware)."""
    return local_time(now, tz_name)


def local_today(tz_name, now):
    """The date at ``tz_name`` when it is ``now`` (naive UTC)."""
    return local_time(now, tz_name).date()


def utc_naive(moment):
    """An aware datetime as it is stored: naive UTC."""
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


def to_utc(day, tz_name, at=time.min):
    """The stored (naive UTC) datetime of ``day`` at the local time ``at`` of
    ``tz_name`` (its midnight by default)."""
    return utc_naive(property_zone(tz_name).localize(datetime.combine(day, at)))


def day_bounds_utc(first_day, last_day, tz_name):
    """Naive UTC datetimes of the local midnight starting ``first_day`` and of the
    last second of ``last_day``, at ``tz_name``."""
    return to_utc(first_day, tz_name), to_utc(last_day, tz_name, END_OF_DAY)


def local_stamp(value, tz_name, fmt="%Y-%m-%d %H:%M"):
    """A stored datetime as the property's wall clock reads it, as ``fmt`` writes
    it (chatter, staff e-mails, lists); ``""`` for no value."""
    if not value:
        return ""
    return local_time(value, tz_name).strftime(fmt)


def reader_date_format(lang_code, date_format):
    """The date format a reader of ``lang_code`` reads: the language's own
    (``date_format``), unless its readers write dates otherwise
    (``READER_DATE_FORMATS``)."""
    return READER_DATE_FORMATS.get(lang_code, date_format)


def owner_text(value, tz_name, date_format, date_only=False, short=False):
    """``value`` as an owner or a visitor reads it (R-TZ-2): a stored (naive UTC)
    datetime on the property's wall clock, a date as it is, in the reader's
    language's ``date_format`` (2026年12月08日 09:00 in zh_CN).

    :param date_only: the local day only
    :param short: without the year (the times of a request's timeline)
    """
    if not value:
        return ""
    if short:
        date_format = YEAR_LAST_RE.sub("", YEAR_FIRST_RE.sub("", date_format))
    if not isinstance(value, datetime):
        return value.strftime(date_format)
    local = local_time(value, tz_name)
    return local.strftime(date_format if date_only else f"{date_format} %H:%M")
