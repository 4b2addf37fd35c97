# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
import hmac as stdlib_hmac
import re
from datetime import timedelta

import psycopg2

from odoo import Command, _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, format_amount

from odoo.addons.pm_base.tools import clock, images, portal_pages, settings
from odoo.addons.pm_base.tools.write_guard import (
    is_trusted,
    workflow_action,
    workflow_writes,
)

from . import repair_rules

URGENCIES = [
    ("emergency", "Emergency"),
    ("immediate", "Immediate"),
    ("appointment", "Appointment"),
]
# where the owner's request came from: the channels of a case (an order made
# from a case carries its channel), and "complaint" of the orders made from a
# case before the channel was carried
SOURCES = [
    ("phone", "Phone Call"),
    ("front_desk", "Front Desk"),
    ("portal", "Portal"),
    ("email", "Email"),
    ("qr_code", "QR Code"),
    ("suggestion_box", "Suggestion Box"),
    ("visit", "Visit"),
    ("patrol", "Patrol"),
    ("head_office", "Forwarded by Head Office"),
    ("complaint", "Complaint"),
]
# R-REP-1..5; the kanban shows one column per state (group_expand), the last ones folded
STATES = [
    ("new", "Received"),
    ("dispatched", "Dispatched"),
    ("taken", "Taken Over"),
    ("on_site", "On Site"),
    ("diagnosed", "Diagnosed"),
    ("quoted", "Quote Sent"),
    ("in_progress", "In Progress"),
    ("done", "Awaiting Acceptance"),
    ("return_visit", "Awaiting Return Visit"),
    ("closed", "Closed"),
    ("warranty", "Sent to Developer"),
    ("cancelled", "Cancelled"),
]
FOLDED_STATES = ("closed", "warranty", "cancelled")
# states of an order that the case it comes from is told about
CASE_NOTIFIED_STATES = ("dispatched", "done", "closed", "warranty", "cancelled")
# what the case an order comes from follows (R-THREAD-1)
THREAD_FIELDS = {
    "state",
    "technician_id",
    "team_id",
    "case_id",
    "appointment_date",
    "appointment_window",
}
# orders the owner accepted: measured for first-time pass and return visits
COMPLETED_STATES = repair_rules.ACCEPTED_STATES
OPEN_STATES = ("new", "dispatched", "taken", "on_site", "diagnosed", "quoted")
# orders a technician still has to work on (least-load dispatch rules)
DISPATCH_OPEN_STATES = repair_rules.WORKING_STATES
TARGET_RESULTS = [("met", "Met"), ("missed", "Missed")]
ACCEPTANCE_RESULTS = [
    ("pass", "Passed"),
    ("fail", "Failed"),
    ("refused", "Refused to Sign"),
]
DISPATCH_METHODS = [
    ("staff", "By Staff"),
    ("rule", "By Dispatch Rule"),
    ("grab", "Grabbed by the Technician"),
]
QUOTE_STATES = [
    ("none", "No Quote"),
    ("sent", "Sent"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
]
# the steps of an order, in the order they must happen (R-REP-2)
STEP_FIELDS = (
    "intake_date",
    "dispatch_date",
    "take_date",
    "arrival_date",
    "diagnosis_date",
    "plan_date",
    "plan_agreed_date",
    "done_date",
    "owner_accept_date",
)
TARGET_FIELDS = {
    "dispatch": "target_dispatch",
    "on_site": "target_on_site",
    "contact": "target_contact",
    "arrival": "target_arrival",
    "plan": "target_plan",
}
# R-REP-2 targets (minutes), each a setting "pm_repair.target_<name>"
TARGET_PARAMS = (
    "dispatch",
    "emergency_dispatch",
    "on_site",
    "contact_before",
    "arrive_early_min",
    "arrive_early_max",
    "plan",
)
ARRIVAL_QR_SCOPE = "pm-repair-arrival"
MANAGER_GROUP = "pm_base.group_pm_manager"
STAFF_GROUP = "pm_base.group_pm_technician"
DESK_GROUP = "pm_base.group_pm_agent"
DISPATCH_ACTIVITY = "pm_repair.mail_activity_type_pm_repair_dispatch"
# how the arrival on site was stamped: only the place's own QR code proves that the
# technician stood there (issue 21)
ARRIVAL_METHODS = [
    ("place_qr", "QR Code at the Place"),
    ("order_qr", "QR Code of the Work Order"),
    ("manual", "Recorded by the Service Centre"),
]
# when an order's work is due, as the technician's list sorts it: today first,
# then what is left over from earlier days, then the days to come
WORK_DAYS = [("today", "Today"), ("earlier", "Earlier"), ("later", "Later")]
CONTROL_CHARS_RE = re.compile(r"[\x00-\x1f\x7f]")
APPOINTMENT_TOLERANCE_MINUTES = 1


class PmRepairOrder(models.Model):
    """Repair work order 维修工单/信息处理单 (R-REP-1..6)."""

    _name = "pm.repair.order"
    _description = "Repair Order"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "pm.property.record.mixin",
        "pm.return.visit.mixin",
        "pm.workflow.guard.mixin",
        "pm.assignment.mixin",
        "pm.rate.mixin",
    ]
    _order = "intake_date desc, id desc"
    _pm_rates = {
        kpi: (f"{kpi}:sum", f"{kpi}_measured:sum")
        for kpi in (
            "kpi_timely",
            "kpi_first_pass",
            "kpi_return_visited",
            "kpi_satisfaction",
        )
    }
    # R-REP-2/4/6: the state, its timestamps and the KPIs they feed are set by the
    # actions only
    _pm_protected_fields = (
        "state",
        "dispatch_date",
        "take_date",
        "contact_date",
        "arrival_date",
        "arrival_method",
        "diagnosis_date",
        "plan_date",
        "plan_agreed_date",
        "done_date",
        # the owner's answers (quote, acceptance, signature) are guarded as such:
        # OWNER_DECISION_FIELDS of pm_repair_order_portal
        "quote_state",
        "quote_sent_date",
        "warranty_notified_date",
        "rework_count",
        "awaiting_rain",
        "rainstorm_id",
        "target_dispatch",
        "target_on_site",
        "target_contact",
        "target_arrival",
        "target_plan",
        "targets_missed",
        "kpi_timely",
        "kpi_first_pass",
        "kpi_return_visited",
        "kpi_satisfaction",
        "kpi_timely_measured",
        "kpi_first_pass_measured",
        "kpi_return_visited_measured",
        "kpi_satisfaction_measured",
        "work_minutes",
        "dispatch_method",
        "dispatch_rule_id",
        "grab_deadline",
    )
    _pm_frozen_states = ("closed",)
    # R-PICK-1: who holds the order; a reassignment moves their open activities
    _pm_assignee_fields = {"technician_id": "", "team_id": "leader_id"}
    # what the owner or the front desk recorded: the technician works on it but
    # does not change it (issue 21)
    _pm_desk_fields = (
        "source",
        "origin",
        "case_id",
        "property_id",
        "location_type",
        "unit_id",
        "common_area_id",
        "location",
        "partner_id",
        "contact_phone",
        "category_id",
        "urgency",
        "description",
        "appointment_date",
        "intake_date",
        "team_id",
        "technician_id",
    )
    _pm_desk_group = DESK_GROUP
    # the team leader dispatches the orders of their team (the queue's activity)
    _pm_leader_fields = frozenset({"technician_id"})

    # identity and origin
    source = fields.Selection(SOURCES, required=True, default="phone", tracking=True)
    origin = fields.Char(
        help="Reference of the complaint or visit this order comes from."
    )
    case_id = fields.Many2one(
        "pm.case",
        index=True,
        tracking=True,
        copy=False,
        domain="[('property_id', '=', property_id)]",
    )
    # where
    property_id = fields.Many2one(
        tracking=True, default=lambda self: self.env.user.pm_property_ids[:1]
    )
    location_type = fields.Selection(
        [("unit", "Owner's Unit"), ("common", "Common Area")],
        required=True,
        default="unit",
        tracking=True,
    )
    unit_id = fields.Many2one(ondelete="restrict", tracking=True)
    common_area_id = fields.Many2one(
        "pm.common.area",
        string="Common Area Point",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        domain="[('property_id', '=', property_id)]",
        help="The common-area point of the fault (e.g. from the case it comes from), "
        "whose QR code the technician scans on arrival.",
    )
    building_id = fields.Many2one(related="unit_id.building_id")
    location = fields.Char(help="Where exactly: the spot in the unit or common area.")
    # who
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index=True,
        tracking=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    contact_phone = fields.Char(
        compute="_compute_contact_phone", store=True, readonly=False, precompute=True
    )
    # what
    category_id = fields.Many2one(
        "pm.repair.category", required=True, ondelete="restrict", tracking=True
    )
    urgency = fields.Selection(
        URGENCIES, required=True, default="immediate", tracking=True, index=True
    )
    description = fields.Text(required=True)
    appointment_date = fields.Datetime(tracking=True, copy=False)
    # the time window the owner booked (the appointment is its start)
    appointment_window = fields.Selection(
        portal_pages.APPOINTMENT_WINDOWS, copy=False, tracking=True
    )
    # stored: the appointment calendar searches its events by start and stop
    appointment_stop = fields.Datetime(
        compute="_compute_appointment_stop", store=True, string="Appointment End"
    )
    # dispatch
    team_id = fields.Many2one(
        "pm.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        domain="[('property_id', '=', property_id)]",
    )
    technician_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain="[('id', 'in', technician_candidate_ids)]",
        help="A technician of the order's team (of the teams of its trade at the "
        "property when the team has nobody).",
    )
    # R-PICK-1: who the picker offers, the same people the checks accept
    technician_candidate_ids = fields.Many2many(
        "res.users",
        string="Technicians Offered",
        compute="_compute_technician_candidate_ids",
        groups=STAFF_GROUP,
    )
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
        help="Received: recorded by the service centre. Dispatched: sent to a "
        "technician. Taken Over: the technician signed for the order. On Site, "
        "Diagnosed: the technician is there and knows the fault. Quote Sent: a paid "
        "repair waits for the owner's acceptance of the fee. In Progress: the plan is "
        "agreed. Awaiting Acceptance: done, the owner checks and signs. Awaiting "
        "Return Visit: accepted, the service centre calls the owner back. Closed: the "
        "owner is satisfied. Sent to Developer: a housing-quality fault under "
        "warranty.",
    )
    # steps (R-REP-2)
    intake_date = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        copy=False,
        index=True,
    )
    dispatch_date = fields.Datetime(string="Dispatched On", copy=False, readonly=True)
    # R-DISPATCH-2: who dispatched, and the grab window (抢单) of a rule
    dispatch_method = fields.Selection(
        DISPATCH_METHODS, string="Dispatched", copy=False, readonly=True
    )
    dispatch_rule_id = fields.Many2one(
        "pm.dispatch.rule", copy=False, readonly=True, ondelete="set null"
    )
    grab_deadline = fields.Datetime(
        string="Open for Grabbing Until",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Technicians of the team may grab the order until then; then the "
        "dispatch rule assigns it.",
    )
    grab_open = fields.Boolean(
        string="Open for Grabbing",
        compute="_compute_grab_open",
        search="_search_grab_open",
    )
    # R-PICK-1: the grab hall lists, and the Grab button shows, what the current
    # user may take (the check of the technician picker)
    can_grab = fields.Boolean(
        string="I May Grab",
        compute="_compute_can_grab",
        search="_search_can_grab",
    )
    take_date = fields.Datetime(string="Taken Over On", copy=False, readonly=True)
    contact_date = fields.Datetime(
        string="Owner Contacted On",
        copy=False,
        readonly=True,
        help="When the technician confirmed the appointment with the owner.",
    )
    arrival_date = fields.Datetime(string="Arrived On", copy=False, readonly=True)
    arrival_method = fields.Selection(
        ARRIVAL_METHODS,
        string="Arrival Stamped By",
        copy=False,
        readonly=True,
        help="Only the QR code printed at the unit or the common-area point proves "
        "that the technician was there.",
    )
    diagnosis_date = fields.Datetime(string="Diagnosed On", copy=False, readonly=True)
    plan_date = fields.Datetime(string="Plan Proposed On", copy=False, readonly=True)
    plan_agreed_date = fields.Datetime(
        string="Plan Agreed On", copy=False, readonly=True
    )
    done_date = fields.Datetime(string="Done On", copy=False, readonly=True)
    owner_accept_date = fields.Datetime(
        string="Accepted by Owner On", copy=False, readonly=True
    )
    diagnosis = fields.Text(copy=False)
    plan = fields.Text(
        copy=False,
        help="Agreed with the owner: working time, impact, protection, cooperation "
        "needed and charges.",
    )
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
    targets_missed = fields.Boolean(compute="_compute_targets", store=True)
    target_overdue = fields.Boolean(
        compute="_compute_target_overdue",
        search="_search_target_overdue",
    )
    # fees (R-REP-3)
    is_paid = fields.Boolean(
        string="Paid Service", compute="_compute_is_paid", store=True, index=True
    )
    line_ids = fields.One2many(
        "pm.repair.order.line", "order_id", string="Fees and Materials", copy=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        string="Total Fee", compute="_compute_amount_total", store=True
    )
    quote_state = fields.Selection(
        QUOTE_STATES,
        default="none",
        required=True,
        copy=False,
        tracking=True,
        readonly=True,
    )
    quote_sent_date = fields.Datetime(copy=False, readonly=True)
    quote_accepted_date = fields.Datetime(copy=False, readonly=True)
    quote_amount_accepted = fields.Monetary(
        string="Accepted Fee", copy=False, readonly=True
    )
    # photos before and after the work, from the technician's or the owner's
    # phone (R-REP-4); checked images only
    photo_before_ids = fields.Many2many(
        "ir.attachment",
        "pm_repair_order_photo_before_rel",
        "order_id",
        "attachment_id",
        string="Photos Before",
        copy=False,
    )
    photo_after_ids = fields.Many2many(
        "ir.attachment",
        "pm_repair_order_photo_after_rel",
        "order_id",
        "attachment_id",
        string="Photos After",
        copy=False,
    )
    # warranty (R-VALID-1)
    is_quality_fault = fields.Boolean(
        string="Housing-quality Fault",
        tracking=True,
        help="A construction defect (not wear or misuse): under warranty it is the "
        "developer's or contractor's to repair.",
    )
    warranty_end_date = fields.Date(compute="_compute_warranty", store=True)
    under_warranty = fields.Boolean(compute="_compute_warranty", store=True)
    warranty_partner_id = fields.Many2one(
        "res.partner",
        string="Developer / Contractor",
        compute="_compute_warranty",
        store=True,
        readonly=False,
    )
    warranty_notified_date = fields.Datetime(copy=False, readonly=True)
    # owner acceptance (R-REP-4)
    acceptance_result = fields.Selection(
        ACCEPTANCE_RESULTS, copy=False, tracking=True, readonly=True
    )
    signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_partner_id = fields.Many2one(
        "res.partner", string="Signed by Owner", copy=False
    )
    signed_on = fields.Datetime(copy=False, readonly=True)
    acceptance_note = fields.Text(
        copy=False, help="Owner's opinion; the reason when the acceptance fails."
    )
    witness_name = fields.Char(
        copy=False, help="Who witnessed the owner's refusal to sign."
    )
    rework_count = fields.Integer(
        string="Rework Rounds", readonly=True, copy=False, aggregator="sum"
    )
    rework_ids = fields.One2many(
        "pm.repair.rework", "order_id", string="Rework History", readonly=True
    )
    # return visits (R-REP-RV)
    awaiting_rain = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A leak repair whose return visit waits for the next heavy rainstorm.",
    )
    rainstorm_id = fields.Many2one("pm.rainstorm", readonly=True, copy=False)
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
    color = fields.Integer()
    # the technician's phone (issue 21): the day and local time of the work,
    # and whether the user may change what the owner or the desk recorded
    work_day = fields.Selection(
        WORK_DAYS,
        string="Day",
        compute="_compute_work_day",
        search="_search_work_day",
        help="When the work is due in the property's time zone: the appointment, "
        "or the time the order was received.",
    )
    work_time_local = fields.Char(
        string="Due", compute="_compute_work_day", help="In the property's time zone."
    )
    can_edit_intake = fields.Boolean(compute="_compute_can_edit_intake")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("unit_id", "location_type")
    def _compute_partner_id(self):
        for order in self:
            if order.location_type == "unit" and order.unit_id:
                if order.partner_id not in order.unit_id.owner_ids:
                    order.partner_id = order.unit_id.owner_ids[:1]
            elif not order.partner_id:
                order.partner_id = False

    @api.depends("partner_id")
    def _compute_contact_phone(self):
        for order in self:
            order.contact_phone = order.partner_id.mobile or order.partner_id.phone

    @api.depends("appointment_date", "appointment_window")
    def _compute_appointment_stop(self):
        for order in self:
            # a booked window ends with it; a time set by phone lasts an hour
            start_hour, stop_hour = portal_pages.WINDOW_HOURS.get(
                order.appointment_window, (0, 1)
            )
            order.appointment_stop = order.appointment_date and fields.Datetime.add(
                order.appointment_date, hours=stop_hour - start_hour
            )

    @api.depends("property_id", "category_id")
    def _compute_team_id(self):
        for order in self:
            if not order.property_id or not order.category_id:
                continue
            if (
                order.team_id.property_id == order.property_id
                and order.team_id.team_type == order.category_id.team_type
            ):
                continue
            order.team_id = self.env["pm.team"].search(
                [
                    ("property_id", "=", order.property_id.id),
                    ("team_type", "=", order.category_id.team_type),
                ],
                limit=1,
            )

    @api.depends(
        "team_id.member_ids",
        "team_id.leader_id",
        "property_id",
        "category_id.team_type",
    )
    def _compute_technician_candidate_ids(self):
        for order in self:
            order.technician_candidate_ids = order._pm_allowed_technicians()

    @api.depends(
        "urgency",
        "appointment_date",
        "intake_date",
        "dispatch_date",
        "contact_date",
        "arrival_date",
        "diagnosis_date",
        "plan_date",
    )
    def _compute_targets(self):
        params = self._pm_target_params()
        for order in self:
            results = repair_rules.order_targets(
                order.urgency, order._pm_stamps(), params
            )
            for key, fname in TARGET_FIELDS.items():
                order[fname] = results[key] or False
            order.targets_missed = repair_rules.MISSED in results.values()
            timely = repair_rules.timeliness(results)
            order.kpi_timely = timely or 0.0
            order.kpi_timely_measured = int(timely is not None)

    def _pm_work_time(self):
        """When the work is due: the appointment, else when it was received."""
        self.ensure_one()
        if self.urgency == "appointment" and self.appointment_date:
            return self.appointment_date
        return self.intake_date

    @api.depends(
        "urgency", "appointment_date", "intake_date", "property_id.tz", "state"
    )
    def _compute_work_day(self):
        now = fields.Datetime.now()
        for order in self:
            due = order._pm_work_time()
            if not due:
                order.work_day = False
                order.work_time_local = False
                continue
            tz = order.property_id.sudo().tz
            today = clock.local_today(tz, now)
            local_due = clock.local_time(due, tz)
            order.work_day = repair_rules.work_day(local_due.date(), today)
            order.work_time_local = repair_rules.work_time_label(local_due, today)

    def _search_work_day(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on Day."))
        values = [value] if isinstance(value, str) else list(value or [])
        sql = SQL(
            "(SELECT o.id FROM pm_repair_order o WHERE %s IN %s)",
            self._pm_work_day_sql("o"),
            tuple(values) or ("",),
        )
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", sql)]

    @api.model
    def _pm_work_time_sql(self, alias):
        """SQL twin of ``_pm_work_time``."""
        return SQL(
            "CASE WHEN %(urgency)s = 'appointment' AND %(appointment)s IS NOT NULL "
            "THEN %(appointment)s ELSE %(intake)s END",
            urgency=SQL.identifier(alias, "urgency"),
            appointment=SQL.identifier(alias, "appointment_date"),
            intake=SQL.identifier(alias, "intake_date"),
        )

    @api.model
    def _pm_work_day_sql(self, alias):
        """SQL twin of ``_compute_work_day``: 'today', 'earlier' or 'later',
        compared on the property's wall clock (R-TZ-1)."""
        zone = SQL(
            "COALESCE((SELECT tz FROM pm_property WHERE id = %s), %s)",
            SQL.identifier(alias, "property_id"),
            clock.DEFAULT_TZ,
        )
        day = SQL(
            "((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            self._pm_work_time_sql(alias),
            zone,
        )
        today = SQL(
            "((%s::timestamp AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            fields.Datetime.now(),
            zone,
        )
        return SQL(
            "CASE WHEN %(day)s = %(today)s THEN 'today' "
            "WHEN %(day)s < %(today)s THEN 'earlier' ELSE 'later' END",
            day=day,
            today=today,
        )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """The technician's list sorts by ``work_day`` (today, earlier, later)
        and the time the work is due, both computed on the fly."""
        if field_name == "work_day":
            rank = SQL(
                "CASE %s WHEN 'today' THEN 0 WHEN 'earlier' THEN 1 ELSE 2 END",
                self._pm_work_day_sql(alias),
            )
            return SQL("%s %s %s", rank, direction, nulls)
        if field_name == "work_time_local":
            due = self._pm_work_time_sql(alias)
            return SQL("%s %s %s", due, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.depends_context("uid")
    def _compute_can_edit_intake(self):
        can = self.env.user.has_group(DESK_GROUP)
        for order in self:
            order.can_edit_intake = can

    def _compute_target_overdue(self):
        params = self._pm_target_params()
        now = fields.Datetime.now()
        for order in self:
            order.target_overdue = order.state in OPEN_STATES and (
                repair_rules.is_overdue(order.urgency, order._pm_stamps(), params, now)
            )

    @api.depends("state", "technician_id", "grab_deadline")
    @api.depends_context("uid")
    def _compute_grab_open(self):
        now = fields.Datetime.now()
        for order in self:
            order.grab_open = bool(
                order.state == "new"
                and not order.technician_id
                and order.grab_deadline
                and order.grab_deadline > now
            )

    def _search_grab_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Open for Grabbing."))
        domain = [
            ("state", "=", "new"),
            ("technician_id", "=", False),
            ("grab_deadline", ">", fields.Datetime.now()),
        ]
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("grab_open", "team_id.member_ids", "team_id.leader_id")
    @api.depends_context("uid")
    def _compute_can_grab(self):
        user = self.env.user
        for order in self:
            order.can_grab = order.grab_open and order._pm_may_be_technician(user)

    def _search_can_grab(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on I May Grab."))
        # few orders are open at a time (a window of minutes): the check runs
        # on them, the same as the Grab button's
        user = self.env.user
        open_orders = self.sudo().search([("grab_open", "=", True)])
        ids = [o.id for o in open_orders if o._pm_may_be_technician(user)]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

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

        running = expression.OR(
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
        domain = expression.AND([[("state", "in", OPEN_STATES)], running])
        positive = (operator == "=") == value
        return domain if positive else ["!", *expression.normalize_domain(domain)]

    @api.depends("location_type", "category_id.paid_in_unit", "under_warranty")
    def _compute_is_paid(self):
        for order in self:
            order.is_paid = repair_rules.is_paid(
                order.location_type == "common",
                order.category_id.paid_in_unit,
                order.under_warranty,
            )

    @api.depends("line_ids.subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("subtotal"))

    @api.depends(
        "is_quality_fault",
        "intake_date",
        "unit_id.warranty_end_date",
        "unit_id.building_id.warranty_end_date",
        "unit_id.building_id.developer_id",
    )
    def _compute_warranty(self):
        for order in self:
            building = order.unit_id.building_id
            end = order.unit_id.warranty_end_date or building.warranty_end_date
            order.warranty_end_date = end
            order.under_warranty = repair_rules.under_warranty(
                order.is_quality_fault,
                # R-TZ-1: the day the fault was reported, at the property
                order.intake_date and order._pm_local_date(order.intake_date),
                end,
            )
            if order.under_warranty and not order.warranty_partner_id:
                order.warranty_partner_id = building.developer_id

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

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/repairs/{order.id}"
        return res

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(*STEP_FIELDS)
    def _check_step_dates(self):
        for order in self:
            previous = None
            for fname in STEP_FIELDS:
                value = order[fname]
                if not value:
                    continue
                if previous and value < order[previous]:
                    raise ValidationError(
                        _(
                            "Order %(order)s: %(step)s (%(date)s) cannot be before "
                            "%(previous)s (%(previous_date)s).",
                            order=order.name,
                            step=order._fields[fname]._description_string(self.env),
                            date=value,
                            previous=order._fields[previous]._description_string(
                                self.env
                            ),
                            previous_date=order[previous],
                        )
                    )
                previous = fname

    @api.constrains("urgency", "appointment_date", "intake_date")
    def _check_appointment_date(self):
        tolerance = fields.Datetime.subtract(
            fields.Datetime.now(), minutes=APPOINTMENT_TOLERANCE_MINUTES
        )
        for order in self:
            if order.urgency == "appointment" and not order.appointment_date:
                raise ValidationError(
                    _(
                        "Order %s is an appointment: set the appointment time.",
                        order.name,
                    )
                )
            if not order.appointment_date:
                continue
            # never before the call that booked it; still to come while not on site
            limit = order.intake_date
            if order.state in OPEN_STATES and not order.arrival_date:
                limit = max(limit, tolerance)
            if order.appointment_date < limit:
                raise ValidationError(
                    _(
                        "The appointment of order %(order)s (%(date)s) is in the past.",
                        order=order.name,
                        date=order.appointment_date,
                    )
                )

    @api.constrains(
        "location_type", "unit_id", "location", "property_id", "common_area_id"
    )
    def _check_location(self):
        for order in self:
            if order.location_type == "unit" and not order.unit_id:
                raise ValidationError(
                    _("Order %s is in an owner's unit: choose the unit.", order.name)
                )
            if order.location_type == "common" and not (
                order.location or order.common_area_id
            ):
                raise ValidationError(
                    _(
                        "Order %s is in a common area: describe the location.",
                        order.name,
                    )
                )
            area = order.common_area_id
            if area and (
                order.location_type != "common" or area.property_id != order.property_id
            ):
                raise ValidationError(
                    _(
                        "Order %(order)s: common area %(area)s is not a common area "
                        "of property %(property)s.",
                        order=order.name,
                        area=area.display_name,
                        property=order.property_id.display_name,
                    )
                )

    @api.constrains("photo_before_ids", "photo_after_ids")
    def _check_photos(self):
        """Photos are real images of bounded size, checked (and large ones
        downscaled) the way every owner upload is."""
        for order in self:
            for attachment in (order.photo_before_ids | order.photo_after_ids).sudo():
                raw = attachment.raw or b""
                data, mimetype = images.check_image(self.env, raw, attachment.name)
                if data is not raw or attachment.mimetype != mimetype:
                    attachment.write({"raw": data, "mimetype": mimetype})

    @api.constrains("technician_id", "team_id")
    def _check_technician(self):
        """R-PICK-1: the technician of an order is one of its team's."""
        for order in self.filtered("technician_id"):
            order._pm_check_technician(order.technician_id)

    @api.onchange("team_id", "category_id", "property_id")
    def _onchange_team_technician(self):
        # the picker offers the new team's technicians: drop one who is not
        if self.technician_id and not self._pm_may_be_technician(self.technician_id):
            self.technician_id = False

    @api.constrains("signed_partner_id", "partner_id", "unit_id")
    def _check_signed_partner(self):
        for order in self:
            signer = order.signed_partner_id
            if signer and signer not in order._pm_allowed_signers():
                raise ValidationError(
                    _(
                        "%(signer)s is not the owner of order %(order)s and cannot "
                        "sign its acceptance.",
                        signer=signer.display_name,
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_trusted(self.env):
            # the caller's values are checked before the dispatch rules add
            # theirs: a rule's assignment is the system's doing, whoever records
            # the order (the front desk on the phone included)
            self = self._pm_guard_create(vals_list)
        # R-DISPATCH-2: a new order without a technician gets the team and the
        # technician of the first matching rule; the Dispatch button still sends it
        rules = [self._pm_dispatch_by_rule(vals) for vals in vals_list]
        with workflow_writes():
            orders = super().create(vals_list)
        self.env["pm.dispatch.rule"]._pm_note_dispatched(orders, rules)
        # R-DISPATCH-2: what a rule assigned is dispatched at once, so that the
        # dispatch target is measured on every order; an order open for grabbing
        # is assigned by the grab cron when its window closes
        by_rule = orders.filtered(
            lambda o: o.dispatch_rule_id and o.technician_id and o.state == "new"
        )
        by_rule.sudo()._pm_dispatch("rule")
        # R-PICK-1: an owner's order that nobody dispatched, nor may grab, is
        # never forgotten (staff recording an order dispatch it themselves)
        from_owner = not self.env.user._is_internal()
        orders.filtered(
            lambda o: (from_owner or o.source == "portal")
            and o.state == "new"
            and not o.technician_id
            and not o.grab_deadline
        )._pm_queue_for_dispatch()
        deadlines = orders.filtered("grab_deadline").mapped("grab_deadline")
        if deadlines:
            self.env.ref("pm_repair.ir_cron_pm_repair_grab")._trigger(min(deadlines))
        threaded = orders.filtered("case_id")
        for order in threaded:
            order.case_id.message_post(
                body=_(
                    "Repair order %s created from this case.", order._get_html_link()
                ),
                subtype_xmlid="mail.mt_note",
            )
        threaded._pm_carry_case_photos()
        threaded.case_id._pm_follow_orders()
        return orders

    def write(self, vals):
        followed = THREAD_FIELDS & set(vals)
        cases = self.case_id if followed else None
        res = super().write(vals)
        if followed:
            # R-THREAD-1: the case follows its orders (a case an order left
            # follows the ones it keeps)
            (cases | self.case_id)._pm_follow_orders()
        if vals.get("state") in CASE_NOTIFIED_STATES:
            field = self._fields["state"]
            for order in self.filtered("case_id"):
                # the case follows its repair's progress (issue 6, item 7); its
                # note is written once for all its readers: in the company's
                # language, the state by its label, never its key
                case = order.case_id
                env = case.with_context(
                    lang=case.company_id.partner_id.lang or self.env.lang
                ).env
                label = dict(field._description_selection(env))[vals["state"]]
                case.message_post(
                    body=env._(
                        "Repair order %(order)s: %(state)s.",
                        order=order._get_html_link(),
                        state=label,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res

    @api.model
    def _pm_dispatch_by_rule(self, vals):
        Rule = self.env["pm.dispatch.rule"]
        if vals.get("technician_id") or not vals.get("property_id"):
            return Rule
        unit = self.env["pm.unit"].sudo().browse(vals.get("unit_id"))
        values = {
            "property_id": vals["property_id"],
            "building_id": unit.building_id.id,
            "category_id": vals.get("category_id"),
        }
        return Rule._pm_dispatch_vals(
            "repair",
            self._name,
            vals,
            values,
            vals.get("description"),
            "technician_id",
        )

    @api.model
    def _pm_dispatch_loads(self, users):
        """{user id: open orders of the technician}"""
        return {
            user.id: count
            for user, count in self.sudo()._read_group(
                [
                    ("technician_id", "in", users.ids),
                    ("state", "in", DISPATCH_OPEN_STATES),
                ],
                ["technician_id"],
                ["__count"],
            )
        }

    def _pm_retention_kept(self):
        return self.filtered(lambda o: o.state not in ("new", "cancelled"))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_dispatch(self):
        """Send the order to its technician (R-REP-2: within 2 minutes of intake),
        one of its team's (R-PICK-1)."""
        for order in self:
            order._pm_first_missing(
                ("new",),
                "technician_id",
                _(
                    "choose one of the technicians of %s, then press Dispatch",
                    order.sudo().team_id.display_name or _("its trade"),
                ),
            )
            order._pm_check_technician(order.technician_id)
        self._pm_dispatch("staff")
        # only staff dispatch an order of the queue: neither a rule nor the
        # grab hall takes one (it was open for grabbing or never queued)
        self._pm_leave_dispatch_queue()
        return True

    @workflow_action
    def _pm_dispatch(self, method):
        """Dispatch to the chosen technicians: state, stamp, follower, activity."""
        self.write(
            {
                "state": "dispatched",
                "dispatch_date": fields.Datetime.now(),
                "dispatch_method": method,
                "grab_deadline": False,
            }
        )
        for order in self:
            order.message_subscribe(partner_ids=order.technician_id.partner_id.ids)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order.technician_id.id,
                summary=_("Repair %s", order.name),
                note=order.description,
            )
        return True

    @workflow_action
    def action_grab(self):
        """A technician of the order's team grabs it (抢单) while its grab window
        is open: the order is dispatched to them and taken over at once. The row
        lock makes two technicians grabbing at the same moment get one winner."""
        self.ensure_one()
        user = self.env.user
        team = self.sudo().team_id
        if not self._pm_may_be_technician(user):
            raise UserError(
                _(
                    "Only the technicians of team %(team)s may grab order %(order)s.",
                    team=team.display_name,
                    order=self.name,
                )
            )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM pm_repair_order WHERE id = %s FOR UPDATE NOWAIT",
                    (self.id,),
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _("Another technician is grabbing order %s.", self.name)
            ) from None
        self.invalidate_recordset()
        if not self.grab_open:
            raise UserError(_("Order %s is no longer open for grabbing.", self.name))
        now = fields.Datetime.now()
        self.write(
            {
                "technician_id": user.id,
                "state": "taken",
                "dispatch_date": now,
                "take_date": now,
                "dispatch_method": "grab",
                "grab_deadline": False,
            }
        )
        self.message_subscribe(partner_ids=user.partner_id.ids)
        return True

    @api.model
    def _cron_pm_grab(self, batch_size=200):
        """R-DISPATCH-2: orders nobody grabbed in their window go to the member
        their rule picks (the team leader when it has no member)."""
        now = fields.Datetime.now()
        orders = self.search(
            [
                ("grab_deadline", "<=", now),
                ("state", "=", "new"),
                ("technician_id", "=", False),
            ],
            order="grab_deadline, id",
            limit=batch_size,
        )
        if not orders:
            return True
        # a technician grabbing one of them right now keeps it
        self.env.cr.execute(
            "SELECT id FROM pm_repair_order WHERE id IN %s AND technician_id IS NULL "
            "FOR UPDATE SKIP LOCKED",
            (tuple(orders.ids),),
        )
        free = self.browse([row[0] for row in self.env.cr.fetchall()])
        free.invalidate_recordset()
        with workflow_writes():
            for order in free:
                rule = order.dispatch_rule_id
                # the rule picks in its team, still the order's unless staff
                # changed it; otherwise the team leader
                user = (
                    rule._pm_pick_user(self._name)
                    if rule and rule.team_id == order.team_id
                    else None
                )
                user = user or order.team_id.leader_id
                if user and order._pm_may_be_technician(user):
                    order.technician_id = user
                    order._pm_dispatch("rule")
                else:
                    order.grab_deadline = False
                    order.message_post(
                        body=_(
                            "Nobody grabbed this order and its team has no member "
                            "to assign it to: dispatch it by hand."
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    order._pm_queue_for_dispatch()
        if len(orders) == batch_size:
            self.env.ref("pm_repair.ir_cron_pm_repair_grab")._trigger()
        return True

    @workflow_action
    def action_take(self):
        self._pm_check_state(("dispatched",))
        self.write({"state": "taken", "take_date": fields.Datetime.now()})
        return True

    @workflow_action
    def action_contact_owner(self):
        """The technician confirmed the appointment with the owner (R-REP-2)."""
        for order in self:
            order._pm_check_state(("new", "dispatched", "taken"))
            if order.urgency != "appointment":
                raise UserError(_("Order %s has no appointment.", order.name))
        self.write({"contact_date": fields.Datetime.now()})
        return True

    def action_arrive(self):
        """The service centre records an arrival it could not get scanned (a
        torn code, a phone without signal): the technician stamps it by scanning
        the QR code at the place; a recorded arrival says so (issue 21)."""
        user = self.env.user
        for order in self:
            leader = order.sudo().team_id.leader_id
            if not (user.has_group(DESK_GROUP) or user == leader):
                raise AccessError(
                    _(
                        "Scan the QR code at the unit or the common-area point to "
                        "stamp your arrival at order %s; the service centre records "
                        "it by hand only when the code cannot be scanned.",
                        order.name,
                    )
                )
        return self._pm_arrive("manual")

    def _pm_may_change_desk_fields(self, names):
        user = self.env.user
        return super()._pm_may_change_desk_fields(names) or (
            names <= self._pm_leader_fields
            and all(user == order.sudo().team_id.leader_id for order in self)
        )

    @workflow_action
    def _pm_arrive(self, method):
        """Stamp the arrival on site (R-REP-2), saying how it was proven."""
        self._pm_check_state(("dispatched", "taken"))
        self.write(
            {
                "state": "on_site",
                "arrival_date": fields.Datetime.now(),
                "arrival_method": method,
            }
        )
        return True

    def _pm_scan_arrival(self):
        """R-REP-2: the technician scans the printed order's QR code on arrival,
        logged in on the phone: the on-site time of the target is stamped once;
        only the assigned technician, the team leader or a manager stamps.

        :return: ``stamped``, or ``already`` when the order was stamped before
            (the stamp never moves)
        :raise AccessError: another user
        :raise UserError: the order is not waiting for its technician
        """
        self.ensure_one()
        user = self.env.user
        order = self.sudo()
        if user not in (order.technician_id | order.team_id.leader_id) and not (
            user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(
                _(
                    "Only the technician of order %(order)s (%(technician)s) or a "
                    "manager can stamp the arrival.",
                    order=order.name,
                    technician=order.technician_id.name or "—",
                )
            )
        if order.arrival_date:
            return "already"
        self._pm_arrive("order_qr")
        return "stamped"

    @api.model
    def _pm_place_domain(self, place):
        """Orders at a unit or a common-area point (a ``pm.location.qr.mixin``)."""
        if place._name == "pm.unit":
            return [("location_type", "=", "unit"), ("unit_id", "=", place.id)]
        return [("location_type", "=", "common"), ("common_area_id", "=", place.id)]

    @api.model
    def _pm_arrive_at_place(self, place):
        """The technician scanned the QR code printed at a unit or a common-area
        point (the building's QR sheet): their open orders there that are due
        today (or have no appointment) get their arrival stamped, proven by the
        place itself (R-REP-2, issue 21).

        :return: ``(stamped, waiting)``: the orders stamped now, and the user's
            other open orders at the place (already on site, or booked for
            another day)
        """
        user = self.env.user
        orders = self.sudo().search(
            [
                *self._pm_place_domain(place),
                ("technician_id", "=", user.id),
                ("state", "in", ("dispatched", "taken", "on_site")),
            ],
            order="appointment_date, intake_date, id",
        )
        # the day depends on the clock, not only on the order: never a cached one
        orders.invalidate_recordset(["work_day", "work_time_local"])
        due = orders.filtered(
            lambda o: o.state != "on_site"
            and (o.urgency != "appointment" or o.work_day != "later")
        )
        if due:
            due.with_user(user)._pm_arrive("place_qr")
        return due, orders - due

    @workflow_action
    def action_diagnose(self):
        self._pm_first_missing(
            ("on_site",),
            "diagnosis",
            _("write what the fault is, then press Diagnosed"),
        )
        self.write({"state": "diagnosed", "diagnosis_date": fields.Datetime.now()})
        return True

    @workflow_action
    def action_propose_plan(self):
        """Record the plan (R-REP-2: within 3 minutes of the diagnosis); a paid repair
        then waits for the owner's acceptance of the quote (R-REP-3)."""
        self._pm_first_missing(
            ("diagnosed",),
            "plan",
            _(
                "write the working time, impact, protection, cooperation needed and "
                "charges agreed with the owner, then press Propose Plan"
            ),
        )
        now = fields.Datetime.now()
        self.write({"plan_date": now})
        charged = self.filtered(lambda o: o.is_paid and o.amount_total)
        (self - charged).write({"state": "in_progress", "plan_agreed_date": now})
        charged.action_send_quote()
        return True

    @workflow_action
    def action_send_quote(self):
        """Send the fee quote to the owner (R-REP-3)."""
        template = self.env.ref("pm_repair.mail_template_repair_quote")
        for order in self:
            order._pm_check_state(("diagnosed", "quoted", "in_progress"))
            if not order.is_paid or not order.amount_total:
                raise UserError(_("Order %s has no fee to quote.", order.name))
            if not order.partner_id:
                raise UserError(_("Order %s has no owner to quote.", order.name))
        self.write(
            {
                "state": "quoted",
                "quote_state": "sent",
                "quote_sent_date": fields.Datetime.now(),
            }
        )
        for order in self:
            # the email links to the order's page, where the owner answers; the
            # page's messages show it too (a comment, not a system notification)
            order._portal_ensure_token()
            order.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    @workflow_action
    def _pm_accept_quote(self):
        """The owner accepted the quote: the plan is agreed and work may start."""
        self._pm_check_state(("quoted",))
        now = fields.Datetime.now()
        for order in self:
            order.write(
                {
                    "state": "in_progress",
                    "quote_state": "accepted",
                    "quote_accepted_date": now,
                    "quote_amount_accepted": order.amount_total,
                    "plan_agreed_date": order.plan_agreed_date or now,
                }
            )
        return True

    @workflow_action
    def _pm_refuse_quote(self):
        """The owner refused the fee: nothing is done, nothing is charged."""
        self._pm_check_state(("quoted",))
        self.write({"state": "cancelled", "quote_state": "refused"})
        return True

    @workflow_action
    def action_done(self):
        """The technician finished; the owner is asked to accept (R-REP-4)."""
        for order in self:
            order._pm_check_state(("in_progress",))
            order._pm_check_fee_accepted()
            if order.category_id.require_after_photo and not order.photo_after_ids:
                raise UserError(
                    _(
                        "Order %(order)s: a %(category)s repair is completed with a "
                        "photo after the work. Add it under Photos.",
                        order=order.name,
                        category=order.category_id.name,
                    )
                )
        self.write({"state": "done", "done_date": fields.Datetime.now()})
        return True

    @workflow_action
    def _pm_acceptance_pass(self):
        """The owner accepted the repair and signed (R-REP-4)."""
        for order in self:
            order._pm_check_state(("done",))
            if not order.signature or not order.signed_by:
                raise UserError(
                    _(
                        "Order %s: the owner's signature and name are needed; if the "
                        "owner refuses to sign, record the refusal with a witness.",
                        order.name,
                    )
                )
            if order.location_type == "unit" and not order.signed_partner_id:
                raise UserError(_("Order %s: choose the owner who signed.", order.name))
        now = fields.Datetime.now()
        self.write(
            {"acceptance_result": "pass", "signed_on": now, "owner_accept_date": now}
        )
        # planned before the state moves: the case that follows the order sees
        # them when it resolves (R-THREAD-1)
        self._pm_plan_return_visits()
        self.write({"state": "return_visit"})
        return True

    @workflow_action
    def _pm_acceptance_refused(self):
        """The owner refused to sign although the repair is done; a witness records
        it, as the industry does (R-REP-4)."""
        self._pm_first_missing(
            ("done",),
            "witness_name",
            _("write who witnessed the refusal to sign"),
        )
        self.write(
            {"acceptance_result": "refused", "owner_accept_date": fields.Datetime.now()}
        )
        self._pm_plan_return_visits()
        self.write({"state": "return_visit"})
        return True

    @workflow_action
    def _pm_acceptance_fail(self):
        """The owner did not accept the repair: rework round (返修, R-REP-4)."""
        self._pm_first_missing(
            ("done",), "acceptance_note", _("write why the owner did not accept")
        )
        self._pm_start_rework("acceptance")
        return True

    @workflow_action
    def action_route_to_developer(self):
        """R-VALID-1: a housing-quality fault under warranty goes to the developer
        or contractor; nothing is charged."""
        template = self.env.ref("pm_repair.mail_template_repair_warranty")
        for order in self:
            order._pm_check_state(OPEN_STATES)
            if not order.under_warranty:
                raise UserError(
                    _(
                        "Order %s is not a housing-quality fault under warranty.",
                        order.name,
                    )
                )
            if not order.warranty_partner_id:
                raise UserError(
                    _("Order %s: set the developer or contractor.", order.name)
                )
        self.write(
            {"state": "warranty", "warranty_notified_date": fields.Datetime.now()}
        )
        for order in self:
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        return True

    @workflow_action
    def action_cancel(self):
        self._pm_check_state((*OPEN_STATES, "in_progress"))
        self.write({"state": "cancelled"})
        self.activity_unlink([DISPATCH_ACTIVITY])
        return True

    @workflow_action
    def action_reset(self):
        self._pm_check_state(("cancelled",))
        self.write({"state": "new", "quote_state": "none"})
        return True

    # ------------------------------------------------------------
    # RETURN VISITS (R-REP-RV, R-REP-5)
    # ------------------------------------------------------------

    def _pm_return_visit_briefs(self):
        return {
            order.id: (
                " · ".join(
                    part for part in (order.category_id.name, order.description) if part
                ),
                order.contact_phone,
            )
            for order in self
        }

    @workflow_action
    def _pm_plan_return_visits(self):
        """Plan the return visit of accepted orders by the rule of their kind.

        Rework → the engineering supervisor in person within N days; otherwise the
        category: N days after completion, or after the next heavy rainstorm (the
        order waits for a ``pm.rainstorm`` record).
        """
        rework_days = self._pm_rework_visit_days()
        for order in self:
            done_day = order._pm_local_date(order.owner_accept_date)
            category = order.category_id
            if order.rework_count:
                order._pm_create_return_visit(
                    method="door",
                    # the owner's own acceptance runs as the owner: never a visitor
                    visitor_id=(
                        order.team_id.leader_id
                        or self.env.user.filtered(lambda u: not u.share)
                        or order.technician_id
                    ).id,
                    due_date=repair_rules.return_visit_due(done_day, rework_days),
                )
            elif category.return_visit_rule == "after_rainstorm":
                order.awaiting_rain = True
            else:
                order._pm_create_return_visit(
                    method=category.return_visit_method,
                    # accepted by the owner on the portal: the visit is the
                    # front desk's who recorded the order, never the owner's
                    visitor_id=(
                        self.env.user.filtered(lambda u: not u.share)
                        or order.create_uid.filtered(lambda u: not u.share)
                    ).id,
                    due_date=repair_rules.return_visit_due(
                        done_day, category.return_visit_delay_days
                    ),
                )

    def _pm_awaits_return_visit(self, visit):
        """R-REP-5: satisfied → closed; dissatisfied → reopened for rework."""
        return self.state == "return_visit"

    def _pm_return_visit_satisfied(self, visit):
        if not self.return_visit_ids.filtered(lambda v: v.state == "planned"):
            self.state = "closed"

    def _pm_return_visit_dissatisfied(self, visit):
        self._pm_start_rework("return_visit", visit=visit)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES]

    def _pm_check_state(self, states):
        for order in self:
            if order.state not in states:
                raise UserError(
                    _(
                        "Order %(order)s is %(state)s: this step is not possible now.",
                        order=order.name,
                        state=dict(
                            order._fields["state"]._description_selection(self.env)
                        )[order.state],
                    )
                )

    def _pm_first_missing(self, states, field_name, todo=None):
        """Check the orders one by one: each is in one of ``states``
        (``_pm_check_state``) and has ``field_name`` filled in. The first order
        without it stops the check: with ``todo`` (what the user does about it),
        a translated error names the order, the missing field and ``todo``;
        without, the order is returned for the caller. An empty recordset when
        every order has it."""
        for order in self:
            order._pm_check_state(states)
            if order[field_name]:
                continue
            if todo:
                raise UserError(
                    _(
                        "Order %(order)s has no %(field)s yet: %(todo)s.",
                        order=order.name,
                        field=order._fields[field_name]._description_string(self.env),
                        todo=todo,
                    )
                )
            return order
        return self.browse()

    def _pm_allowed_technicians(self):
        """R-PICK-1: who may be the technician of the order: the active staff of
        its team (members and leader); when the team has nobody, or the order
        no team, those of the property's teams of its trade. The one answer the
        picker, the dispatch, the grab hall and the rules all use."""
        self.ensure_one()
        order = self.sudo()

        def people(teams):
            return (teams.member_ids | teams.leader_id).filtered(
                lambda u: u.active and u._is_internal()
            )

        allowed = people(order.team_id)
        if allowed or not order.property_id:
            return allowed
        trade = order.team_id.team_type or order.category_id.team_type
        if trade:
            allowed = people(
                self.env["pm.team"]
                .sudo()
                .search(
                    [
                        ("property_id", "=", order.property_id.id),
                        ("team_type", "=", trade),
                    ]
                )
            )
        if allowed:
            return allowed
        # a property without a team of the trade: its staff in the technician
        # role (not the front desk, the director or the administrator)
        return order.property_id.user_ids.filtered(
            lambda u: u.active
            and u.has_group(STAFF_GROUP)
            and not u.has_group(DESK_GROUP)
        )

    def _pm_may_be_technician(self, user):
        """Whether ``user`` is one of ``_pm_allowed_technicians``; a member of
        the team is recognised without reading the whole list."""
        self.ensure_one()
        team = self.sudo().team_id
        if user in team.member_ids and user.active and user._is_internal():
            return True
        return user in self._pm_allowed_technicians()

    def _pm_check_technician(self, user):
        """Refuse ``user`` as the technician of the order unless allowed."""
        self.ensure_one()
        if self._pm_may_be_technician(user):
            return
        team = self.sudo().team_id
        raise ValidationError(
            _(
                "%(user)s is not a technician of %(team)s and cannot take order "
                "%(order)s: choose one of its technicians, or another team.",
                user=user.name,
                team=team.display_name or _("the trade of the order"),
                order=self.name,
            )
        )

    def _pm_queue_for_dispatch(self):
        """R-PICK-1 (like R-INTAKE-3): an order from an owner that nobody
        dispatched waits among the unassigned orders with a "dispatch" activity
        for the leader of its team, else the front desk user on duty; the
        activity notifies its assignee."""
        for order in self:
            user = (
                order.sudo().team_id.leader_id
                or order.property_id.sudo()._pm_front_desk_assignee()
            )
            if not user:
                order.message_post(
                    body=_(
                        "Nobody can dispatch this order: the team has no leader and "
                        "nobody is on duty at the front desk of %s.",
                        order.property_id.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            order.activity_schedule(
                DISPATCH_ACTIVITY,
                date_deadline=order.property_id._pm_today(),
                summary=_(
                    "Dispatch the repair of %s",
                    order.partner_id.display_name or order.location or order.name,
                ),
                user_id=user.id,
            )

    def _pm_leave_dispatch_queue(self):
        """The dispatched orders' "dispatch" activity is done."""
        queued = self.filtered(
            lambda o: self._pm_dispatch_type_id() in o.activity_ids.activity_type_id.ids
        )
        for order in queued:
            order.activity_feedback(
                [DISPATCH_ACTIVITY],
                feedback=_("Dispatched to %s.", order.technician_id.name),
            )

    @api.model
    def _pm_dispatch_type_id(self):
        # the cached xmlid lookup: env.ref would check the record exists each time
        return self.env["ir.model.data"]._xmlid_to_res_id(DISPATCH_ACTIVITY)

    def _pm_check_fee_accepted(self):
        """R-REP-3: nothing is charged without the owner's acceptance of the quote."""
        self.ensure_one()
        if not self.is_paid or not self.amount_total:
            return
        accepted = self.quote_state == "accepted" and (
            float_compare(
                self.amount_total,
                self.quote_amount_accepted,
                precision_rounding=self.currency_id.rounding,
            )
            <= 0
        )
        if not accepted:
            raise UserError(
                _(
                    "Order %(order)s charges %(amount)s that the owner has not "
                    "accepted: send the quote and record the owner's acceptance.",
                    order=self.name,
                    amount=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )

    def _pm_check_lines_editable(self):
        for order in self:
            if order.state in ("done", "return_visit", "closed", "warranty"):
                raise UserError(
                    _(
                        "Order %s is finished: its fees and materials cannot change.",
                        order.name,
                    )
                )

    def _pm_allowed_signers(self):
        self.ensure_one()
        return self.partner_id | self.unit_id.owner_ids

    @workflow_action
    def _pm_sign(self, partner, name, signature):
        """Owner's signature, e.g. from the portal: only the order's owner signs."""
        self.ensure_one()
        self._pm_check_state(("done",))
        if partner not in self._pm_allowed_signers():
            raise ValidationError(
                _(
                    "%(signer)s is not the owner of order %(order)s and cannot sign "
                    "its acceptance.",
                    signer=partner.display_name,
                    order=self.name,
                )
            )
        name = (name or "").strip()
        if not name or len(name) > 100 or CONTROL_CHARS_RE.search(name):
            raise UserError(_("Write the signer's full name (100 characters at most)."))
        self.write(
            {
                "signature": self._pm_check_signature(signature),
                "signed_by": name,
                "signed_partner_id": partner.id,
            }
        )
        return self._pm_acceptance_pass()

    def _pm_check_signature(self, signature):
        """R-REP-4: a signature is a real PNG or JPEG image of bounded size and
        pixel count, decoded before it is stored (never an SVG or a blob).

        :param signature: base64 (str or bytes), as the signature widgets send it
        :return: the base64 value to store
        """
        if isinstance(signature, str):
            signature = signature.encode("ascii", "replace")
        try:
            raw = base64.b64decode(signature or b"", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UserError(_("The signature could not be read.")) from exc
        if not raw:
            raise UserError(_("The signature is missing."))
        raw, _mimetype = images.check_image(
            self.env, raw, _("The signature"), signature=True
        )
        return base64.b64encode(raw)

    @workflow_action
    def _pm_start_rework(self, reason, visit=None):
        """Send orders back for a rework round, keeping the failed round's history."""
        now = fields.Datetime.now()
        self.env["pm.repair.rework"].create(
            [
                {
                    "order_id": order.id,
                    "round": order.rework_count + 1,
                    "reason": reason,
                    "date": now,
                    "done_date": order.done_date,
                    "note": visit.result if visit else order.acceptance_note,
                    "return_visit_id": visit.id if visit else False,
                    "technician_id": order.technician_id.id,
                }
                for order in self
            ]
        )
        for order in self:
            # the failed round's owner answer is cleared by the system (R-OWNER-1)
            order.sudo().write(
                {
                    "rework_count": order.rework_count + 1,
                    "state": "in_progress",
                    "done_date": False,
                    "owner_accept_date": False,
                    "acceptance_result": False,
                    "acceptance_note": False,
                    "signature": False,
                    "signed_by": False,
                    "signed_partner_id": False,
                    "signed_on": False,
                    "witness_name": False,
                    "awaiting_rain": False,
                }
            )
            order.message_post(
                body=_("Rework round %s started.", order.rework_count),
            )

    def _pm_carry_case_photos(self):
        """The photos of the case an order is made from (the owner's from the
        portal form and messages, the desk's) come with it, among the photos
        before the work: the technician sees the fault before going. Copies
        attached to the order (the stored file is shared); a document that is
        not a photo the order can show (a PDF, an unknown format) stays on the
        case."""
        if not self:
            return
        Attachment = self.env["ir.attachment"].sudo()
        cases = self.case_id.sudo()
        attached = Attachment.search(
            [("res_model", "=", cases._name), ("res_id", "in", cases.ids)]
        )
        for order in self:
            case = order.case_id.sudo()
            photos = (
                case.attachment_ids
                | attached.filtered(lambda a, case=case: a.res_id == case.id)
            ).filtered(lambda a: (a.mimetype or "").startswith("image/"))
            vals_list = []
            for photo in photos.sorted("id"):
                try:
                    data, mimetype = images.check_image(
                        self.env, photo.raw or b"", photo.name
                    )
                except UserError:
                    continue
                vals_list.append(
                    {
                        "name": photo.name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": order._name,
                        "res_id": order.id,
                    }
                )
            if vals_list:
                order.sudo().photo_before_ids = [
                    Command.link(copy.id) for copy in Attachment.create(vals_list)
                ]

    def _pm_stamps(self):
        self.ensure_one()
        return {
            "intake": self.intake_date,
            "dispatch": self.dispatch_date,
            "contact": self.contact_date,
            "arrival": self.arrival_date,
            "appointment": self.appointment_date,
            "diagnosis": self.diagnosis_date,
            "plan": self.plan_date,
        }

    @api.model
    def _pm_target_params(self):
        """R-REP-2 thresholds in minutes, from the configuration."""
        return {
            key: settings.get(self.env, f"pm_repair.target_{key}")
            for key in TARGET_PARAMS
        }

    @api.model
    def _pm_rework_visit_days(self):
        return settings.get(self.env, "pm_repair.rework_visit_days")

    def _pm_local_date(self, value):
        """The day of a UTC datetime in the property's timezone (R-TZ-1)."""
        self.ensure_one()
        # no property yet (a form being filled): the clock's default zone
        return clock.local_today(self.property_id.sudo().tz, value)

    def _pm_local_text(self, value):
        """A stored datetime as people at the property read it (R-TZ-2)."""
        self.ensure_one()
        return clock.local_stamp(value, self.property_id.sudo().tz, "%m-%d %H:%M")

    def _pm_arrival_signature(self):
        self.ensure_one()
        # 128 bits are plenty, and keep the printed code easy to scan
        return tools.hmac(self.env(su=True), ARRIVAL_QR_SCOPE, self.id)[:32]

    def _pm_arrival_check(self, signature):
        self.ensure_one()
        return isinstance(signature, str) and stdlib_hmac.compare_digest(
            signature, self._pm_arrival_signature()
        )

    def _pm_arrival_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/pm/repair/{self.id}/arrive"
            f"?qr={self._pm_arrival_signature()}"
        )

    def _pm_arrival_qr_image(self):
        """The QR code the technician scans on arrival, as a data URI for the
        printed work order."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._pm_arrival_url(), width=300, height=300, barLevel="M"
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Repair Order %s", self.name)


class PmRepairOrderLine(models.Model):
    """A fee item, material or labour on a work order (R-REP-3)."""

    _name = "pm.repair.order.line"
    _description = "Repair Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "pm.repair.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [("fee", "Fee Item"), ("material", "Material"), ("labour", "Labour")],
        string="Type",
        required=True,
        default="fee",
    )
    fee_id = fields.Many2one("pm.repair.fee", string="Fee Item", ondelete="restrict")
    name = fields.Char(
        string="Description",
        required=True,
        compute="_compute_from_fee",
        store=True,
        readonly=False,
        precompute=True,
    )
    uom = fields.Char(
        string="Unit of Measure",
        compute="_compute_from_fee",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_from_fee",
        store=True,
        readonly=False,
        precompute=True,
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True)

    @api.depends("fee_id")
    def _compute_from_fee(self):
        for line in self:
            if line.fee_id:
                line.name = line.fee_id.name
                line.uom = line.fee_id.uom
                line.price_unit = line.fee_id.price
            elif not line.name:
                line.name = False

    def _pm_quantity_display(self):
        """Quantity and unit as people write them: "1 套", "1.5 小时"."""
        self.ensure_one()
        return f"{self.quantity:g} {self.uom or ''}".strip()

    @api.depends("quantity", "price_unit")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.quantity * line.price_unit

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for line in self:
            if line.quantity < 0 or line.price_unit < 0:
                raise ValidationError(
                    _(
                        "Order %(order)s, %(line)s: quantity and unit price cannot be "
                        "negative.",
                        order=line.order_id.name,
                        line=line.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._pm_check_lines_editable()
        return lines

    def write(self, vals):
        self.order_id._pm_check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.order_id._pm_check_lines_editable()
        return super().unlink()


class PmRepairRework(models.Model):
    """One rework round 返修 of a work order (R-REP-4, R-REP-5)."""

    _name = "pm.repair.rework"
    _description = "Repair Rework Round"
    # R-KEEP-1: the history of the rework rounds is kept
    _inherit = ["pm.workflow.guard.mixin"]
    _order = "order_id, round"

    order_id = fields.Many2one(
        "pm.repair.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    round = fields.Integer(required=True)
    reason = fields.Selection(
        [
            ("acceptance", "Failed Owner Acceptance"),
            ("return_visit", "Dissatisfied at Return Visit"),
        ],
        required=True,
    )
    date = fields.Datetime(required=True)
    done_date = fields.Datetime(string="Previous Completion")
    technician_id = fields.Many2one("res.users")
    return_visit_id = fields.Many2one("pm.return.visit")
    note = fields.Text()
