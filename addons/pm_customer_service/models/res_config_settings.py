# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools import settings
from odoo.addons.pm_base.tools.settings import CS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_move_in_max_future_days = settings.field(
        CS + "move_in_max_future_days",
        "Move-in Date Horizon (days)",
        "How many days ahead a unit's move-in date may be recorded.",
    )
    pm_visit_interval_months = settings.field(
        CS + "visit_interval_months",
        "Visit Every (months)",
        "Each occupied unit is visited at least this often.",
    )
    pm_new_owner_visit_months = settings.field(
        CS + "new_owner_visit_months", "New Owners Visited Within (months)"
    )
    pm_director_monthly_visits = settings.field(
        CS + "director_monthly_visits", "Director's Visits per Month"
    )
    pm_escalation_interval_hours = settings.field(
        CS + "escalation_interval_hours",
        "Escalation Interval (h)",
        "Hours between two escalation levels after a deadline is missed.",
    )
    pm_reminder_hours = settings.field(
        CS + "reminder_hours",
        "Reminder Before Deadline (h)",
        "Hours before a deadline the responsible person is reminded (0: no "
        "reminder).",
    )
    pm_auto_major_days = settings.field(
        CS + "auto_major_days",
        "Upgrade to Major After (days)",
        "Days a valid complaint may stay open before it becomes major.",
    )
    pm_repeat_window_days = settings.field(
        CS + "repeat_window_days",
        "Repeat Complaint Window (days)",
        "Days within which a second complaint of the same owner requires a "
        "director door visit.",
    )
    pm_door_visit_days = settings.field(
        CS + "door_visit_days",
        "Director Door Visit Within (days)",
        "Days to make the director's door visit (same day for head-office "
        "forwards).",
    )
    pm_reappointment_cap_days = settings.field(
        CS + "reappointment_cap_days",
        "Re-appointment Cap (days)",
        "A resolution date re-appointed with the owner further away than this "
        "needs a director.",
    )
    pm_visit_issue_days = settings.field(
        CS + "visit_issue_days",
        "Resolve Visit Issues Within (days)",
        "Days after the visit an issue the owner raised must be resolved before "
        "it escalates.",
    )
    pm_sample_calls_per_agent = settings.field(
        CS + "sample_calls_per_agent",
        "Sample Calls per Agent",
        "Closed cases of each agent drawn each month for their supervisor to "
        "call the owner about (0: none).",
    )
    pm_sample_call_days = settings.field(
        CS + "sample_call_days",
        "Sample Calls Within (days)",
        "Days the supervisor has to make a sample call before it escalates.",
    )
    pm_progress_case_days = settings.field(
        CS + "progress_case_days",
        "Progress Updates After (days)",
        "A case open longer than this many days gets regular progress updates "
        "to the owner.",
    )
    pm_progress_interval_days = settings.field(
        CS + "progress_interval_days",
        "Progress Update Every (days)",
        "The handler of a long case is reminded when the owner heard nothing "
        "for this many days.",
    )
    pm_retention_years = settings.field(
        CS + "retention_years",
        "Keep Records For (years)",
        "Closed cases, visits, return visits, rectifications, escalation steps, "
        "quality analyses and survey data are archived, never deleted, for this "
        "many years (at least 2).",
    )
    pm_escalation_batch_size = settings.field(
        CS + "escalation_batch_size",
        "Escalation Batch Size",
        "Records handled per committed batch by the escalation cron.",
    )

    def action_pm_retention_purge(self):
        """R-KEEP-1: delete the closed records older than the retention period."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only an administrator can purge kept records."))
        self.execute()
        purged = self.env["pm.workflow.guard.mixin"]._pm_retention_purge()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Retention Purge"),
                "message": _(
                    "%s records past the retention period were deleted.",
                    sum(purged.values()),
                ),
                "sticky": False,
            },
        }
