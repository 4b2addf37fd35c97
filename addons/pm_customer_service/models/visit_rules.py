# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Visit scheduling rules (R-VIS-3, R-RV-5) as plain functions: no ORM here."""

from dateutil.relativedelta import relativedelta


def periodic_visit_due(last_visit_date, interval_months, today):
    """Date the next periodic visit of a unit is due (R-VIS-3).

    A unit never visited is due today; otherwise ``interval_months`` after its last
    visit, and never before today (overdue visits are due now).
    """
    if interval_months <= 0:
        raise ValueError("the visit interval must be positive")
    if not last_visit_date:
        return today
    return max(today, last_visit_date + relativedelta(months=interval_months))


def needs_periodic_visit(last_visit_date, interval_months, today, horizon_days=0):
    """True when a periodic visit falls due within ``horizon_days`` of ``today``."""
    if not last_visit_date:
        return True
    due = last_visit_date + relativedelta(months=interval_months)
    return (due - today).days <= horizon_days


def new_owner_visit_due(move_in_date, within_months):
    """Latest date of the welcome visit of a new owner (R-RV-5)."""
    return move_in_date + relativedelta(months=within_months)


def quota_shortfall(done, quota):
    """How many visits are missing to reach a monthly quota (R-RV-3)."""
    return max(0, quota - done)
