# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Target and scheduling rules of repair work orders, as pure functions.

The ORM only feeds these functions with plain values (datetimes in UTC, numbers of
minutes from the configuration); they are tested table-driven without a database.
"""

from datetime import timedelta

from odoo.addons.pm_base.tools import clock

MET = "met"
MISSED = "missed"


def minutes_between(start, end):
    """Minutes from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).total_seconds() / 60.0


def within(start, end, max_minutes):
    """R-REP-2: ``end`` no later than ``max_minutes`` after ``start``.

    ``None`` while one of the two moments is unknown (not measurable yet).
    """
    if not start or not end:
        return None
    return MET if minutes_between(start, end) <= max_minutes else MISSED


def contacted_before(contact, appointment, min_before):
    """R-REP-2: the owner was contacted at least ``min_before`` minutes before the
    appointment. Contacting exactly ``min_before`` minutes before is met."""
    if not contact or not appointment:
        return None
    return MET if minutes_between(contact, appointment) >= min_before else MISSED


def arrived_early(arrival, appointment, early_min, early_max):
    """R-REP-2: arrival between ``early_max`` and ``early_min`` minutes before the
    appointment, both bounds included (SOP: "提前3-5分钟到达").

    Arriving later than ``early_min`` minutes before (e.g. on time or late) and
    arriving earlier than ``early_max`` minutes before both miss the target.
    """
    if not arrival or not appointment:
        return None
    early = minutes_between(arrival, appointment)
    return MET if early_min <= early <= early_max else MISSED


def completion_deadline(urgency, stamps, tz_name, days):
    """R-CLOCK-1 (seed 004 §6 "当日或部门内无法解决的信息…上报"): the last second
    of the property's local day the work is due, ``days`` days later.

    The day due is the day the order is received for an emergency or an
    immediate repair, the appointment's day for an appointment. ``None`` while
    that moment is unknown. Done at the returned moment meets the target.
    """
    start = stamps.get("appointment" if urgency == "appointment" else "intake")
    if not start:
        return None
    day = clock.local_time(start, tz_name).date() + timedelta(days=max(days, 0))
    return clock.to_utc(day, tz_name, clock.END_OF_DAY)


def completed_in_time(urgency, stamps, tz_name, days):
    """R-CLOCK-1: the technicians finished (``stamps["done"]``) by the completion
    deadline; ``None`` while not finished."""
    deadline = completion_deadline(urgency, stamps, tz_name, days)
    done = stamps.get("done")
    if not deadline or not done:
        return None
    return MET if done <= deadline else MISSED


def completion_overdue_before(tz_name, days, now):
    """The SQL twin of the completion deadline: an order whose day due starts
    (intake or appointment) before the returned moment (naive UTC) and is not
    finished is overdue at ``now``; the deadline is over once the local day
    ``days`` days after the day due has ended."""
    today = clock.local_today(tz_name, now)
    return clock.to_utc(today - timedelta(days=max(days, 0)), tz_name)


def order_targets(urgency, stamps, params, tz_name=None):
    """All targets of one order (R-REP-2, R-CLOCK-1).

    ``stamps``: dict with ``intake``, ``dispatch``, ``contact``, ``arrival``,
    ``appointment``, ``diagnosis``, ``plan``, ``done`` (datetimes or falsy).
    ``params``: dict of minutes: ``dispatch``, ``emergency_dispatch``, ``on_site``,
    ``contact_before``, ``arrive_early_min``, ``arrive_early_max``, ``plan``;
    and ``completion_days``, the days added to the day the work is due.
    ``tz_name``: the property's time zone (the completion's day).
    Returns a dict target name -> ``"met"``/``"missed"``/``None`` (not measured);
    targets that do not apply to the urgency are ``None``.
    """
    dispatch_limit = (
        params["emergency_dispatch"] if urgency == "emergency" else params["dispatch"]
    )
    result = {
        "dispatch": within(
            stamps.get("intake"), stamps.get("dispatch"), dispatch_limit
        ),
        "on_site": None,
        "contact": None,
        "arrival": None,
        "plan": within(stamps.get("diagnosis"), stamps.get("plan"), params["plan"]),
        "completion": completed_in_time(
            urgency, stamps, tz_name, params["completion_days"]
        ),
    }
    if urgency in ("emergency", "immediate"):
        result["on_site"] = within(
            stamps.get("dispatch"), stamps.get("arrival"), params["on_site"]
        )
    elif urgency == "appointment":
        result["contact"] = contacted_before(
            stamps.get("contact"), stamps.get("appointment"), params["contact_before"]
        )
        result["arrival"] = arrived_early(
            stamps.get("arrival"),
            stamps.get("appointment"),
            params["arrive_early_min"],
            params["arrive_early_max"],
        )
    return result


