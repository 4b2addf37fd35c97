# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import uuid
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, html2plaintext, parse_contact_from_email

from odoo.addons.pm_base.tools import clock, portal_pages, settings
from odoo.addons.pm_base.tools.vocabulary import (
    CASE_STATES,
    REQUEST_TYPES,
    SATISFACTION_LEVELS,
    SATISFIED_LEVELS,
    SEVERITIES,
)
from odoo.addons.pm_base.tools.write_guard import (
    is_trusted,
    workflow_action,
    workflow_writes,
)

# the mixins are registered before the model inheriting them, whatever the
# import order of models/__init__.py
from . import (  # noqa: F401
    pm_return_visit,
    sla_rules,
)

CHANNELS = [
    ("phone", "Phone"),
    ("front_desk", "Front Desk"),
    ("portal", "Portal"),
    ("email", "Email"),
    ("suggestion_box", "Suggestion Box"),
    ("visit", "Visit"),
    ("patrol", "Patrol"),
    ("head_office", "Forwarded by Head Office"),
    ("qr_code", "QR Code"),
]
# R-INTAKE-3: channels where no staff member records the case
NON_STAFF_CHANNELS = ("portal", "email", "qr_code")
ACKNOWLEDGE_ACTIVITY = "pm_customer_service.mail_activity_type_pm_acknowledge"
CONTACT_METHODS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("sms", "SMS"),
    ("wechat", "WeChat"),
    ("in_person", "In Person"),
]
DEADLINE_FIELDS = ("acknowledge_deadline", "reply_deadline", "resolve_deadline")
# cases of these types count as "complaints or opinions" for repeat visits (R-ESC-2)
OPINION_TYPES = ("complaint", "suggestion")
OPEN_STATES = ("received", "investigating", "decided", "processing")
PARAM = "pm_customer_service."


def _list_separator(lang):
    """Chinese lists are separated by 、, others by a comma."""
    return "、" if (lang or "").startswith("zh") else ", "


