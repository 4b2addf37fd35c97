# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation ladder as pure functions (R-ESC-1, R-ESC-4): which level is
due when. Nothing here touches the ORM; ``pm.escalation.mixin`` feeds it.
"""

from datetime import timedelta

# Escalation ladder (R-ESC-1); level 0 is the reminder before the deadline (§4).
LEVEL_REMINDER = 0
LEVEL_RESPONSIBLE = 1
LEVEL_TEAM_LEADER = 2
LEVEL_DIRECTOR = 3
LEVEL_QUALITY = 4
MAX_LEVEL = LEVEL_QUALITY


def escalation_due_date(deadline, level, interval_hours, reminder_hours):
    """When escalation ``level`` of a deadline is due (R-ESC-1).

    Level 0 is the reminder ``reminder_hours`` before the deadline; level 1 (the
    responsible person) is due at the deadline; each further level one
    ``interval_hours`` later: team leader, director, quality department.
    """
    if level == LEVEL_REMINDER:
        return deadline - timedelta(hours=reminder_hours)
    return deadline + timedelta(hours=interval_hours * (level - 1))


def is_due(level, due, now):
    """Whether the step ``level`` due at ``due`` is sent at ``now``: the reminder
    at its time; an escalation only once its deadline is over, as a deadline
    met at the limit is met (the rates count it on time)."""
    if due is None:
        return False
    return due <= now if level == LEVEL_REMINDER else due < now


def next_escalation(deadline, done_levels, now, interval_hours, reminder_hours):
    """The next level to send for a deadline and when it is due.

    ``done_levels`` are the levels already sent (each level once, R-ESC-4). A
    reminder whose time has passed without being sent is skipped when the deadline
    itself is already over (no "reminder" after the fact). Returns
    ``(level, due)`` or ``(None, None)`` when the ladder is complete.
    """
    if not deadline:
        return None, None
    done = set(done_levels)
    top = max(done) if done else -1
    for level in range(top + 1, MAX_LEVEL + 1):
        if level in done:
            continue
        if level == LEVEL_REMINDER and (reminder_hours <= 0 or now >= deadline):
            continue
        return level, escalation_due_date(
            deadline, level, interval_hours, reminder_hours
        )
    return None, None