def timeliness(results):
    """100 when every measured target is met, 0 when one is missed, ``None`` when
    nothing is measured yet (R-REP-6 零修/急修及时率)."""
    measured = [value for value in results.values() if value]
    if not measured:
        return None
    return 0.0 if MISSED in measured else 100.0


def pending_deadlines(urgency, stamps, params, tz_name=None):
    """Deadlines of the targets still running: name -> datetime (for "overdue").

    Whether a target's clock runs in the order's state is the caller's: the
    completion runs until the technicians finish, the others until the work
    starts."""
    deadlines = {}
    dispatch_limit = (
        params["emergency_dispatch"] if urgency == "emergency" else params["dispatch"]
    )
    if stamps.get("intake") and not stamps.get("dispatch"):
        deadlines["dispatch"] = stamps["intake"] + timedelta(minutes=dispatch_limit)
    if (
        urgency in ("emergency", "immediate")
        and stamps.get("dispatch")
        and not stamps.get("arrival")
    ):
        deadlines["on_site"] = stamps["dispatch"] + timedelta(minutes=params["on_site"])
    if urgency == "appointment" and stamps.get("appointment"):
        if not stamps.get("contact"):
            deadlines["contact"] = stamps["appointment"] - timedelta(
                minutes=params["contact_before"]
            )
        if not stamps.get("arrival"):
            deadlines["arrival"] = stamps["appointment"] - timedelta(
                minutes=params["arrive_early_min"]
            )
    if stamps.get("diagnosis") and not stamps.get("plan"):
        deadlines["plan"] = stamps["diagnosis"] + timedelta(minutes=params["plan"])
    if not stamps.get("done"):
        completion = completion_deadline(
            urgency, stamps, tz_name, params["completion_days"]
        )
        if completion:
            deadlines["completion"] = completion
    return deadlines


def is_overdue(deadlines, now):
    """A running target (``deadlines``: name -> deadline) whose deadline has
    passed."""
    return any(deadline < now for deadline in deadlines.values())


def is_paid(common_area, paid_in_unit, under_warranty):
    """R-REP-3 / R-VALID-1: faults in common areas and warranty faults are free;
    inside a unit the category decides."""
    return not common_area and not under_warranty and bool(paid_in_unit)


def under_warranty(quality_fault, fault_date, warranty_end):
    """R-VALID-1: a housing-quality fault reported on or before the warranty end."""
    return bool(quality_fault and fault_date and warranty_end) and (
        fault_date <= warranty_end
    )


def return_visit_due(reference_date, delay_days):
    """R-REP-RV: due date ``delay_days`` after the reference day (completion, or
    the rainstorm for leaks)."""
    return reference_date + timedelta(days=max(delay_days, 0))


# R-THREAD-1: the states of the orders of one owner request, by where its work
# stands (a cancelled order carries no work)
WORKING_STATES = (
    "new",
    "dispatched",
    "taken",
    "on_site",
    "diagnosed",
    "quoted",
    "in_progress",
)
FINISHED_STATES = ("done", "warranty")
ACCEPTED_STATES = ("return_visit", "closed")


def work_state(states):
    """Where the repair work of one owner request stands, from the states of its
    orders.

    :return: ``None`` (no order, or only cancelled ones); ``working`` (an order
        is being worked on); ``finished`` (the technicians finished, the owner's
        acceptance is awaited, or a warranty fault went to the developer);
        ``accepted`` (the owner accepted every order, their return visits are
        due); ``closed`` (every order closed after its return visit)
    """
    states = [state for state in states if state != "cancelled"]
    if not states:
        return None
    if any(state in WORKING_STATES for state in states):
        return "working"
    if any(state in FINISHED_STATES for state in states):
        return "finished"
    if all(state == "closed" for state in states):
        return "closed"
    return "accepted"


def work_day(day, today):
    """Where an order's work falls for the technician's list (issue 21):
    ``today``, ``earlier`` (left over) or ``later``; days on the property's
    wall clock."""
    if day == today:
        return "today"
    return "earlier" if day < today else "later"


def work_time_label(local_due, today):
    """The time the work is due as the technician's card shows it: the hour
    today, the day and hour otherwise (a local datetime in, text out)."""
    if local_due.date() == today:
        return local_due.strftime("%H:%M")
    return local_due.strftime("%m-%d %H:%M")
