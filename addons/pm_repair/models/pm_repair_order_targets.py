# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import clock, settings

from . import repair_rules
from .pm_repair_order import (
    COMPLETED_STATES,
    OPEN_STATES,
    TARGET_FIELDS,
    TARGET_PARAMS,
    TARGET_RESULTS,
)

# the states in which the completion's clock runs: until the technicians finish
# (R-CLOCK-1); the other targets' clocks stop once the work starts (OPEN_STATES)
COMPLETION_STATES = (*OPEN_STATES, "in_progress")


class PmRepairOrderTargets(models.Model):
    """The time targets of an order (R-REP-2), the ones overdue, and the KPIs
    they feed (R-REP-6)."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    # targets (R-REP-2), stored for the KPIs (R-REP-6)
    target_dispatch = fields.Selection(
        TARGET_RESULTS, compute="_compute_targets", store=True, string="Dispatch Target"
    )
    target_on_site = fields.Selection(
        TARGET_RESULTS, compute="_compute_targets", store=True, string="On-site Target"
    )
    target_contact = fields.Selection(
        TARGET_RESULTS, compute="_compute_targets", store=True, string="Contact Target"
    )
    target_arrival = fields.Selection(
        TARGET_RESULTS, compute="_compute_targets", store=True, string="Arrival Target"
    )
    target_plan = fields.Selection(
        TARGET_RESULTS, compute="_compute_targets", store=True, string="Plan Target"
    )
    # R-CLOCK-1: finished by the end of the day due (the intake's, or the
    # appointment's), on the property's wall clock
    target_completion = fields.Selection(
        TARGET_RESULTS,
        compute="_compute_targets",
        store=True,
        string="Completion Target",
        help="Immediate and emergency repairs are finished by the end of the day "
        "they are received, appointments by the end of the appointment's day "
        "(the property's local time), unless the settings allow more days.",
    )
    targets_missed = fields.Boolean(compute="_compute_targets", store=True)
    target_overdue = fields.Boolean(
        compute="_compute_target_overdue",
        search="_search_target_overdue",
    )
    # KPIs (R-REP-6): 100/0 per order measured (``*_measured`` 1); grouped, the sum
    # over the orders measured, "—" when none was (R-RATE-1)
    kpi_timely = fields.Float(
        string="Timeliness (%)",
        compute="_compute_targets",
        store=True,
        aggregator="avg",
    )
    kpi_first_pass = fields.Float(
        string="First-time Pass (%)",
        compute="_compute_kpi_first_pass",
        store=True,
        aggregator="avg",
    )
    kpi_return_visited = fields.Float(
        string="Return Visited (%)",
        compute="_compute_kpi_visits",
        store=True,
        aggregator="avg",
    )
    kpi_satisfaction = fields.Float(
        string="Satisfaction (%)",
        compute="_compute_kpi_visits",
        store=True,
        aggregator="avg",
    )
    kpi_timely_measured = fields.Integer(
        string="Timeliness Measured",
        compute="_compute_targets",
        store=True,
        help="1 when a time target of the order was met or missed.",
    )
    kpi_first_pass_measured = fields.Integer(
        string="First-time Pass Measured",
        compute="_compute_kpi_first_pass",
        store=True,
        help="1 when the owner accepted the order.",
    )
    kpi_return_visited_measured = fields.Integer(
        string="Return Visit Measured",
        compute="_compute_kpi_visits",
        store=True,
        help="1 when a return visit of the order is planned or made.",
    )
    kpi_satisfaction_measured = fields.Integer(
        string="Satisfaction Measured",
        compute="_compute_kpi_visits",
        store=True,
        help="1 when the owner rated the last return visit.",
    )
    work_minutes = fields.Float(
        string="Work Time (min)",
        compute="_compute_work_minutes",
        store=True,
        aggregator="sum",
        help="Minutes from arrival on site to done: the technician's workload.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "urgency",
        "appointment_date",
        "intake_date",
        "dispatch_date",
        "contact_date",
        "arrival_date",
        "diagnosis_date",
        "plan_date",
        "done_date",
        "rework_ids.done_date",
        "property_id.tz",
    )
    def _compute_targets(self):
        params = self._pm_target_params()
        for order in self:
            results = repair_rules.order_targets(
                order.urgency, order._pm_stamps(), params, order._pm_tz()
            )
            for key, fname in TARGET_FIELDS.items():
                order[fname] = results[key] or False
            order.targets_missed = repair_rules.MISSED in results.values()
            timely = repair_rules.timeliness(results)
            order.kpi_timely = timely or 0.0
            order.kpi_timely_measured = int(timely is not None)

    def _compute_target_overdue(self):
        params = self._pm_target_params()
        now = fields.Datetime.now()
        for order in self:
            order.target_overdue = repair_rules.is_overdue(
                order._pm_running_deadlines(params), now
            )

    def _search_target_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Target Overdue."))
        # the SQL twin of repair_rules.pending_deadlines: deadline < now
        params = self._pm_target_params()
        now = fields.Datetime.now()

        def before(key):
            return now - timedelta(minutes=params[key])

        def after(key):
            return now + timedelta(minutes=params[key])

        running = Domain.OR(
            [
                [
                    ("dispatch_date", "=", False),
                    ("urgency", "!=", "emergency"),
                    ("intake_date", "<", before("dispatch")),
                ],
                [
                    ("dispatch_date", "=", False),
                    ("urgency", "=", "emergency"),
                    ("intake_date", "<", before("emergency_dispatch")),
                ],
                [
                    ("urgency", "in", ("emergency", "immediate")),
                    ("arrival_date", "=", False),
                    ("dispatch_date", "<", before("on_site")),
                ],
                [
                    ("urgency", "=", "appointment"),
                    ("contact_date", "=", False),
                    ("appointment_date", "<", after("contact_before")),
                ],
                [
                    ("urgency", "=", "appointment"),
                    ("arrival_date", "=", False),
                    ("appointment_date", "<", after("arrive_early_min")),
                ],
                [
                    ("plan_date", "=", False),
                    ("diagnosis_date", "<", before("plan")),
                ],
            ]
        )
        domain = Domain.OR(
            [
                Domain.AND([[("state", "in", OPEN_STATES)], running]),
                self._pm_completion_overdue_domain(params["completion_days"], now),
            ]
        )
        positive = (operator == "=") == value
        return domain if positive else ~Domain(domain)

    @api.depends("state", "rework_count")
    def _compute_kpi_first_pass(self):
        for order in self:
            passed = order.state in COMPLETED_STATES
            order.kpi_first_pass = 100.0 if passed and not order.rework_count else 0.0
            order.kpi_first_pass_measured = int(passed)

    @api.depends("return_visit_ids.state", "return_visit_ids.satisfaction")
    def _compute_kpi_visits(self):
        for order in self:
            done = order.return_visit_ids.filtered(lambda v: v.state == "done")
            order.kpi_return_visited = 100.0 if done else 0.0
            # planned when the owner accepts the order (a leak's after the rain)
            order.kpi_return_visited_measured = int(
                any(visit.state != "cancelled" for visit in order.return_visit_ids)
            )
            last = done.sorted(lambda v: (v.done_date, v.id))[-1:]
            order.kpi_satisfaction = 100.0 if last.is_satisfied else 0.0
            order.kpi_satisfaction_measured = int(bool(last.satisfaction))

    @api.depends("arrival_date", "done_date")
    def _compute_work_minutes(self):
        for order in self:
            if order.arrival_date and order.done_date:
                order.work_minutes = repair_rules.minutes_between(
                    order.arrival_date, order.done_date
                )
            else:
                order.work_minutes = 0.0

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _pm_completion_overdue_domain(self, days, now):
        """The orders whose completion is overdue at ``now``: the day due is
        over on the wall clock of each property's time zone (the SQL twin of
        repair_rules.completion_deadline)."""
        zones = (
            self.env["pm.property"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([], ["tz"])
        )
        by_zone = []
        for (tz,) in zones:
            before = repair_rules.completion_overdue_before(tz, days, now)
            by_zone.append(
                [
                    ("property_id.tz", "=", tz or False),
                    "|",
                    "&",
                    ("urgency", "!=", "appointment"),
                    ("intake_date", "<", before),
                    "&",
                    ("urgency", "=", "appointment"),
                    ("appointment_date", "<", before),
                ]
            )
        return Domain.AND(
            [
                [("state", "in", COMPLETION_STATES), ("done_date", "=", False)],
                Domain.OR(by_zone),
            ]
        )

    def _pm_tz(self):
        """The time zone of the order's property (its wall clock)."""
        self.ensure_one()
        return self.property_id.sudo().tz or clock.DEFAULT_TZ

    def _pm_running_deadlines(self, params=None):
        """The deadlines of the targets whose clock runs in the order's state:
        every pending one until the work starts, then the completion only until
        the technicians finish (R-REP-2, R-CLOCK-1)."""
        self.ensure_one()
        if self.state not in COMPLETION_STATES:
            return {}
        pending = repair_rules.pending_deadlines(
            self.urgency,
            self._pm_stamps(),
            params or self._pm_target_params(),
            self._pm_tz(),
        )
        if self.state in OPEN_STATES:
            return pending
        return {key: value for key, value in pending.items() if key == "completion"}

    def _pm_stamps(self):
        self.ensure_one()
        # the completion is measured on the first time the technicians
        # finished: a rework round is the first-time pass's and its visit's
        previous = self.rework_ids.filtered("done_date").sorted("round")[:1]
        return {
            "intake": self.intake_date,
            "dispatch": self.dispatch_date,
            "contact": self.contact_date,
            "arrival": self.arrival_date,
            "appointment": self.appointment_date,
            "diagnosis": self.diagnosis_date,
            "plan": self.plan_date,
            "done": previous.done_date or self.done_date,
        }

    @api.model
    def _pm_target_params(self):
        """R-REP-2 thresholds in minutes, and the completion's extra days
        (R-CLOCK-1), from the configuration."""
        return {
            key: settings.get(self.env, f"pm_repair.target_{key}")
            for key in TARGET_PARAMS
        }
