# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools import settings


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_move_in_max_future_days = fields.Integer(
        string="Move-in Date Horizon (days)",
        config_parameter="pm_customer_service.move_in_max_future_days",
        default=settings.default("pm_customer_service.move_in_max_future_days"),
        help="How many days ahead a unit's move-in date may be recorded.",
    )
    pm_visit_interval_months = fields.Integer(
        string="Visit Every (months)",
        config_parameter="pm_customer_service.visit_interval_months",
        default=settings.default("pm_customer_service.visit_interval_months"),
        help="Each occupied unit is visited at least this often.",
    )
    pm_new_owner_visit_months = fields.Integer(
        string="New Owners Visited Within (months)",
        config_parameter="pm_customer_service.new_owner_visit_months",
        default=settings.default("pm_customer_service.new_owner_visit_months"),
    )
    pm_director_monthly_visits = fields.Integer(
        string="Director's Visits per Month",
        config_parameter="pm_customer_service.director_monthly_visits",
        default=settings.default("pm_customer_service.director_monthly_visits"),
    )
    pm_escalation_interval_hours = fields.Integer(
        string="Escalation Interval (h)",
        config_parameter="pm_customer_service.escalation_interval_hours",
        default=settings.default("pm_customer_service.escalation_interval_hours"),
        help="Hours between two escalation levels after a deadline is missed.",
    )
    pm_reminder_hours = fields.Integer(
        string="Reminder Before Deadline (h)",
        config_parameter="pm_customer_service.reminder_hours",
        default=settings.default("pm_customer_service.reminder_hours"),
        help="Hours before a deadline the responsible person is reminded (0: no "
        "reminder).",
    )
    pm_auto_major_days = fields.Integer(
        string="Upgrade to Major After (days)",
        config_parameter="pm_customer_service.auto_major_days",
        default=settings.default("pm_customer_service.auto_major_days"),
        help="Days a valid complaint may stay open before it becomes major.",
    )
    pm_repeat_window_days = fields.Integer(
        string="Repeat Complaint Window (days)",
        config_parameter="pm_customer_service.repeat_window_days",
        default=settings.default("pm_customer_service.repeat_window_days"),
        help="Days within which a second complaint of the same owner requires a "
        "director door visit.",
    )
    pm_door_visit_days = fields.Integer(
        string="Director Door Visit Within (days)",
        config_parameter="pm_customer_service.door_visit_days",
        default=settings.default("pm_customer_service.door_visit_days"),
        help="Days to make the director's door visit (same day for head-office "
        "forwards).",
    )
    pm_retention_years = fields.Integer(
        string="Keep Records For (years)",
        config_parameter="pm_customer_service.retention_years",
        default=settings.default("pm_customer_service.retention_years"),
        help="Closed cases, visits, return visits, rectifications, escalation steps, "
        "quality analyses and survey data are archived, never deleted, for this "
        "many years (at least 2).",
    )
    pm_escalation_batch_size = fields.Integer(
        string="Escalation Batch Size",
        config_parameter="pm_customer_service.escalation_batch_size",
        default=settings.default("pm_customer_service.escalation_batch_size"),
        help="Records handled per committed batch by the escalation cron.",
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
