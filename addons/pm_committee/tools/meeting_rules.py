# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of meetings and their follow-ups, as plain functions of plain
values: the ORM only feeds them (seed 001 §一.3: a meeting's problems are
"rectified within a deadline"; seed 001 §四, 003 §4.1.4: symposium records).
"""

from odoo.addons.pm_base.tools import rates

# states of a follow-up that need nothing more
FOLLOWUP_CLOSED_STATES = ("done", "cancelled")


def followup_overdue(deadline, state, local_today):
    """A follow-up is overdue from the day after its deadline, on the property's
    day (``local_today``), while it is not done or cancelled; no deadline, never
    overdue."""
    if not deadline or state in FOLLOWUP_CLOSED_STATES:
        return False
    return deadline < local_today


def followup_needs_reminder(deadline, state, reminded, local_today):
    """The responsible is reminded once of an overdue follow-up."""
    return not reminded and followup_overdue(deadline, state, local_today)


def meeting_closable(state, followup_states):
    """A meeting closes once its minutes are approved and every follow-up is done
    or cancelled (one with none closes at once)."""
    if state != "approved":
        return False
    return all(s in FOLLOWUP_CLOSED_STATES for s in followup_states)


def attendance_rate(invited, present):
    """Percentage of the invited who attended (``None`` with nobody invited)."""
    return rates.rate(present, invited)


def attendance_text(invited, present):
    """The attendance rate as people read it: "75.00 %", "—" with nobody
    invited."""
    return rates.format_rate(attendance_rate(invited, present), "%")
