# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Service-level rules as pure functions (R-SLA-*, R-ESC-*, R-SEV-2, R-RV-2).

Nothing here touches the ORM: callers pass datetimes, durations and, for working
time, a function returning the working intervals of a calendar. Models only feed
these functions, so the rules are tested table-driven without a database.

Conventions: ``start``/``now`` are timezone-aware datetimes; an ``intervals``
function takes two aware datetimes and returns the sorted ``(start, stop)`` pairs of
working time between them (aware as well).
"""

from datetime import timedelta

# the escalation ladder is written once, in pm_base; its names are kept here for
# the SLA rules' callers
from odoo.addons.pm_base.tools.escalation import (  # noqa: F401
    LEVEL_DIRECTOR,
    LEVEL_QUALITY,
    LEVEL_REMINDER,
    LEVEL_RESPONSIBLE,
    LEVEL_TEAM_LEADER,
    MAX_LEVEL,
    escalation_due_date,
    is_due,
    next_escalation,
)

# How far ahead a working-time deadline is searched for; a calendar without any
# working interval in that horizon is treated as "no calendar": wall-clock time.
WORKING_TIME_HORIZON_DAYS = 366
_CHUNK_DAYS = 14


def add_wall_clock(start, hours):
    """``start`` plus ``hours`` of wall-clock time (R-SLA-5, "calendar time")."""
    return start + timedelta(hours=hours)


def add_working_time(start, hours, intervals, horizon_days=WORKING_TIME_HORIZON_DAYS):
    """``start`` plus ``hours`` of working time (R-SLA-5, "working time").

    Walks the working intervals from ``start`` and consumes ``hours``. A deadline
    that falls exactly on the end of an interval stays there (17:00, not the next
    morning). Rule for an empty calendar: when ``intervals`` is missing or yields no
    working time within ``horizon_days``, the deadline counts wall-clock hours, so a
    misconfigured calendar never produces "no deadline".
    """
    if hours <= 0:
        return start
    if intervals is None:
        return add_wall_clock(start, hours)
    remaining = timedelta(hours=hours)
    cursor = start
    limit = start + timedelta(days=horizon_days)
    while cursor < limit:
        window_end = min(cursor + timedelta(days=_CHUNK_DAYS), limit)
        for interval_start, interval_stop in intervals(cursor, window_end):
            interval_start = max(interval_start, cursor)
            if interval_stop <= interval_start:
                continue
            span = interval_stop - interval_start
            if span >= remaining:
                return interval_start + remaining
            remaining -= span
        cursor = window_end
    return add_wall_clock(start, hours)


def compute_deadline(start, hours, working_time=False, intervals=None, same_day=False):
    """Deadline ``hours`` after ``start`` following the policy's time mode, or the
    end of the (working) day when the policy asks for same-day handling."""
    if same_day:
        return end_of_day(start, intervals if working_time else None)
    if working_time:
        return add_working_time(start, hours, intervals)
    return add_wall_clock(start, hours)


def end_of_day(start, intervals=None):
    """Same-day closure (seed 003: 一般投诉当天必须关闭).

    On working time: the end of the last working interval of the day ``start``
    falls in; received after hours or on a day off, the end of the next working
    day. Without a calendar (or an empty one): midnight at the end of the local day.
    """
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    fallback = midnight + timedelta(days=1)
    if intervals is None:
        return fallback
    cursor = start
    limit = start + timedelta(days=WORKING_TIME_HORIZON_DAYS)
    while cursor < limit:
        window_end = min(cursor + timedelta(days=_CHUNK_DAYS), limit)
        found = [stop for _begin, stop in intervals(cursor, window_end) if stop > start]
        if found:
            day = found[0].date()
            return max(stop for stop in found if stop.date() == day)
        cursor = window_end
    return fallback


def add_working_days(start_date, days, is_working_day, horizon_days=366):
    """The ``days``-th working day after ``start_date`` (R-RV-2: 3 working days).

    ``is_working_day(date)`` tells whether a date has working time. Without any
    working day in the horizon (empty calendar), calendar days count instead.
    """
    if days <= 0:
        return start_date
    current = start_date
    found = 0
    for _step in range(horizon_days):
        current += timedelta(days=1)
        if is_working_day(current):
            found += 1
            if found == days:
                return current
    return start_date + timedelta(days=days)


def check_deadline_order(acknowledge, reply, resolve):
    """Names of the violated orderings: a case cannot be resolved before it is
    acknowledged, nor first answered after it is resolved."""
    errors = []
    if acknowledge and resolve and resolve < acknowledge:
        errors.append("resolve_before_acknowledge")
    if reply and resolve and reply > resolve:
        errors.append("reply_after_resolve")
    return errors


def align_deadlines(acknowledge, reply, resolve):
    """Earlier steps never end after the resolution (e.g. same-day closure with a
    24 h acknowledgement): acknowledge and reply are capped at ``resolve``."""
    if not resolve:
        return acknowledge, reply, resolve
    return (
        min(acknowledge, resolve) if acknowledge else acknowledge,
        min(reply, resolve) if reply else reply,
        resolve,
    )


def should_upgrade_to_major(is_valid, is_open, severity, intake, now, days):
    """R-SEV-2: a valid complaint still open ``days`` after intake becomes major."""
    return (
        bool(is_valid)
        and bool(is_open)
        and severity != "major"
        and now >= intake + timedelta(days=days)
    )


def door_visit_reasons(severity, channel, previous_intakes, intake, window_days):
    """R-ESC-2: why the director must visit the owner in person (empty: no visit).

    ``previous_intakes`` are the intake datetimes of the same owner's earlier
    complaints and opinions.
    """
    reasons = []
    if severity == "major":
        reasons.append("major")
    if channel == "head_office":
        reasons.append("head_office")
    window_start = intake - timedelta(days=window_days)
    if any(window_start <= previous <= intake for previous in previous_intakes):
        reasons.append("repeat")
    return reasons


def is_owner_reply(message_type, is_comment, is_internal, author_is_staff):
    """R-CLOCK-1: whether a chatter message is a reply to the owner: a public
    comment or email (not an internal note) written by a staff member. The
    owner's own messages and the system's notes are not."""
    return (
        message_type in ("comment", "email")
        and bool(is_comment)
        and not is_internal
        and bool(author_is_staff)
    )


def first_reply_measure(is_valid, deadline, first_reply, finished):
    """R-CLOCK-1: ``(measured, on_time)`` of a case for the first-reply rate.

    A valid case with a first-reply deadline is measured once it was replied
    to, or once it is resolved or closed without a reply (then missed); a case
    still waiting for its reply is not measured yet (its escalation runs)."""
    if not is_valid or not deadline or not (first_reply or finished):
        return False, False
    return True, bool(first_reply and first_reply <= deadline)


def progress_update_due(intake, last_update, now, long_case_days, interval_days):
    """R-CLOCK-1: whether the handler of an open case must update the owner on
    its progress: the case is open longer than ``long_case_days`` and the owner
    heard nothing for ``interval_days`` (since intake when never updated)."""
    if not intake or long_case_days <= 0 or interval_days <= 0:
        return False
    if now < intake + timedelta(days=long_case_days):
        return False
    return now >= (last_update or intake) + timedelta(days=interval_days)


# ------------------------------------------------------------
# SHORT RESPONSE TIMES (R-CLOCK-1, seeds 001 and 004)
# ------------------------------------------------------------


def within_minutes(start, stop, minutes):
    """R-CLOCK-1: whether ``stop`` came no later than ``minutes`` after
    ``start``: met at the limit, missed one second after."""
    return bool(start and stop) and stop <= start + timedelta(minutes=minutes)


def clock_measure(applies, start, stop, minutes, finished):
    """R-CLOCK-1: ``(measured, on_time)`` of one short clock of a case.

    A case the clock ``applies`` to is measured once the awaited step came
    (``stop``: on time when within ``minutes`` of ``start``), or once the case is
    resolved or closed without it (then missed); a case still waiting is not
    measured yet."""
    if not applies or not start or not (stop or finished):
        return False, False
    return True, within_minutes(start, stop, minutes)


def first_response(*stamps):
    """R-CLOCK-1 (seed 004: 十五分钟得到安排或答复): when the owner's request was
    first arranged or answered: the earliest of the given stamps (acknowledged,
    handed to a responsible, first reply), or None."""
    found = [stamp for stamp in stamps if stamp]
    return min(found) if found else None


def clock_deadline(start, minutes):
    """The deadline of a short clock started at ``start``, or None."""
    return start + timedelta(minutes=minutes) if start else None


def supervisor_levels_due(asked, answered, now, minutes):
    """R-CLOCK-1 (seed 004: 向主管请示后5分钟内给予回复): the ladder steps due on
    an agent's question to the supervisor: the supervisor is reminded once the
    limit is over (the team leader's level), the director once a second limit is
    over; nothing once answered."""
    if not asked or answered or minutes <= 0:
        return []
    levels = []
    if now > asked + timedelta(minutes=minutes):
        levels.append(LEVEL_TEAM_LEADER)
    if now > asked + timedelta(minutes=2 * minutes):
        levels.append(LEVEL_DIRECTOR)
    return levels