class PmCase(models.Model):
    """A case (投诉/报事单): complaint, help, consultation, suggestion or repair
    request of an owner (R-INTAKE-*, R-VALID-1, R-SEV-*, R-SLA-*, R-FLOW-*)."""

    _name = "pm.case"
    _description = "Case"
    _inherit = [
        # the owner's five-level answer keeps Odoo's rating token and record
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "pm.property.record.mixin",
        "pm.return.visit.mixin",
        "pm.escalation.mixin",
        "pm.workflow.guard.mixin",
        "pm.assignment.mixin",
        "pm.rate.mixin",
    ]
    _order = "intake_date desc, id desc"
    _rec_names_search = ["name", "subject"]
    # set by the workflow actions, the SLA, the escalation and the return visits
    _pm_protected_fields = (
        "stage_id",
        "state",
        "first_contact_user_id",
        "sla_policy_id",
        "acknowledged_date",
        "first_reply_date",
        "resolved_date",
        "closed_date",
        "auto_major_date",
        "deadline_change_count",
        "reopen_count",
        # the owner's rating is guarded as an owner's answer (OWNER_DECISION_FIELDS)
        "door_visit_required",
        "door_visit_reason_keys",
        "return_visit_done",
        "is_resolved_on_time",
        "is_closed",
        "is_satisfied",
        "timeliness_rate",
        "closure_rate",
        "closure_measured",
        "return_visit_rate",
        "satisfaction_rate",
        "resolution_hours",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("closed",)
    # the scheduled action escalating these records, re-triggered when work is left
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_case_escalate"
    # R-PICK-1: who holds the case; a reassignment moves their open activities
    _pm_assignee_fields = {"user_id": "", "team_id": "leader_id"}
    # R-RATE-1: a case is measured for a rate when the column has a value (closure:
    # every valid case, as in the monthly analysis and on the KPI board)
    _pm_rates = {
        "timeliness_rate": ("timeliness_rate:sum", "resolved_date:count"),
        "closure_rate": ("closure_rate:sum", "closure_measured:sum"),
        "return_visit_rate": ("return_visit_rate:sum", "resolved_date:count"),
        "satisfaction_rate": ("satisfaction_rate:sum", "satisfaction:count"),
    }

    # identity and intake (R-INTAKE-2)
    # every case gets its portal link in its first email: the token is set on
    # insert instead of by an update when the link is first built
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text(string="Content", required=True)
    request_type = fields.Selection(
        REQUEST_TYPES,
        string="Type",
        required=True,
        default="complaint",
        index=True,
        tracking=True,
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="phone", index=True, tracking=True
    )
    intake_date = fields.Datetime(
        string="Received on",
        required=True,
        default=fields.Datetime.now,
        index=True,
        copy=False,
    )
    stage_id = fields.Many2one(
        "pm.case.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self._default_stage(),
        group_expand="_read_group_stage_ids",
    )
    state = fields.Selection(
        related="stage_id.state",
        store=True,
        index=True,
        string="Status",
        precompute=True,
    )
    color = fields.Integer()
    # where and who
    property_id = fields.Many2one(tracking=True)
    unit_id = fields.Many2one(tracking=True)
    common_area_id = fields.Many2one(
        "pm.common.area",
        index=True,
        tracking=True,
        domain="[('property_id', '=', property_id)]",
        help="The common-area point reported, e.g. from its QR code; a case is "
        "about a unit or a common area, not both.",
    )
    location = fields.Char(help="Where the problem is, when it is not (only) a unit.")
    partner_id = fields.Many2one(
        "res.partner", string="Owner", index=True, tracking=True
    )
    partner_warning = fields.Char(compute="_compute_partner_warning")
    contact_name = fields.Char(string="Contact Person")
    contact_method = fields.Selection(CONTACT_METHODS, default="phone")
    contact_info = fields.Char(string="Phone / Address")
    appointment_date = fields.Datetime(string="Appointment")
    # the window the owner booked on the portal; the appointment is its start
    appointment_window = fields.Selection(portal_pages.APPOINTMENT_WINDOWS)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    # R-INTAKE-1: whoever records the case owns its follow-up; a case that
    # arrives without a staff recorder gets its owner when acknowledged
    first_contact_user_id = fields.Many2one(
        "res.users",
        string="First-Contact Owner",
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # R-INTAKE-3: waiting in the front desk's queue
    to_acknowledge = fields.Boolean(
        readonly=True,
        index=True,
        copy=False,
        help="Received without a staff recorder (portal, email, QR code): waits for "
        "the front desk, and the staff member who acknowledges it becomes its "
        "first-contact owner.",
    )
    # dispatch (R-DISPATCH-1)
    team_id = fields.Many2one(
        "pm.team",
        string="Responsible Team",
        index=True,
        tracking=True,
        domain="['|', ('property_id', '=', False), ('property_id', '=', property_id)]",
    )
    team_leader_id = fields.Many2one(related="team_id.leader_id", string="Team Leader")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    # validity and severity (R-VALID-1, R-SEV-1)
    validity = fields.Selection(
        [("valid", "Valid"), ("invalid", "Invalid")],
        default="valid",
        required=True,
        tracking=True,
    )
    invalid_explanation = fields.Text(
        help="Explanation given to the owner when the case is outside the service "
        "scope."
    )
    is_warranty_issue = fields.Boolean(
        string="Housing Quality under Warranty",
        tracking=True,
        help="Handed over to the developer or contractor.",
    )
    developer_id = fields.Many2one(
        "res.partner",
        string="Developer / Contractor",
        compute="_compute_warranty",
        precompute=True,
        store=True,
        readonly=False,
    )
    warranty_end_date = fields.Date(
        compute="_compute_warranty", precompute=True, store=True, readonly=False
    )
    severity = fields.Selection(
        SEVERITIES, default="general", required=True, index=True, tracking=True
    )
    auto_major_date = fields.Datetime(
        string="Upgraded to Major on", readonly=True, copy=False
    )
    # SLA (R-SLA-*)
    sla_policy_id = fields.Many2one(
        "pm.sla.policy", string="SLA Policy", readonly=True, copy=False
    )
    acknowledge_deadline = fields.Datetime(index=True, tracking=True, copy=False)
    reply_deadline = fields.Datetime(
        string="First Reply Deadline", tracking=True, copy=False
    )
    resolve_deadline = fields.Datetime(index=True, tracking=True, copy=False)
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    first_reply_date = fields.Datetime(copy=False)
    resolved_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    deadline_change_count = fields.Integer(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )
    # investigation and decision (R-FLOW-1)
    investigation_facts = fields.Text(string="Facts")
    investigation_cause = fields.Text(string="Cause")
    proposed_solution = fields.Text()
    decision_measures = fields.Text(string="Measures")
    decision_deadline = fields.Date(string="Measures Deadline")
    appeal_channel = fields.Char(
        default=lambda self: self._default_appeal_channel(),
        help="How the owner can appeal the decision; stated in the decision notice.",
    )
    # second processing (R-FLOW-2) and satisfaction
    reopen_count = fields.Integer(
        string="Second Processing Rounds", readonly=True, copy=False
    )
    satisfaction = fields.Selection(
        SATISFACTION_LEVELS, readonly=True, copy=False, tracking=True
    )
    # a new case has no rating: computed before the insert, without a query
    rating_last_value = fields.Float(
        compute="_compute_rating_last_value", precompute=True, store=True
    )
    # director door visit (R-ESC-2)
    door_visit_required = fields.Boolean(readonly=True, copy=False)
    # the reasons are stored as keys and shown in the reader's language
    door_visit_reason_keys = fields.Char(readonly=True, copy=False)
    door_visit_reason = fields.Char(compute="_compute_door_visit_reason")
    # KPIs (R-QA-1, R-KPI-1): stored, so read_group per property/team/month works
    is_resolved_on_time = fields.Boolean(
        compute="_compute_kpi", precompute=True, store=True, string="Resolved on Time"
    )
    is_closed = fields.Boolean(
        compute="_compute_kpi", precompute=True, store=True, string="Closed"
    )
    is_satisfied = fields.Boolean(
        compute="_compute_kpi", precompute=True, store=True, string="Satisfied"
    )
    return_visit_done = fields.Boolean(readonly=True, copy=False)
    timeliness_rate = fields.Float(
        compute="_compute_kpi",
        precompute=True,
        store=True,
        aggregator="avg",
        string="Timeliness %",
    )
    closure_rate = fields.Float(
        compute="_compute_kpi",
        precompute=True,
        store=True,
        aggregator="avg",
        string="Closure %",
    )
    closure_measured = fields.Integer(
        compute="_compute_kpi",
        precompute=True,
        store=True,
        help="1 when the case is valid: an invalid case is not measured for "
        "closure.",
    )
    return_visit_rate = fields.Float(
        compute="_compute_kpi",
        precompute=True,
        store=True,
        aggregator="avg",
        string="Return Visit %",
    )
    satisfaction_rate = fields.Float(
        compute="_compute_kpi",
        precompute=True,
        store=True,
        aggregator="avg",
        string="Satisfaction %",
    )
    resolution_hours = fields.Float(
        compute="_compute_kpi", precompute=True, store=True, aggregator="avg"
    )

    _sql_constraints = [
        (
            "deadline_order",
            "CHECK(resolve_deadline IS NULL OR acknowledge_deadline IS NULL "
            "OR resolve_deadline >= acknowledge_deadline)",
            "A case cannot have to be resolved before it is acknowledged.",
        ),
    ]

    # ------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------

    @api.model
    def _default_stage(self):
        return self.env["pm.case.stage"]._for_state("received")

    @api.model
    def _default_appeal_channel(self):
        # the text is sent to owners: write it in the company's language, not in
        # the language of the agent who records the case
        lang = self.env.company.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env._(
            "Call the service centre director or the company's complaint hotline."
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("door_visit_reason_keys")
    @api.depends_context("lang")
    def _compute_door_visit_reason(self):
        labels = self._door_visit_reason_labels()
        for case in self:
            keys = (case.door_visit_reason_keys or "").split(",")
            case.door_visit_reason = _list_separator(case.env.lang).join(
                labels.get(key, key) for key in keys if key
            )

    @api.depends("partner_id", "unit_id")
    def _compute_partner_warning(self):
        for case in self:
            unit = case.unit_id
            if (
                case.partner_id
                and unit
                and case.partner_id not in unit.owner_ids | unit.tenant_ids
            ):
                case.partner_warning = _(
                    "%(partner)s is neither owner nor tenant of unit %(unit)s: check "
                    "who is speaking (walk-in tenants are accepted).",
                    partner=case.partner_id.display_name,
                    unit=unit.display_name,
                )
            else:
                case.partner_warning = False

    @api.depends("is_warranty_issue", "unit_id")
    def _compute_warranty(self):
        for case in self:
            if not case.is_warranty_issue or not case.unit_id:
                continue
            unit = case.unit_id
            case.developer_id = unit.building_id.developer_id
            case.warranty_end_date = (
                unit.warranty_end_date or unit.building_id.warranty_end_date
            )

    @api.depends("resolve_deadline", "resolved_date", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for case in self:
            case.is_overdue = bool(
                case.state in OPEN_STATES
                and case.resolve_deadline
                and case.resolve_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Overdue."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("resolve_deadline", "<", fields.Datetime.now()),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends(
        "resolved_date",
        "resolve_deadline",
        "state",
        "validity",
        "satisfaction",
        "return_visit_done",
    )
    def _compute_kpi(self):
        measured_cases = self.filtered_domain(self._pm_measured_domain())
        for case in self:
            on_time = bool(
                case.resolved_date
                and case.resolve_deadline
                and case.resolved_date <= case.resolve_deadline
            )
            case.is_resolved_on_time = on_time
            case.is_closed = case.state == "closed"
            case.is_satisfied = case.satisfaction in SATISFIED_LEVELS
            case.timeliness_rate = 100.0 if on_time else 0.0
            # R-QA-1: closure counts the measured (valid) cases only
            measured = case in measured_cases
            case.closure_rate = 100.0 if measured and case.is_closed else 0.0
            case.closure_measured = int(measured)
            # return visits over the resolved cases, as the analysis and the board
            case.return_visit_rate = (
                100.0 if case.return_visit_done and case.resolved_date else 0.0
            )
            case.satisfaction_rate = 100.0 if case.is_satisfied else 0.0
            case.resolution_hours = (
                (case.resolved_date - case.intake_date).total_seconds() / 3600
                if case.resolved_date and case.intake_date
                else 0.0
            )

    @api.model
    def _pm_measured_domain(self):
        """R-QA-1, R-KPI-1: the cases the rates measure, the valid ones: an
        invalid case (outside the service scope) is received and counted, never
        measured. The one definition for the case pivot, the monthly analysis and
        the KPI board."""
        return [("validity", "!=", "invalid")]

    @api.model
    def _pm_measured_sql(self):
        """SQL of :meth:`_pm_measured_domain` over the ``pm_case`` table."""
        query = self.sudo()._where_calc(self._pm_measured_domain(), active_test=False)
        return query.where_clause

    # ------------------------------------------------------------
    # CONSTRAINTS AND ONCHANGES
    # ------------------------------------------------------------

    @api.constrains("description", "subject")
    def _check_content(self):
        for case in self:
            if not (case.description or "").strip() or not (case.subject or "").strip():
                raise ValidationError(
                    _(
                        "Describe what the owner reported: subject and content are "
                        "empty."
                    )
                )

    @api.constrains(*DEADLINE_FIELDS)
    def _check_deadline_order(self):
        for case in self:
            errors = sla_rules.check_deadline_order(
                case.acknowledge_deadline, case.reply_deadline, case.resolve_deadline
            )
            if "resolve_before_acknowledge" in errors:
                raise ValidationError(
                    _(
                        "Case %s cannot have to be resolved before it is acknowledged.",
                        case.name,
                    )
                )
            if "reply_after_resolve" in errors:
                raise ValidationError(
                    _(
                        "Case %s: the first reply deadline is after the resolution "
                        "deadline.",
                        case.name,
                    )
                )

    @api.constrains("unit_id", "common_area_id", "property_id")
    def _check_location(self):
        for case in self:
            area = case.common_area_id
            if area and case.unit_id:
                raise ValidationError(
                    _(
                        "Case %s is about a unit or a common area: choose one of "
                        "them.",
                        case.name,
                    )
                )
            if area and area.property_id != case.property_id:
                raise ValidationError(
                    _(
                        "Case %(case)s: common area %(area)s is not in property "
                        "%(property)s.",
                        case=case.name,
                        area=area.display_name,
                        property=case.property_id.name,
                    )
                )

    @api.constrains("validity", "invalid_explanation", "state")
    def _check_invalid_explanation(self):
        for case in self:
            if (
                case.validity == "invalid"
                and case.state == "closed"
                and not (case.invalid_explanation or "").strip()
            ):
                raise ValidationError(
                    _(
                        "Record the explanation given to the owner before closing "
                        "invalid case %s.",
                        case.name,
                    )
                )

    @api.onchange("partner_id", "unit_id")
    def _onchange_partner_unit(self):
        if self.partner_warning:
            return {"warning": {"title": _("Owner"), "message": self.partner_warning}}
        if self.unit_id and not self.partner_id and self.unit_id.owner_ids:
            self.partner_id = self.unit_id.owner_ids[0]
        return None

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.team_id and self.user_id not in self.team_id.member_ids:
            self.user_id = self.team_id.leader_id

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_trusted(self.env):
            # the caller's values; SLA and escalation values are added below
            self = self._pm_guard_create(vals_list)
        now = fields.Datetime.now()
        for vals in vals_list:
            # R-SLA-*: explicit deadlines are agreements, never already missed
            for key in DEADLINE_FIELDS:
                if vals.get(key) and fields.Datetime.to_datetime(vals[key]) < now:
                    raise ValidationError(
                        _("A deadline of a new case cannot be in the past.")
                    )
            explicit = [
                fields.Datetime.to_datetime(vals.get(key)) for key in DEADLINE_FIELDS
            ]
            if "resolve_before_acknowledge" in sla_rules.check_deadline_order(
                *explicit
            ):
                raise ValidationError(
                    _("A case cannot have to be resolved before it is acknowledged.")
                )
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("pm.case")
            self._prepare_intake_values(vals)
            self._prepare_sla_values(vals, now)
        rules = [self._pm_dispatch_by_rule(vals) for vals in vals_list]
        with workflow_writes():
            cases = super().create(vals_list)
            self.env["pm.dispatch.rule"]._pm_note_dispatched(cases, rules)
            cases.filtered("to_acknowledge")._pm_queue_for_front_desk()
            if any("stage_id" in vals for vals in vals_list):
                cases._pm_escalation_reschedule()
            cases.filtered("user_id")._notify_assignment()
            cases._check_door_visit()
        return cases

    @api.model
    def _prepare_intake_values(self, vals):
        """R-INTAKE-1/3: the staff member who records a case owns it; a new case
        that arrives by a channel without a staff recorder (portal, email, QR
        code), or from an owner, waits in the front desk's queue instead."""
        if vals.get("first_contact_user_id"):
            return
        if vals.get("stage_id"):
            stage = self.env["pm.case.stage"].browse(vals["stage_id"])
        else:
            stage = self._default_stage()
        if stage.state != "received":
            return
        channel = (
            vals.get("channel") or self.env.context.get("default_channel") or "phone"
        )
        if channel in NON_STAFF_CHANNELS or not self.env.user._is_internal():
            vals.update({"to_acknowledge": True, "first_contact_user_id": False})

    @api.model
    def _pm_dispatch_by_rule(self, vals):
        """R-DISPATCH-2: a new case without team nor responsible goes where the
        first matching dispatch rule sends it; returns that rule."""
        Rule = self.env["pm.dispatch.rule"]
        if vals.get("team_id") or vals.get("user_id") or not vals.get("property_id"):
            return Rule
        unit = self.env["pm.unit"].sudo().browse(vals.get("unit_id"))
        values = {
            "property_id": vals["property_id"],
            "request_type": vals.get("request_type")
            or self.env.context.get("default_request_type")
            or "complaint",
            "building_id": unit.building_id.id,
        }
        text = " ".join(filter(None, (vals.get("subject"), vals.get("description"))))
        return Rule._pm_dispatch_vals("case", self._name, vals, values, text, "user_id")

    @api.model
    def _pm_dispatch_loads(self, users):
        """{user id: open cases they are responsible for} (least-load rules)"""
        return {
            user.id: count
            for user, count in self.sudo()._read_group(
                [("user_id", "in", users.ids), ("state", "in", OPEN_STATES)],
                ["user_id"],
                ["__count"],
            )
        }

    @api.model
    def _prepare_sla_values(self, vals, now):
        """Deadlines and first escalation step of a new case, computed before the
        insert (R-SLA-1..5): explicit deadlines in ``vals`` win."""
        prop = self.env["pm.property"].browse(vals.get("property_id"))
        if not prop:
            return
        context = self.env.context
        terms = self.env["pm.sla.policy"]._get_terms(
            vals.get("request_type")
            or context.get("default_request_type")
            or "complaint",
            vals.get("severity") or context.get("default_severity") or "general",
            prop.company_id.id,
        )
        if not terms:
            return
        vals.setdefault("intake_date", now)
        intake = fields.Datetime.to_datetime(vals["intake_date"])
        for key, value in self._sla_deadlines(prop, terms, intake).items():
            vals.setdefault(key, value)
        vals["sla_policy_id"] = terms["id"]
        if vals.get("validity", "valid") == "valid" and vals.get(
            "acknowledge_deadline"
        ):
            _level, due = sla_rules.next_escalation(
                fields.Datetime.to_datetime(vals["acknowledge_deadline"]),
                (),
                now,
                self._pm_escalation_param("escalation_interval_hours"),
                self._pm_escalation_param("reminder_hours"),
            )
            vals.update({"escalation_next_date": due, "escalation_kind": "acknowledge"})

    @api.model
    def _sla_deadlines(self, prop, terms, intake):
        """{deadline field: naive UTC datetime} of a case received at ``intake``."""
        working = terms["time_mode"] == "working"
        intervals = self._calendar_intervals(prop) if working else None
        start = self._local(intake, prop)
        values = {}
        for key, hours in (
            ("acknowledge_deadline", terms["acknowledge_hours"]),
            ("reply_deadline", terms["reply_hours"]),
            ("resolve_deadline", terms["resolve_hours"]),
        ):
            same_day = key == "resolve_deadline" and terms["resolve_same_day"]
            if hours or same_day:
                deadline = sla_rules.compute_deadline(
                    start, hours, working, intervals, same_day=same_day
                )
                values[key] = clock.utc_naive(deadline)
        aligned = sla_rules.align_deadlines(
            *(values.get(key) for key in DEADLINE_FIELDS)
        )
        values.update(
            {
                key: value
                for key, value in zip(DEADLINE_FIELDS, aligned, strict=False)
                if value
            }
        )
        return values

    def write(self, vals):
        if not is_trusted(self.env):
            # forged workflow values are refused before the transition guards
            self._pm_guard_write(vals)
        moved = set(DEADLINE_FIELDS) & set(vals)
        # R-SLA-4: only the SLA, a reopening and the deadline wizard move a
        # deadline (server code, never a context key a caller could pass)
        if moved and not is_trusted(self.env):
            for case in self:
                if any(case[key] for key in moved):
                    raise UserError(
                        _(
                            "Deadlines of case %s only move with a reason: use "
                            "'Change Deadline'.",
                            case.name,
                        )
                    )
        new_stage = None
        if "stage_id" in vals:
            new_stage = self.env["pm.case.stage"].browse(vals["stage_id"])
            for case in self:
                if case.stage_id != new_stage:
                    case._check_transition(new_stage.state, vals)
        old_users = {case.id: case.user_id for case in self}
        old_stages = {case.id: case.stage_id for case in self}
        res = super().write(vals)
        if new_stage:
            for case in self.filtered(lambda c: old_stages[c.id] != new_stage):
                case._on_stage_enter(old_stages[case.id])
        if vals.get("user_id"):
            self.filtered(lambda c: old_users[c.id] != c.user_id)._notify_assignment()
        if {"severity", "request_type"} & set(vals):
            self.filtered(lambda c: c.state == "received")._apply_sla()
        if vals.get("severity") == "major":
            self._check_door_visit()
        watched = {"stage_id", "acknowledged_date", "resolved_date", "reopen_count"}
        if watched & set(vals) or moved:
            self._pm_escalation_reschedule()
        return res

    def _pm_retention_kept(self):
        return self.filtered(lambda case: case.state != "received")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        """受理 (R-SLA-1): confirm receipt; the owner gets the reference and the
        promised reply time. A case from the front desk's queue becomes the case
        of the staff member who acknowledges it (R-INTAKE-1, R-INTAKE-3)."""
        self._pm_take_from_queue()
        return self._move_to("investigating")

    def action_assign_to_me(self):
        """R-DISPATCH-2: a staff member takes the case as its responsible."""
        if not self.env.user._is_internal():
            raise AccessError(_("Only a staff member can take a case."))
        closed = self.filtered(lambda c: c.state == "closed")
        if closed:
            raise UserError(
                _("Closed cases cannot be taken: %s", ", ".join(closed.mapped("name")))
            )
        self.filtered(lambda c: c.user_id != self.env.user).write(
            {"user_id": self.env.uid}
        )
        return True

    def action_decide(self):
        return self._move_to("decided")

    def action_start_processing(self):
        """The decision notice goes to the owner (R-FLOW-1)."""
        return self._move_to("processing")

    def action_resolve(self):
        """Resolved: the owner confirms, and a return visit is planned (R-RV-2)."""
        return self._move_to("confirmation")

    def action_close(self):
        return self._move_to("closed")

    def action_mark_invalid(self):
        """R-VALID-1: outside the service scope; closed with the explanation."""
        for case in self:
            if not (case.invalid_explanation or "").strip():
                raise UserError(
                    _(
                        "Record the explanation given to the owner before marking "
                        "case %s invalid.",
                        case.name,
                    )
                )
        self.write({"validity": "invalid"})
        return self._move_to("closed")

    @workflow_action
    def action_first_reply(self):
        self.filtered(lambda c: not c.first_reply_date).write(
            {"first_reply_date": fields.Datetime.now()}
        )
        return True

    def action_convert_to_complaint(self):
        """R-RV-4: a suggestion-box entry that is a valid complaint becomes a case."""
        for case in self:
            if case.request_type == "complaint":
                continue
            case.message_post(body=_("Handled as a complaint."))
        self.write({"request_type": "complaint", "validity": "valid"})
        return True

    def action_suggestion_phone_visit(self):
        """R-RV-4: other suggestion-box entries get a phone return visit."""
        for case in self:
            if case.return_visit_ids.filtered(lambda v: v.state == "planned"):
                continue
            case._pm_create_return_visit(
                method="phone", due_date=case.property_id._pm_today()
            )
        return True

    def action_change_deadline(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Deadline"),
            "res_model": "pm.case.deadline.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    # ------------------------------------------------------------
    # WORKFLOW
    # ------------------------------------------------------------

    @workflow_action
    def _move_to(self, state):
        stage = self.env["pm.case.stage"]._for_state(state)
        if not stage:
            raise UserError(_("No stage is configured for this step."))
        self.write({"stage_id": stage.id})
        return True

    def _check_transition(self, state, vals):
        """Guards of R-FLOW-1: raise when the case may not enter ``state``."""
        self.ensure_one()

        def value(key):
            return vals[key] if key in vals else self[key]

        def missing(keys):
            return [
                self._fields[key].get_description(self.env)["string"]
                for key in keys
                if not (value(key) or "")
                or (isinstance(value(key), str) and not value(key).strip())
            ]

        order = [code for code, _label in CASE_STATES]
        target = order.index(state)
        # investigation and decision are the complaint procedure; help,
        # consultation and suggestions skip them, and so does a case whose work
        # orders carry the diagnosis and the plan agreed with the owner
        valid = (
            value("validity") == "valid"
            and value("request_type") in ("complaint", "repair")
            and not self._pm_follows_work_orders()
        )
        if state == "closed" and value("validity") == "invalid":
            return
        if valid and target >= order.index("decided"):
            gaps = missing(
                ["investigation_facts", "investigation_cause", "proposed_solution"]
            )
            if gaps:
                raise UserError(
                    _(
                        "Record the investigation of case %(case)s before deciding: "
                        "%(fields)s.",
                        case=self.name,
                        fields=", ".join(gaps),
                    )
                )
        if valid and target >= order.index("processing"):
            gaps = missing(["decision_measures", "decision_deadline", "appeal_channel"])
            if gaps:
                raise UserError(
                    _(
                        "The decision notice of case %(case)s needs: %(fields)s.",
                        case=self.name,
                        fields=", ".join(gaps),
                    )
                )
        if target >= order.index("confirmation") and not value("user_id"):
            raise UserError(
                _("Assign case %s to a responsible person first.", self.name)
            )
        if (
            state == "closed"
            and self._return_visit_required()
            and not (self.return_visit_done)
        ):
            raise UserError(
                _(
                    "Case %s cannot be closed before its return visit is done.",
                    self.name,
                )
            )

    def _pm_follows_work_orders(self):
        """R-THREAD-1: whether the case is one thread with work orders whose
        progress drives its stages (e.g. a repair request and its repair order);
        their diagnosis and plan stand for the investigation and the decision,
        and their return-visit rules for the case's. None here: the addon that
        brings the work orders says when."""
        self.ensure_one()
        return False

    def _return_visit_required(self):
        self.ensure_one()
        if self.sla_policy_id:
            return self.sla_policy_id.return_visit_required
        terms = self.env["pm.sla.policy"]._get_terms(
            self.request_type, self.severity, self.company_id.id
        )
        return terms["return_visit_required"] if terms else True

    @workflow_action
    def _on_stage_enter(self, old_stage):
        """Automatic steps when a case reaches a stage (any way it gets there)."""
        self.ensure_one()
        state = self.state
        now = fields.Datetime.now()
        if state != "received" and self.to_acknowledge:
            # moved on without the Acknowledge button (e.g. on the kanban)
            self._pm_take_from_queue()
        if state != "received" and not self.acknowledged_date:
            self.acknowledged_date = now
            self._send_template("pm_customer_service.mail_template_pm_case_receipt")
        if state == "processing" and old_stage.state in (
            "confirmation",
            "return_visit",
        ):
            return
        # resolved at the owner's confirmation, or straight at the return visit
        # when the owner already accepted the work (signed the work order)
        if state in ("confirmation", "return_visit") and not self.resolved_date:
            self.resolved_date = now
            self._plan_resolution_visit()
            # the owner answers the return visit with one tap (R-RV-1)
            self._send_template("pm_customer_service.mail_template_pm_case_rating")
        if state == "closed":
            self.closed_date = now
        if self.stage_id.mail_template_id and not (
            # the decision notice states the measures of the complaint procedure;
            # the work orders a case follows have their plan agreed on site
            state == "processing" and self._pm_follows_work_orders()
        ):
            self._send_template(self.stage_id.mail_template_id)

    # ------------------------------------------------------------
    # FRONT DESK QUEUE (R-INTAKE-3)
    # ------------------------------------------------------------

    def _pm_queue_for_front_desk(self):
        """One "acknowledge" activity per waiting case, for the front desk user on
        duty (or its leader); the activity notifies its assignee."""
        for case in self:
            user = case.property_id._pm_front_desk_assignee()
            if not user:
                case.message_post(
                    body=_(
                        "Nobody is on duty at the front desk of %s: configure its "
                        "front desk team or duty roster.",
                        case.property_id.display_name,
                    )
                )
                continue
            due = case._local(case.acknowledge_deadline or fields.Datetime.now())
            scheduler = case
            if self.env.user._is_public():
                # a visitor's report (QR code): the activity is the front desk's
                # own, not one Odoo's public user "assigned"; its email still goes
                scheduler = case.with_user(user).sudo()
            activity = scheduler.activity_schedule(
                ACKNOWLEDGE_ACTIVITY,
                date_deadline=due.date(),
                summary=_("Acknowledge the case of %s", case._pm_sender_label()),
                user_id=user.id,
            )
            if scheduler is not case:
                # sent in the visitor's name (see mail_thread.VISITOR_CTX)
                activity.with_env(case.env).action_notify()

    def _pm_sender_label(self):
        self.ensure_one()
        return (
            self.partner_id.display_name
            or self.contact_name
            or self.contact_info
            or _("an unknown sender")
        )

    @workflow_action
    def _pm_take_from_queue(self):
        """The current staff user acknowledges the waiting cases: first-contact
        owner, follower, and the front desk activity is done."""
        queued = self.filtered("to_acknowledge")
        if not queued:
            return
        user = self.env.user
        if not user._is_internal():
            raise AccessError(_("Only a staff member can acknowledge a case."))
        queued.write({"to_acknowledge": False, "first_contact_user_id": user.id})
        queued.message_subscribe(partner_ids=user.partner_id.ids)
        queued.activity_feedback(
            [ACKNOWLEDGE_ACTIVITY],
            feedback=_("Acknowledged by %s.", user.name),
        )

    def _pm_front_desk_user(self):
        """Who answers for a case still in the queue: the assignee of its
        acknowledge activity."""
        self.ensure_one()
        activity = self.activity_search([ACKNOWLEDGE_ACTIVITY])[:1]
        return activity.user_id or self.property_id._pm_front_desk_assignee()

    @workflow_action
    def _reopen(self, reason):
        """R-FLOW-2: back to processing for a second round, counted."""
        stage = self.env["pm.case.stage"]._for_state("processing")
        now = fields.Datetime.now()
        for case in self:
            values = {
                "stage_id": stage.id,
                "reopen_count": case.reopen_count + 1,
                "resolved_date": False,
                "closed_date": False,
            }
            # the new round gets a full resolution time from now, so that its
            # escalation ladder starts afresh instead of firing at once
            terms = self.env["pm.sla.policy"]._get_terms(
                case.request_type, case.severity, case.company_id.id
            )
            if terms:
                deadline = case._sla_deadlines(case.property_id, terms, now).get(
                    "resolve_deadline"
                )
                if deadline and (
                    not case.resolve_deadline or deadline > case.resolve_deadline
                ):
                    values["resolve_deadline"] = deadline
            case.write(values)
            case.message_post(
                body=_(
                    "Second processing round %(round)s: %(reason)s",
                    round=case.reopen_count,
                    reason=reason,
                )
            )

    @workflow_action
    def _pm_on_return_visit_done(self, visit):
        """R-FLOW-2 / R-RV-2: satisfied → closed, dissatisfied → reopened."""
        self.ensure_one()
        followed_up = self.state in ("confirmation", "return_visit") or (
            self.request_type != "complaint" and self.state != "closed"
        )
        # the return visit records the owner's answer (R-OWNER-1)
        self.sudo().write(
            {
                "satisfaction": visit.satisfaction,
                "return_visit_done": self.return_visit_done
                or (followed_up and visit.is_satisfied),
            }
        )
        if not followed_up:
            return True
        if visit.is_satisfied:
            self._move_to("closed")
        else:
            self._reopen(_("Dissatisfied at return visit %s.", visit.name))
        return True

    def _pm_return_visit_values(self):
        values = super()._pm_return_visit_values()
        values.update(
            {
                "property_id": self.property_id.id,
                "unit_id": self.unit_id.id,
                "partner_id": self.partner_id.id,
                "visitor_id": self.first_contact_user_id.id,
            }
        )
        return values

    def _pm_return_visit_briefs(self):
        return {
            case.id: (
                case.subject,
                case.contact_info if case.contact_method == "phone" else False,
            )
            for case in self
        }

    def _plan_resolution_visit(self):
        """R-RV-2: a return visit due within N working days of the resolution;
        a case that follows work orders gets theirs, by their rules (one return
        visit for one problem, R-THREAD-1)."""
        self.ensure_one()
        if self._pm_follows_work_orders():
            return
        if self.return_visit_ids.filtered(lambda v: v.state == "planned"):
            return
        policy = self.sla_policy_id
        days = policy.return_visit_days if policy else 3
        visit = self._pm_create_return_visit(
            method="phone", due_date=self._working_days_after(self.resolved_date, days)
        )
        template = self.env.ref(
            "pm_customer_service.mail_template_pm_return_visit_due",
            raise_if_not_found=False,
        )
        if template and visit.visitor_id:
            template.send_mail(
                visit.id,
                force_send=False,
                email_layout_xmlid="mail.mail_notification_light",
            )

    # ------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------

    @api.model
    def _calendar_intervals(self, prop):
        """Working intervals of the property's calendar, as sla_rules expects."""
        calendar = prop.resource_calendar_id
        if not calendar:
            return None
        tz = clock.property_zone(prop.tz)

        def intervals(start, stop):
            found = calendar._work_intervals_batch(start, stop, tz=tz)[False]
            return [(begin, end) for begin, end, _record in found]

        return intervals

    def _local(self, value, prop=None):
        return clock.local_time(value, (prop or self.property_id).tz)

    def _working_days_after(self, value, days):
        self.ensure_one()
        start = self._local(value or fields.Datetime.now())
        intervals = self._calendar_intervals(self.property_id)
        if intervals is None:
            return (start + timedelta(days=days)).date()
        working = {
            begin.date()
            for begin, _end in intervals(start, start + timedelta(days=days * 3 + 21))
        }
        return sla_rules.add_working_days(start.date(), days, working.__contains__)

    @workflow_action
    def _apply_sla(self):
        """Recompute the deadlines from the policy (R-SLA-1..5), e.g. when the
        severity of a case is corrected at intake."""
        Policy = self.env["pm.sla.policy"]
        for case in self:
            terms = Policy._get_terms(
                case.request_type, case.severity, case.company_id.id
            )
            if not terms:
                continue
            values = case._sla_deadlines(case.property_id, terms, case.intake_date)
            values["sla_policy_id"] = terms["id"]
            case.write(values)

    @workflow_action
    def _change_deadline(self, field_name, new_deadline, reason, owner_booked=False):
        """R-SLA-4: move a deadline with a reason; chatter and owner email.

        ``owner_booked``: the deadline follows a time the owner booked (not a
        delay of ours): the owner's email does not apologise for a delay."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(_("A deadline only moves with a reason."))
        if field_name not in DEADLINE_FIELDS:
            raise UserError(_("Unknown deadline."))
        new_deadline = fields.Datetime.to_datetime(new_deadline)
        if new_deadline < fields.Datetime.now():
            raise ValidationError(_("The new deadline cannot be in the past."))
        old = self[field_name]
        self.write(
            {
                field_name: new_deadline,
                "deadline_change_count": self.deadline_change_count + 1,
            }
        )
        label = self._fields[field_name].get_description(self.env)["string"]
        self.message_post(
            body=_(
                "%(deadline)s moved from %(old)s to %(new)s. Reason: %(reason)s",
                deadline=label,
                # the property's wall clock, as in the owner's email (R-TZ-1)
                old=self._local_label(old) or "-",
                new=self._local_label(new_deadline),
                reason=reason,
            ),
        )
        self.with_context(
            pm_deadline_label=label, pm_deadline_owner_booked=owner_booked
        )._send_template("pm_customer_service.mail_template_pm_case_deadline_change")

    # ------------------------------------------------------------
    # ESCALATION (R-ESC-*, R-SEV-2)
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        self.ensure_one()
        if self.state == "closed" or self.validity == "invalid":
            return False, False
        if not self.acknowledged_date:
            return "acknowledge", self.acknowledge_deadline
        if not self.resolved_date:
            kind = (
                "resolve" if not self.reopen_count else f"resolve_{self.reopen_count}"
            )
            return kind, self.resolve_deadline
        return False, False

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        if self.validity == "invalid":
            return _("the case is closed as invalid")
        if self.state == "closed":
            return _("the case is closed")
        if kind == "acknowledge" and self.acknowledged_date:
            return _("the case is acknowledged")
        if self.resolved_date:
            return _("the case is resolved")
        return super()._pm_escalation_end_reason(kind)

    def _pm_escalation_responsible(self):
        self.ensure_one()
        return (
            self.user_id
            or self.first_contact_user_id
            or self.sudo()._pm_front_desk_user()
        )

    def _pm_escalation_team_leader(self):
        self.ensure_one()
        return (
            self.team_id.leader_id or self.property_id._pm_front_desk_team().leader_id
        )

    @api.model
    def _pm_deadline_label(self, kind):
        """The deadline an escalation is about, in the environment's language."""
        return _("acknowledgement") if kind == "acknowledge" else _("resolution")

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "acknowledge":
            return _("Acknowledgement deadline")
        if kind == "door_visit":
            return _("Director's door visit")
        if kind == "resolve":
            return _("Resolution deadline")
        if kind and kind.startswith("resolve_"):
            # the deadline of the n-th processing after the owner reopened the case
            return _("Resolution deadline (reopened %s)", kind.removeprefix("resolve_"))
        return super()._pm_escalation_kind_label(kind)

    @api.model
    def _pm_escalation_step_label(self, kind, level):
        if kind == "door_visit":
            # the door visit is planned for the director (R-ESC-2)
            return self._pm_level_label(sla_rules.LEVEL_DIRECTOR)
        return super()._pm_escalation_step_label(kind, level)

    def _pm_escalation_summary(self, kind, level):
        deadline_label = self._pm_deadline_label(kind)
        if level == sla_rules.LEVEL_REMINDER:
            return _("Deadline of the %s approaching", deadline_label)
        return _(
            "Overdue %(deadline)s - escalated to %(level)s",
            deadline=deadline_label,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        if level == sla_rules.LEVEL_REMINDER:
            return "pm_customer_service.mail_template_pm_case_reminder"
        return "pm_customer_service.mail_template_pm_case_escalation"

    def _pm_escalation_mail_context(self, kind, level):
        return {"pm_deadline_label": self._pm_deadline_label(kind)}

    @api.model
    def _param(self, key):
        return settings.get(self.env, PARAM + key)

    @api.model
    @workflow_action
    def _cron_pm_auto_upgrade(self, batch_size=500):
        """R-SEV-2: valid complaints still open after N days become major."""
        days = self._param("auto_major_days")
        now = fields.Datetime.now()
        cases = self.search(
            [
                ("intake_date", "<=", now - timedelta(days=days)),
                ("request_type", "=", "complaint"),
                ("validity", "=", "valid"),
                ("severity", "!=", "major"),
                ("state", "in", OPEN_STATES),
            ],
            limit=batch_size,
        )
        for case in cases:
            if not sla_rules.should_upgrade_to_major(
                True, True, case.severity, case.intake_date, now, days
            ):
                continue
            case.write({"severity": "major", "auto_major_date": now})
            case.message_post(
                body=_(
                    "Upgraded to major: still open %s days after intake.",
                    days,
                )
            )
        if len(cases) == batch_size:
            self.env.ref("pm_customer_service.ir_cron_pm_case_auto_major")._trigger()
        return True

    @workflow_action
    def _check_door_visit(self):
        """R-ESC-2: plan the director's door visit once per case when needed."""
        window = self._param("repeat_window_days")
        Log = self.env["pm.escalation.log"].sudo()
        for case in self:
            if case.request_type not in OPINION_TYPES or case.validity != "valid":
                continue
            previous = []
            if case.partner_id:
                # the latest earlier case is enough: one query, no records read
                previous = [
                    intake
                    for (intake,) in self.sudo()._read_group(
                        [
                            ("partner_id", "=", case.partner_id.id),
                            ("id", "!=", case.id),
                            ("request_type", "in", OPINION_TYPES),
                            (
                                "intake_date",
                                ">=",
                                case.intake_date - timedelta(days=window),
                            ),
                            ("intake_date", "<=", case.intake_date),
                        ],
                        aggregates=["intake_date:max"],
                    )
                    if intake
                ]
            reasons = sla_rules.door_visit_reasons(
                case.severity, case.channel, previous, case.intake_date, window
            )
            if not reasons:
                continue
            director = case.property_id.director_id
            if not Log._try_insert(
                case._name,
                case.id,
                "door_visit",
                1,
                director.id,
                case.company_id.id,
                case.property_id.id,
            ):
                continue
            case._plan_door_visit(reasons, director)

    @api.model
    def _door_visit_reason_labels(self):
        return {
            "major": _("major case"),
            "head_office": _("forwarded by head office"),
            "repeat": _("repeated complaint of the same owner"),
        }

    def _plan_door_visit(self, reasons, director):
        self.ensure_one()
        today = self.property_id._pm_today()
        due = (
            today
            if "head_office" in reasons
            else today + timedelta(days=self._param("door_visit_days"))
        )
        # the field shows the reasons in the reader's language
        self.write(
            {"door_visit_required": True, "door_visit_reason_keys": ",".join(reasons)}
        )
        visit = self._pm_create_return_visit(
            method="door", due_date=due, visitor_id=director.id or False
        )
        if director:
            # the activity is written in the director's language, whoever runs this
            case = self.with_context(lang=director.lang or self.env.lang)
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=director.id,
                date_deadline=due,
                summary=case.env._("Director door visit: %s", case.door_visit_reason),
                note=case.env._(
                    "Visit the owner in person (return visit %s).", visit.name
                ),
            )

    # ------------------------------------------------------------
    # MESSAGING
    # ------------------------------------------------------------

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("pm_customer_service.mt_pm_case_stage")
        return super()._track_subtype(init_values)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """R-INTAKE-4: an email to a property's address becomes a case in the
        front desk's queue. The sender is matched to an owner or tenant by email
        (whose only unit of the property becomes the case's unit); an unknown
        sender is recorded as the contact, never dropped."""
        values = dict(custom_values or {})
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        prop = self.env["pm.property"].browse(values.get("property_id"))
        partner = self._pm_match_sender(email, prop)
        units = partner.pm_owned_unit_ids | partner.pm_rented_unit_ids
        if prop:
            units = units.filtered(lambda u: u.property_id == prop)
        elif len(units.property_id) == 1:
            prop = units.property_id
        if not prop:
            raise UserError(_("This address does not belong to a property."))
        subject = (msg_dict.get("subject") or "").strip()
        description = html2plaintext(msg_dict.get("body") or "").strip()
        values.update(
            {
                # the gateway names new records after the subject: keep the number
                "name": "/",
                "property_id": prop.id,
                "subject": subject or _("Email from %s", name or email),
                "description": description or subject or _("(empty email)"),
                "channel": "email",
                "partner_id": partner.id,
                "unit_id": units.id if len(units) == 1 else False,
                "contact_name": partner.name or name or email,
                "contact_method": "email",
                "contact_info": email,
            }
        )
        case = super().message_new(msg_dict, custom_values=values)
        if partner:
            case.message_subscribe(partner_ids=partner.ids)
        return case

    def message_update(self, msg_dict, update_vals=None):
        """R-INTAKE-4: a reply threads into its case (the gateway posts it for the
        followers); the alias defaults never overwrite the case."""
        return super().message_update(msg_dict, update_vals=None)

    @api.model
    def _pm_match_sender(self, email, prop):
        """The owner or tenant writing from ``email``, preferring one with a unit
        in ``prop``; an empty recordset for an unknown sender."""
        normalized = email_normalize(email or "")
        if not normalized:
            return self.env["res.partner"]
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", normalized)])
            .filtered(lambda p: p.pm_is_owner or p.pm_is_tenant)
        )
        local = partners.filtered(
            lambda p: prop in (p.pm_owned_unit_ids | p.pm_rented_unit_ids).property_id
        )
        return (local or partners)[:1]

    def _notify_assignment(self):
        """R-DISPATCH-1: the responsible person and the team leader are told."""
        for case in self:
            partners = case.user_id.partner_id | case.team_id.leader_id.partner_id
            case.message_subscribe(partner_ids=case.user_id.partner_id.ids)
            case._send_template(
                "pm_customer_service.mail_template_pm_case_assignment",
                partners=partners,
            )

    def _pm_notify_moved_activities(self, field_name, user, activities):
        # the new responsible already gets the assignment email
        if field_name == "user_id":
            return None
        return super()._pm_notify_moved_activities(field_name, user, activities)

    def _message_auto_subscribe_notify(self, partner_ids, template):
        """The assignment template of ``_notify_assignment`` is the one "assigned
        to you" email (R-MAIL-1); the responsible person is still subscribed."""

    def _send_template(self, template, partners=None):
        """Queue a template email, one per recipient language (never sent
        synchronously, SPEC §4, R-MAIL-1)."""
        if isinstance(template, str):
            # the cached xmlid lookup, not env.ref's existence query per email
            template = self.env["mail.template"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    template, raise_if_not_found=False
                )
            )
        if not template:
            return
        for case in self:
            recipients = partners if partners is not None else case.partner_id
            mails = case._pm_queue_template(
                template,
                recipients,
                email_layout_xmlid="mail.mail_notification_light",
            )
            if partners is None:
                case._pm_show_on_portal(template, mails)

    def _pm_show_on_portal(self, template, mails):
        """The owner's emails (receipt, decision, new date, closure) are messages
        of the case the owner reads on the portal: public, without the email
        layout. Staff emails stay out of the portal."""
        self.ensure_one()
        if not mails:
            return
        bodies = template._render_field("body_html", self.ids, compute_lang=True)
        mails.mail_message_id.sudo().write(
            {
                "body": bodies[self.id],
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "is_internal": False,
            }
        )

    def _get_promised_time(self):
        """The reply time promised in the receipt, on the property's clock, as
        the owner's language writes it (R-TZ-2)."""
        self.ensure_one()
        return self.property_id._pm_local_text(
            self.reply_deadline or self.resolve_deadline
        )

    def _get_local_time(self, field_name):
        """A time of the case as an email's reader reads it: on the property's
        clock, in the reader's language (R-TZ-2)."""
        self.ensure_one()
        return self.property_id._pm_local_text(self[field_name])

    def _local_label(self, value):
        """``value`` (UTC) as the property's wall clock reads it, e.g. for the
        owner's email and the chatter (R-TZ-1)."""
        self.ensure_one()
        return clock.local_stamp(value, self.property_id.tz)
