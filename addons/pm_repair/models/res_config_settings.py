# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.pm_base.tools import settings

from .pm_repair_order_targets import COMPLETION_STATES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # R-REP-2 targets, in minutes
    pm_repair_target_dispatch = fields.Float(
        string="Dispatch Within (min)",
        config_parameter="pm_repair.target_dispatch",
        default=settings.default("pm_repair.target_dispatch"),
    )
    pm_repair_target_emergency_dispatch = fields.Float(
        string="Emergency Dispatch Within (min)",
        config_parameter="pm_repair.target_emergency_dispatch",
        default=settings.default("pm_repair.target_emergency_dispatch"),
    )
    pm_repair_target_on_site = fields.Float(
        string="On Site Within (min)",
        config_parameter="pm_repair.target_on_site",
        default=settings.default("pm_repair.target_on_site"),
    )
    pm_repair_target_contact_before = fields.Float(
        string="Contact Owner Before Appointment (min)",
        config_parameter="pm_repair.target_contact_before",
        default=settings.default("pm_repair.target_contact_before"),
    )
    pm_repair_target_arrive_early_min = fields.Float(
        string="Arrive Early, at Least (min)",
        config_parameter="pm_repair.target_arrive_early_min",
        default=settings.default("pm_repair.target_arrive_early_min"),
    )
    pm_repair_target_arrive_early_max = fields.Float(
        string="Arrive Early, at Most (min)",
        config_parameter="pm_repair.target_arrive_early_max",
        default=settings.default("pm_repair.target_arrive_early_max"),
    )
    pm_repair_target_plan = fields.Float(
        string="Plan Within (min) of Diagnosis",
        config_parameter="pm_repair.target_plan",
        default=settings.default("pm_repair.target_plan"),
    )
    # R-CLOCK-1: the completion, in days after the day due
    pm_repair_target_completion_days = fields.Integer(
        string="Extra Days to Finish",
        config_parameter="pm_repair.target_completion_days",
        default=settings.default("pm_repair.target_completion_days"),
    )
    # R-REP-RV
    pm_repair_rework_visit_days = fields.Integer(
        string="Rework Return Visit Within (days)",
        config_parameter="pm_repair.rework_visit_days",
        default=settings.default("pm_repair.rework_visit_days"),
    )

    def set_values(self):
        Order = self.env["pm.repair.order"].sudo()
        before = Order._pm_target_params()
        res = super().set_values()
        if Order._pm_target_params() != before:
            # the clocks still running follow the new targets (R-CLOCK-1)
            Order.search(
                [("state", "in", COMPLETION_STATES)]
            )._pm_escalation_reschedule()
        return res
