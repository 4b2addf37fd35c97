# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the seeds' targets count, case by case (R-KPI-1): plain values in, plain
values out, no database. The rates themselves and whether they meet a target are
pm_base's (``odoo.addons.pm_base.tools.rates``)."""

from datetime import timedelta

from odoo.addons.pm_base.tools import rates

# the short response times of a case (R-CLOCK-1), measured on pm.case
# (pm_case_short_clocks), each with the parts the board sums
SHORT_CLOCKS = ("help_confirm", "response", "entry", "transfer", "supervisor_answer")
# the KPIs of the board (pm.kpi.board) and of pm.kpi.target
KPIS = (
    "timeliness",
    "first_pass",
    "return_visit",
    "satisfaction",
    "first_reply",
    # the seeds' further targets: counted by pm.case._pm_target_terms_sql
    "complaint_handling",
    "repair_timeliness",
    "repair_return_visit",
    "repair_next_day_visit",
    "accuracy",
    "identification",
    *SHORT_CLOCKS,
)
# (numerator, denominator) of each KPI, as columns of the view's counts
KPI_PARTS = {
    "timeliness": ("on_time", "resolved"),
    "first_pass": ("passed", "closed"),
    "return_visit": ("visited", "resolved"),
    "satisfaction": ("satisfied", "rated"),
    "first_reply": ("replied", "reply_needed"),
    "complaint_handling": ("complaints_handled", "complaints"),
    "repair_timeliness": ("repairs_on_time", "repairs_resolved"),
    "repair_return_visit": ("repairs_visited", "repairs_resolved"),
    "repair_next_day_visit": ("general_repairs_next_day", "general_repairs_resolved"),
    "accuracy": ("accurate", "recorded"),
    "identification": ("identified", "recorded"),
    **{kpi: (f"{kpi}_n", f"{kpi}_d") for kpi in SHORT_CLOCKS},
}
# the counts the board takes from pm.case._pm_target_terms_sql
TERM_COUNTS = (
    "complaints",
    "complaints_handled",
    "repairs_resolved",
    "repairs_on_time",
    "repairs_visited",
    "general_repairs_resolved",
    "general_repairs_next_day",
    "recorded",
    "accurate",
    "identified",
)
# what a verdict reads when a target is met, missed, or there is nothing to measure
MET, MISSED = "met", "missed"


def corrected(old, new):
    """Whether a recorded value is corrected: it was set, and it becomes another
    value (filling an empty value in is completing the intake, not correcting
    it)."""
    return bool(old) and old != (new or False)


def visited_next_day(resolved_day, visited_day):
    """Whether a return visit made on the (local) day ``visited_day`` came
    within the day after the (local) day ``resolved_day`` the case was resolved:
    "次日内" of the routine repairs' telephone return visit."""
    if not resolved_day or not visited_day:
        return False
    return visited_day <= resolved_day + timedelta(days=1)


def verdict(value, targets):
    """``MET``, ``MISSED``, or ``None`` (nothing to measure: neither) of a rate
    against ``[(target, comparison)]``; a rate without a target has no verdict."""
    if value is None or not targets:
        return None
    if all(rates.meets_target(value, target, cmp) for target, cmp in targets):
        return MET
    return MISSED


def target_label(targets):
    """The targets as people read them, e.g. "≥ 80.00", "> 98.00, = 100.00"
    (the board's twin, ``pm.kpi.board._target_sql``)."""
    signs = {">=": "≥"}
    return ", ".join(f"{signs.get(cmp, cmp)} {target:.2f}" for target, cmp in targets)
