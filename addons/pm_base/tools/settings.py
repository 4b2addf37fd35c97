# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The settings of the property-service addons (``ir.config_parameter``), typed,
with their defaults written once.

Every addon reads a setting through :func:`get`: ``settings.get(env, key)`` gives
the value as its type, or the default when the parameter is missing, empty or not
a number. The data files that create the parameters and the fields of the
Settings page take their values from :data:`SETTINGS` (a test checks the data
files agree with it).
"""

from typing import NamedTuple

from odoo import fields

CS = "pm_customer_service."
REPAIR = "pm_repair."
SURVEY = "pm_survey."


class Setting(NamedTuple):
    """A known parameter: how to read it and what it is when not set.

    :param positive: a value of zero or less falls back to the default
    :param minimum: a lower value is raised to it (a floor set by the SOP)
    """

    type: type
    default: object
    positive: bool = False
    minimum: object = None


SETTINGS = {
    # intake, portal and owners' links
    CS + "move_in_max_future_days": Setting(int, 30),
    CS + "rating_link_days": Setting(int, 30),
    CS + "portal_attachment_max_mb": Setting(float, 10.0),
    CS + "qr_reports_per_phone_hour": Setting(int, 3),
    CS + "qr_reports_per_ip_hour": Setting(int, 10),
    CS + "image_max_megapixels": Setting(float, 40.0, positive=True),
    CS + "image_max_side_px": Setting(float, 1920.0, positive=True),
    CS + "signature_max_kb": Setting(float, 512.0, positive=True),
    CS + "signature_max_megapixels": Setting(float, 4.0, positive=True),
    # escalation and severity (R-ESC-*, R-SEV-2)
    CS + "escalation_interval_hours": Setting(int, 24),
    CS + "reminder_hours": Setting(int, 4),
    CS + "escalation_batch_size": Setting(int, 200),
    CS + "auto_major_days": Setting(int, 30),
    CS + "repeat_window_days": Setting(int, 90),
    CS + "door_visit_days": Setting(int, 3),
    # R-SLA-4: a resolution re-appointed with the owner is no more than these
    # days away, unless a director approves (seed 003 §4.2.3.1.4: three days)
    CS + "reappointment_cap_days": Setting(int, 3, positive=True),
    # progress updates of long cases (R-CLOCK-1): seed 002 handles a general
    # complaint in 48 hours; a longer case gets a progress update every 2 days
    CS + "progress_case_days": Setting(int, 2),
    CS + "progress_interval_days": Setting(int, 2),
    # short response times (R-CLOCK-1), in minutes: a help request confirmed
    # to the owner within the hour (seed 001 求助 §4); every question, opinion or
    # complaint arranged or answered within 15 minutes (seed 004 第三章 二.5);
    # the supervisor answers an agent within 5 minutes (seed 004 5a); a call is
    # entered within 1 minute, classified and handed on within 2 (seed 004)
    CS + "help_confirm_minutes": Setting(int, 60, positive=True),
    CS + "response_minutes": Setting(int, 15, positive=True),
    CS + "supervisor_answer_minutes": Setting(int, 5, positive=True),
    CS + "entry_minutes": Setting(int, 1, positive=True),
    CS + "transfer_minutes": Setting(int, 2, positive=True),
    # visits (R-VIS-3, R-RV-5)
    CS + "visit_interval_months": Setting(int, 3),
    CS + "new_owner_visit_months": Setting(int, 1),
    CS + "director_monthly_visits": Setting(int, 2),
    # an issue raised in a visit and not answered on the spot is resolved within
    # these days of the visit, or it escalates (seed: no more than three days)
    CS + "visit_issue_days": Setting(int, 3),
    # supervisors' sample calls (seed 004 §5 f 主管和领班负责信息处理的抽样回访): the
    # seeds give no size; three closed cases per agent and month, called within
    # a week
    CS + "sample_calls_per_agent": Setting(int, 3),
    CS + "sample_call_days": Setting(int, 7, positive=True),
    # quality analysis (R-QA-*)
    CS + "quality_report_batch_size": Setting(int, 1),
    CS + "quality_report_recurring_limit": Setting(int, 20),
    # records are kept at least two years (R-KEEP-1)
    CS + "retention_years": Setting(int, 2, minimum=2),
    # repairs: targets in minutes (R-REP-2), rework visit (R-REP-RV), owner links
    REPAIR + "target_dispatch": Setting(float, 2.0),
    REPAIR + "target_emergency_dispatch": Setting(float, 1.5),
    REPAIR + "target_on_site": Setting(float, 10.0),
    REPAIR + "target_contact_before": Setting(float, 15.0),
    REPAIR + "target_arrive_early_min": Setting(float, 3.0),
    REPAIR + "target_arrive_early_max": Setting(float, 5.0),
    REPAIR + "target_plan": Setting(float, 3.0),
    # R-CLOCK-1: a repair is finished by the end of the day due (the intake's,
    # the appointment's) plus these days; seed 004 §6: the same day (0)
    REPAIR + "target_completion_days": Setting(int, 0, minimum=0),
    REPAIR + "rework_visit_days": Setting(int, 3),
    REPAIR + "owner_link_days": Setting(int, 30),
    # surveys (R-SUR-3/4/5/7)
    SURVEY + "invitation_batch_size": Setting(int, 100),
    SURVEY + "quota_area_threshold": Setting(float, 50000.0),
    SURVEY + "quota_rate_small": Setting(float, 98.0),
    SURVEY + "quota_rate_large": Setting(float, 90.0),
    SURVEY + "window_min_days": Setting(float, 10.0),
    SURVEY + "window_max_days": Setting(float, 15.0),
    SURVEY + "visit_hour_from": Setting(float, 9.0),
    SURVEY + "visit_hour_to": Setting(float, 20.0),
    SURVEY + "recovery_min_rate": Setting(float, 30.0),
    # the survey cycle (R-SUR-1): a campaign every half year (seed 001 品质
    # §四.1(1)①, seed 000 §三.12(1)), its plan prepared for approval two weeks
    # before the period starts (the seeds give no lead: time for the plan's four
    # approval steps and for printing the forms)
    SURVEY + "cycle_months": Setting(int, 6, positive=True),
    SURVEY + "prepare_lead_days": Setting(int, 14),
}


def default(key):
    """The default of a known setting (what the Settings page shows when the
    parameter is not set)."""
    return SETTINGS[key].default


def field(key, string, help=None, kind=None):
    """The field of the Settings page that shows and sets the setting ``key``:
    of the setting's type (``kind``, a field class, when the page shows it
    otherwise), its default shown while the parameter is not set."""
    spec = SETTINGS[key]
    kind = kind or (fields.Integer if spec.type is int else fields.Float)
    return kind(string=string, config_parameter=key, default=spec.default, help=help)


def parse(key, raw):
    """The typed value of ``raw`` (the parameter's text, or None) for ``key``."""
    spec = SETTINGS[key]
    if raw is None or raw is False or raw == "":
        return spec.default
    try:
        value = spec.type(raw)
    except (TypeError, ValueError):
        return spec.default
    if spec.positive and value <= 0:
        return spec.default
    if spec.minimum is not None and value < spec.minimum:
        return spec.minimum
    return value


def get(env, key):
    """The value of the setting ``key`` (a key of :data:`SETTINGS`), typed."""
    if key not in SETTINGS:
        raise KeyError(f"unknown setting {key!r}")
    return parse(key, env["ir.config_parameter"].sudo().get_param(key))
