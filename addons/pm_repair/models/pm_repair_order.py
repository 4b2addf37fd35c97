# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    "completion": "target_completion",
}
# R-REP-2 targets (minutes), each a setting "pm_repair.target_<name>"; the
# completion's days after the day the work is due (R-CLOCK-1)
TARGET_PARAMS = (
    "dispatch",
    "emergency_dispatch",
    "on_site",
    "contact_before",
    "arrive_early_min",
    "arrive_early_max",
    "plan",
    "completion_days",
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
        # before the mail mixins it builds on (R-CLOCK-1)
        "pm.escalation.mixin",
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
        "target_completion",
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
        # the clock of the targets escalates them (R-CLOCK-1)
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
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
    # the scheduled action escalating the missed targets (R-CLOCK-1)
    _pm_escalation_cron_xmlid = "pm_repair.ir_cron_pm_repair_escalate"
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
    # return visits (R-REP-RV)
    awaiting_rain = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A leak repair whose return visit waits for the next heavy rainstorm.",
    )
    rainstorm_id = fields.Many2one("pm.rainstorm", readonly=True, copy=False)
    color = fields.Integer()

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
            order.contact_phone = order.partner_id.phone

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

    def _pm_retention_kept(self):
        return self.filtered(lambda o: o.state not in ("new", "cancelled"))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_take(self):
        self._pm_check_holder()
        return self._pm_move(
            ("dispatched",), {"state": "taken", "take_date": fields.Datetime.now()}
        )

    @workflow_action
    def action_contact_owner(self):
        """The technician confirmed the appointment with the owner (R-REP-2)."""
        self._pm_check_holder()
        for order in self:
            order._pm_check_state(("new", "dispatched", "taken"))
            if order.urgency != "appointment":
                raise UserError(_("Order %s has no appointment.", order.name))
        self.write({"contact_date": fields.Datetime.now()})
        return True

    @workflow_action
    def action_diagnose(self):
        self._pm_check_holder()
        self._pm_first_missing(
            ("on_site",),
            "diagnosis",
            _("write what the fault is, then press Diagnosed"),
        )
        self.write({"state": "diagnosed", "diagnosis_date": fields.Datetime.now()})
        return True

    @workflow_action
    def action_done(self):
        """The technician finished; the owner is asked to accept (R-REP-4)."""
        self._pm_check_holder()
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
    def action_route_to_developer(self):
        """R-VALID-1: a housing-quality fault under warranty goes to the developer
        or contractor; nothing is charged."""
        template = self.env.ref("pm_repair.mail_template_repair_warranty")
        self._pm_check_holder()
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
        self._pm_check_holder()
        self._pm_move((*OPEN_STATES, "in_progress"), {"state": "cancelled"})
        self.activity_unlink([DISPATCH_ACTIVITY])
        return True

    @workflow_action
    def action_reset(self):
        self._pm_check_holder()
        return self._pm_move(("cancelled",), {"state": "new", "quote_state": "none"})

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES]

    def _pm_check_holder(self):
        """A technician moves on only the orders they hold, or those of the team
        they lead; the front desk, the director and the managers move on any
        order they can read (issue 27: a technician cancelled another's order).
        Server code and the owner's own steps are not a technician's."""
        user = self.env.user
        if self.env.su or not user.has_group(STAFF_GROUP) or user.has_group(DESK_GROUP):
            return
        for order in self:
            held = order.sudo()
            if user in held.technician_id | held.team_id.leader_id:
                continue
            if held.technician_id:
                raise UserError(
                    _(
                        "Order %(order)s is in the hands of %(technician)s: only "
                        "they, their team leader or the service centre can move it "
                        "on.",
                        order=held.name,
                        technician=held.technician_id.name,
                    )
                )
            raise UserError(
                _(
                    "Order %s has no technician yet: grab it, or ask the service "
                    "centre to dispatch it to you, before moving it on.",
                    held.name,
                )
            )

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

    def _pm_move(self, states, vals):
        """Move the orders one step on: each is in one of ``states``
        (``_pm_check_state``), then all are written ``vals`` (the next state and
        its stamps). Called by the workflow actions, which allow the writes."""
        self._pm_check_state(states)
        self.write(vals)
        return True

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

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Repair Order %s", self.name)
