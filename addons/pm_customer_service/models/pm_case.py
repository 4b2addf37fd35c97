# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pm_base.tools import portal_pages
from odoo.addons.pm_base.tools.vocabulary import (
    CASE_STATES,
    REQUEST_TYPES,
    SATISFACTION_LEVELS,
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
# set by the server and the supervisor's actions only (pm_case_short_clocks)
SHORT_CLOCK_FIELDS = (
    "entered_date",
    "transferred_date",
    "supervisor_question",
    "supervisor_id",
    "supervisor_asked_by_id",
    "supervisor_asked_date",
    "supervisor_answer_deadline",
    "supervisor_next_date",
    "supervisor_answer",
    "supervisor_answer_date",
    "supervisor_asked_count",
    "supervisor_answered_count",
    "supervisor_on_time_count",
    "supervisor_answer_rate",
    "help_confirm_measured",
    "help_confirm_rate",
    "response_measured",
    "response_rate",
    "entry_measured",
    "entry_rate",
    "transfer_measured",
    "transfer_rate",
)
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
        "pm.escalation.mixin",
        "pm.property.record.mixin",
        "pm.return.visit.mixin",
        "pm.workflow.guard.mixin",
        "pm.rate.mixin",
        "pm.assignment.mixin",
    ]
    _order = "intake_date desc, id desc"
    # R-VALID-1: the front desk judges a case valid or invalid, not the
    # technician working on it
    # the reception time starts the short response times (R-CLOCK-1)
    _pm_desk_fields = ("validity", "intake_date")
    _rec_names_search = ["name", "subject"]
    # set by the workflow actions, the SLA, the escalation and the return visits
    _pm_protected_fields = (
        "stage_id",
        "state",
        "first_contact_user_id",
        "sla_policy_id",
        "acknowledged_date",
        "first_reply_date",
        "last_owner_update_date",
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
        "first_reply_hours",
        "first_reply_rate",
        "first_reply_measured",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
        # cleared by the desk's "Confirm Sender" only
        "sender_unverified",
        # the visit issue or return visit it was made from (R-LOOP-1)
        "origin_model",
        "origin_id",
        # short response times and the question to the supervisor (R-CLOCK-1)
        *SHORT_CLOCK_FIELDS,
    )
    _pm_frozen_states = ("closed",)
    # the scheduled action escalating these records, re-triggered when work is left
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_case_escalate"
    # R-PICK-1: who holds the case; a reassignment moves their open activities
    _pm_assignee_fields = {"user_id": "", "team_id": "leader_id"}

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
    # R-INTAKE-4: an email whose sender's mail server did not vouch for the From
    # (see mail_rules); attributed to nobody until the desk confirms the sender
    sender_unverified = fields.Boolean(
        string="Unverified Sender",
        readonly=True,
        index=True,
        copy=False,
        help="The email that opened this case failed the sender checks of the "
        "mail server (a forged address is possible): it is attributed to no owner "
        "and no unit until the front desk confirms the sender.",
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
    first_reply_date = fields.Datetime(readonly=True, copy=False)
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
    return_visit_done = fields.Boolean(readonly=True, copy=False)

    _deadline_order = models.Constraint(
        "CHECK(resolve_deadline IS NULL OR acknowledge_deadline IS NULL "
        "OR resolve_deadline >= acknowledge_deadline)",
        "A case cannot have to be resolved before it is acknowledged.",
    )

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
        judged_invalid = self.browse()
        if vals.get("validity") == "invalid":
            judged_invalid = self.filtered(lambda c: c.validity != "invalid")
        res = super().write(vals)
        # R-VALID-1: judged invalid now, whichever way (the action, the form)
        judged_invalid._pm_report_invalid_major()
        if new_stage:
            for case in self.filtered(lambda c: old_stages[c.id] != new_stage):
                case._on_stage_enter(old_stages[case.id])
        if vals.get("user_id"):
            self.filtered(lambda c: old_users[c.id] != c.user_id)._notify_assignment()
        if {"severity", "request_type"} & set(vals):
            self.filtered(lambda c: c.state == "received")._apply_sla()
        if vals.get("severity") == "major":
            self._check_door_visit()
        watched = {
            "stage_id",
            "acknowledged_date",
            "first_reply_date",
            "resolved_date",
            "reopen_count",
        }
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
        """R-DISPATCH-2: a staff member takes the case as its responsible: a
        case of their own team(s), or of no team yet; the director and the
        managers any case of their properties (``pm.assignment.mixin``)."""
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
            self._pm_report_head_office_closed()
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
