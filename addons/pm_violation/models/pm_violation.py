# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.pm_base.tools import clock, cron, images, settings
from odoo.addons.pm_base.tools.write_guard import is_trusted, workflow_action

from ..tools import violation_rules as rules

KINDS = [
    ("decoration", "Decoration"),
    ("common_area", "Occupation of Common Areas"),
    ("pet", "Pets"),
    ("parking", "Parking"),
    ("other", "Other"),
]
MEASURES = [
    ("verbal", "Verbal Warning"),
    ("written", "Written Notice"),
    ("fine", "Fine"),
]
STATES = [
    ("recorded", "Recorded"),
    ("notified", "Notified"),
    ("rectifying", "Rectifying"),
    ("follow_up", "Follow-up Inspection"),
    ("rectified", "Rectified"),
    ("escalated", "Escalated"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# held to the deadline: not rectified yet
OPEN_STATES = ("recorded", "notified", "rectifying", "follow_up", "escalated")
# the deadline cron moves these onto the ladder when their deadline has come
CRON_STATES = ("recorded", "notified", "rectifying", "follow_up")
# a follow-up inspection may be recorded
INSPECTABLE_STATES = ("notified", "rectifying", "follow_up", "escalated")
AGENT = "pm_base.group_pm_agent"
DIRECTOR = "pm_base.group_pm_director"
TECHNICIAN = "pm_base.group_pm_technician"
INSPECTION_ACTIVITY = "pm_violation.mail_activity_type_pm_violation_inspection"
NOTICE_TEMPLATE = "pm_violation.mail_template_pm_violation_notice"
NOTICE_REPORT = "pm_violation.action_report_pm_violation_notice"


class PmViolation(models.Model):
    """A resident's violation on a unit (seed 001 住户违章处理 §3): found on
    patrol and recorded with evidence (§3.1, §3.2(1)), the owner warned with a
    written rectification notice (§3.2(2), §3.3(1)), a deadline by kind, follow-up
    inspections, the escalation ladder when the deadline passes, and closure."""

    _name = "pm.violation"
    _description = "Violation"
    _inherit = [
        "pm.escalation.mixin",
        "pm.property.record.mixin",
        "pm.workflow.guard.mixin",
        "portal.mixin",
    ]
    _order = "found_at desc, id desc"
    _pm_protected_fields = (
        "state",
        "notified_on",
        "notified_by_id",
        "acknowledged_on",
        "acknowledged_partner_id",
        "closed_on",
        "closed_by_id",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("closed", "cancelled")
    _pm_escalation_cron_xmlid = "pm_violation.ir_cron_pm_violation_deadlines"

    # where and who
    unit_id = fields.Many2one(required=True, tracking=True)
    building_id = fields.Many2one(
        related="unit_id.building_id", store=True, index=True, string="Building"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner or Tenant",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        tracking=True,
        help="The resident responsible for the violation; the notice goes to the "
        "unit's owners and to this person.",
    )
    # what was found
    kind = fields.Selection(KINDS, required=True, default="decoration", tracking=True)
    description = fields.Text(string="Facts", required=True)
    location = fields.Char(help="Where exactly, e.g. the corridor of the 5th floor.")
    measure = fields.Selection(
        MEASURES, default="written", required=True, tracking=True
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        "pm_violation_photo_rel",
        "violation_id",
        "attachment_id",
        string="Evidence Photos",
        copy=False,
    )
    found_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        required=True,
    )
    found_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        index=True,
        help="Follows the rectification up and inspects it.",
    )
    # the deadline (by rule from the kind and the local day found)
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        string="Rectify By",
        help="The last day to rectify, at the property.",
    )
    deadline_at = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        index=True,
        string="Deadline Ends",
        help="The local midnight ending the last day.",
    )
    state = fields.Selection(
        STATES,
        default="recorded",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # the notice and the owner's receipt
    notified_on = fields.Datetime(readonly=True, copy=False)
    notified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    acknowledged_on = fields.Datetime(
        string="Receipt Acknowledged", readonly=True, copy=False
    )
    acknowledged_partner_id = fields.Many2one(
        "res.partner", string="Acknowledged By", readonly=True, copy=False
    )
    # follow-up inspections and closure
    inspection_ids = fields.One2many(
        "pm.violation.inspection", "violation_id", string="Follow-up Inspections"
    )
    inspection_count = fields.Integer(compute="_compute_inspection_count")
    passed_date = fields.Date(
        compute="_compute_passed",
        store=True,
        string="Passed On",
        help="The local day of the inspection that passed.",
    )
    on_time = fields.Boolean(
        compute="_compute_passed",
        store=True,
        string="Rectified on Time",
    )
    closed_on = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closing_note = fields.Text(copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", string="Overdue")

    @api.depends("unit_id")
    def _compute_partner_id(self):
        for violation in self:
            unit = violation.unit_id
            if unit and violation.partner_id not in (unit.owner_ids | unit.tenant_ids):
                violation.partner_id = unit.owner_ids[:1] or unit.tenant_ids[:1]

    @api.depends("kind", "found_at", "property_id.tz")
    def _compute_deadline(self):
        days = {
            kind: settings.get(self.env, rules.days_key(kind)) for kind in rules.KINDS
        }
        for violation in self:
            if not violation.found_at:
                violation.deadline = violation.deadline_at = False
                continue
            tz = violation.property_id.tz
            found = clock.local_time(violation.found_at, tz).date()
            last_day = rules.deadline_date(violation.kind, found, days)
            violation.deadline = last_day
            violation.deadline_at = rules.deadline_at(last_day, tz)

    @api.depends("inspection_ids.result", "inspection_ids.inspected_on", "deadline")
    def _compute_passed(self):
        for violation in self:
            inspections = violation.inspection_ids.sorted(
                lambda i: (i.inspected_on, i.id)
            )
            last = inspections[-1:]
            passed = rules.may_close(inspections.mapped("result"))
            violation.passed_date = last.inspected_date if passed else False
            violation.on_time = rules.rectified_on_time(
                violation.deadline, violation.passed_date
            )

    @api.depends("inspection_ids")
    def _compute_inspection_count(self):
        for violation in self:
            violation.inspection_count = len(violation.inspection_ids)

    @api.depends("deadline_at", "passed_date", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for violation in self:
            violation.is_overdue = violation.state in OPEN_STATES and rules.is_overdue(
                violation.deadline_at, now, bool(violation.passed_date)
            )

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for violation in self:
            violation.access_url = f"/my/violations/{violation.id}"
        return res

    @api.constrains("photo_ids")
    def _check_photos(self):
        """Evidence photos are real images of bounded size, checked (and large
        ones downscaled) as every upload is."""
        for violation in self:
            violation.photo_ids._pm_check_violation_images()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if {"kind", "found_at", "unit_id"} & set(vals) and not is_trusted(self.env):
            if any(v.state != "recorded" for v in self):
                raise UserError(
                    _(
                        "The facts of a violation (kind, unit, when it was found) "
                        "cannot change once the owner is notified."
                    )
                )
        res = super().write(vals)
        if {"state", "kind", "found_at", "property_id"} & set(vals):
            self._pm_escalation_reschedule()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        violations = super().create(vals_list)
        violations._pm_escalation_reschedule()
        return violations

    def _pm_retention_kept(self):
        return self.filtered(lambda v: v.state != "recorded")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _pm_check_group(self, group, message):
        if not self.env.user.has_group(group):
            raise AccessError(message)
        # the record rules: only the properties the user works for
        self.check_access("write")

    @workflow_action
    def action_notify(self):
        """Warn the owner (§3.2(2)): the rectification notice, emailed with its
        PDF, and shown on their portal."""
        self._pm_check_group(AGENT, _("Only customer service may notify an owner."))
        for violation in self:
            if violation.state != "recorded":
                raise UserError(
                    _("The owner of violation %s is already notified.", violation.name)
                )
            if not violation.photo_ids and not violation.description:
                raise UserError(_("Record the facts of %s first.", violation.name))
        self.write(
            {
                "state": "notified",
                "notified_on": fields.Datetime.now(),
                "notified_by_id": self.env.uid,
            }
        )
        self._pm_send_owner_notice()
        return True

    @workflow_action
    def action_record_acknowledgement(self):
        """Staff record a receipt given on paper or in person."""
        self._pm_check_group(AGENT, _("Only customer service may record a receipt."))
        for violation in self:
            violation._pm_acknowledge(violation.partner_id)
        return True

    @workflow_action
    def _pm_acknowledge(self, partner):
        """The owner acknowledges receipt of the notice: the rectification starts."""
        self.ensure_one()
        if self.state != "notified":
            raise UserError(_("The notice of %s is already acknowledged.", self.name))
        self.write(
            {
                "state": "rectifying",
                "acknowledged_on": fields.Datetime.now(),
                "acknowledged_partner_id": partner.id,
            }
        )
        self._message_log(
            body=_("%s acknowledged receipt of the notice.", partner.name or "")
        )
        return True

    @workflow_action
    def action_request_inspection(self):
        """The resident says it is rectified: a follow-up inspection is due."""
        self._pm_check_group(AGENT, _("Only customer service may ask for inspection."))
        for violation in self:
            if violation.state not in ("notified", "rectifying", "escalated"):
                raise UserError(
                    _("Violation %s is not being rectified.", violation.name)
                )
        self.write({"state": "follow_up"})
        self._pm_schedule_inspection()
        return True

    def action_add_inspection(self):
        """Open the form of a new follow-up inspection of this violation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.violation.inspection",
            "view_mode": "form",
            "target": "new",
            "context": {"default_violation_id": self.id},
        }

    @workflow_action
    def action_close(self):
        """The director closes a violation after a passed inspection."""
        self._pm_check_group(DIRECTOR, _("Only the director may close a violation."))
        for violation in self:
            results = violation.inspection_ids.sorted(
                lambda i: (i.inspected_on, i.id)
            ).mapped("result")
            if violation.state != "rectified" or not rules.may_close(results):
                raise UserError(
                    _(
                        "Violation %s can be closed only after a follow-up "
                        "inspection has passed.",
                        violation.name,
                    )
                )
        self.write(
            {
                "state": "closed",
                "closed_on": fields.Datetime.now(),
                "closed_by_id": self.env.uid,
            }
        )
        self._pm_close_inspection_activities()
        return True

    @workflow_action
    def action_cancel(self):
        """The director cancels a violation recorded by mistake."""
        self._pm_check_group(DIRECTOR, _("Only the director may cancel a violation."))
        for violation in self:
            if violation.state in ("closed", "cancelled"):
                raise UserError(_("Violation %s is already finished.", violation.name))
            if not violation.closing_note:
                raise UserError(
                    _("Say in the closing note why %s is cancelled.", violation.name)
                )
        self.write({"state": "cancelled"})
        self._pm_close_inspection_activities()
        return True

    def action_print_notice(self):
        return self.env.ref(NOTICE_REPORT).report_action(self)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_notice_recipients(self):
        """The owners of the unit and the resident responsible."""
        self.ensure_one()
        return self.unit_id.owner_ids | self.partner_id

    def _pm_send_owner_notice(self):
        """Send the rectification notice to each owner once, on the owner's
        channel (R-CHANNEL-1): by email with the PDF attached, or by SMS or
        WeChat with the link of the notice's page. The one place a notice
        leaves."""
        template = self.env.ref(NOTICE_TEMPLATE)
        router = self.env["pm.owner.notify"].sudo()
        for violation in self:
            partners = violation._pm_notice_recipients()
            notice = violation._pm_notice_attachment()
            sender = violation.with_context(pm_violation_notice_id=notice.id)
            reached = partners.browse()
            for partner in partners:
                if router._pm_notify(
                    sender,
                    "violation",
                    partner,
                    values=sender._pm_channel_values,
                    email_template=template,
                ):
                    reached |= partner
            violation._message_log(
                body=_(
                    "Rectification notice sent to %s.",
                    ", ".join(reached.mapped("name")) or _("nobody (no email)"),
                ),
                attachment_ids=notice.ids,
            )

    def _pm_channel_values(self):
        """What an SMS or WeChat message of the notice says, in the language of
        the unit's owner."""
        self.ensure_one()
        owner = self.unit_id.owner_ids[:1] or self.partner_id
        violation = self.with_context(lang=owner.lang or self.env.lang)
        return {
            "property": violation.property_id.name or "",
            "violation_deadline": violation.property_id._pm_local_text(
                violation.deadline, date_only=True
            ),
            "violation_link": f"{violation.get_base_url().rstrip('/')}"
            f"{violation.access_url}",
        }

    def _pm_owner_email(self, template, partner):
        """The notice's email to one owner (the router's email channel), the
        PDF attached."""
        self.ensure_one()
        notice_id = self.env.context.get("pm_violation_notice_id")
        values = {"attachment_ids": [(4, notice_id)]} if notice_id else None
        return self.sudo()._pm_queue_template(template, partner, email_values=values)

    def _pm_notice_attachment(self):
        """The notice as sent, kept on the violation; none when the PDF cannot be
        made now (the email still goes, the owner's portal gives the PDF)."""
        self.ensure_one()
        if self.env.context.get("pm_violation_no_pdf"):
            # the demo is made while no server answers the PDF's styles
            return self.env["ir.attachment"]
        try:
            content, kind = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf(NOTICE_REPORT, self.ids)
            )
        except UserError as error:
            self._message_log(
                body=_("The notice PDF could not be attached: %s", error.args[0])
            )
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": _("Rectification Notice - %s", self.name) + f".{kind}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                }
            )
        )

    @workflow_action
    def _pm_after_inspection(self, inspection):
        """A follow-up inspection recorded: passed, the violation is rectified;
        failed, rectification goes on (still escalated when overdue)."""
        self.ensure_one()
        if inspection.result == rules.PASSED:
            self.write({"state": "rectified"})
            self._pm_close_inspection_activities()
        else:
            state = "escalated" if self.escalation_level != "0" else "rectifying"
            self.write({"state": state})

    def _pm_schedule_inspection(self):
        """The follow-up inspection activity of the responsible person, due
        today at the property; one open at a time."""
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(INSPECTION_ACTIVITY)
        for violation in self:
            user = violation.user_id or violation.found_by_id
            if violation.sudo().activity_ids.filtered(
                lambda a, t=type_id: a.activity_type_id.id == t
            ):
                continue
            violation.sudo().with_context(
                mail_activity_quick_update=True
            ).activity_schedule(
                act_type_xmlid=INSPECTION_ACTIVITY,
                user_id=user.id,
                summary=_("Follow-up inspection of %s", violation.name),
                date_deadline=violation.property_id._pm_today(),
            )

    def _pm_close_inspection_activities(self):
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(INSPECTION_ACTIVITY)
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id.id == type_id
        )
        if activities:
            activities.action_feedback(feedback=_("Inspection passed or closed."))

    @workflow_action
    def _pm_mark_overdue(self, now):
        """Past the deadline without a passed inspection: escalated, the
        follow-up inspection scheduled, and the first step of the ladder."""
        overdue = self.filtered(
            lambda v: v.state in CRON_STATES
            and rules.is_overdue(v.deadline_at, now, bool(v.passed_date))
        )
        if not overdue:
            return
        overdue.write({"state": "escalated"})
        overdue._pm_schedule_inspection()
        overdue._pm_escalate(now)

    @api.model
    @cron.exclusive_run
    def _cron_pm_violation_deadlines(self, batch_size=None):
        """Move the violations past their deadline onto the escalation ladder,
        then step the ladder on (each level once)."""
        batch_size = batch_size or self._pm_escalation_param("escalation_batch_size")
        now = fields.Datetime.now()
        cron.run_in_batches(
            self,
            "_cron_pm_violation_deadlines",
            [("state", "in", CRON_STATES), ("deadline_at", "<=", now)],
            lambda records: records._pm_mark_overdue(now),
            batch_size,
            self._pm_escalation_retrigger,
            order="deadline_at, id",
        )
        return self._cron_pm_escalate(batch_size)

    # ------------------------------------------------------------
    # ESCALATION
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        self.ensure_one()
        if self.state not in OPEN_STATES or not self.deadline_at:
            return False, False
        return "violation_deadline", self.deadline_at

    def _pm_escalation_reminder_hours(self, kind):
        # the notice told the owner the deadline; staff hear when it is missed
        return 0

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "violation_deadline":
            return _("Rectification deadline of a violation")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        reasons = {
            "rectified": _("the violation is rectified"),
            "closed": _("the violation is closed"),
            "cancelled": _("the violation is cancelled"),
        }
        return reasons.get(self.state) or super()._pm_escalation_end_reason(kind)

    def _pm_escalation_responsible(self):
        self.ensure_one()
        return self.user_id or self.found_by_id

    def _pm_escalation_team_leader(self):
        self.ensure_one()
        return self.property_id.team_id.leader_id

    def _pm_escalation_summary(self, kind, level):
        return _(
            "Violation %(name)s is not rectified by its deadline - escalated to "
            "%(level)s",
            name=self.name,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_violation.mail_template_pm_violation_escalation"

    # ------------------------------------------------------------
    # DISPLAY
    # ------------------------------------------------------------

    def _pm_local(self, value, date_only=False):
        """A stored datetime (or a date) as an owner reads it, on the property's
        clock and in the reader's language: the notice and the portal."""
        self.ensure_one()
        return self.property_id._pm_local_text(value, date_only=date_only)

    def _pm_kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env)).get(
            self.kind, ""
        )


class PmViolationInspection(models.Model):
    """A follow-up inspection of a violation: when, by whom, the result and
    photos. Kept as recorded."""

    _name = "pm.violation.inspection"
    _description = "Violation Follow-up Inspection"
    _order = "inspected_on, id"

    violation_id = fields.Many2one(
        "pm.violation", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="violation_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="violation_id.company_id", store=True)
    inspected_on = fields.Datetime(
        string="Inspected At", default=fields.Datetime.now, required=True
    )
    inspected_date = fields.Date(
        compute="_compute_inspected_date", store=True, string="Inspection Day"
    )
    inspector_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        required=True,
        domain="[('share', '=', False)]",
    )
    result = fields.Selection(
        [(rules.PASSED, "Passed"), (rules.FAILED, "Not Rectified")], required=True
    )
    note = fields.Text(string="Findings")
    photo_ids = fields.Many2many(
        "ir.attachment",
        "pm_violation_inspection_photo_rel",
        "inspection_id",
        "attachment_id",
        string="Photos",
    )

    @api.depends("inspected_on", "violation_id.property_id.tz")
    def _compute_inspected_date(self):
        for inspection in self:
            inspection.inspected_date = (
                clock.local_time(
                    inspection.inspected_on, inspection.violation_id.property_id.tz
                ).date()
                if inspection.inspected_on
                else False
            )

    @api.constrains("photo_ids")
    def _check_photos(self):
        for inspection in self:
            inspection.photo_ids._pm_check_violation_images()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group(TECHNICIAN) and not is_trusted(self.env):
            raise AccessError(_("Only staff may record a follow-up inspection."))
        inspections = super().create(vals_list)
        for inspection in inspections:
            violation = inspection.violation_id
            # the staff of the violation's property only (its record rules)
            violation.check_access("read")
            if violation.state not in INSPECTABLE_STATES:
                raise UserError(
                    _(
                        "Violation %s is not awaiting a follow-up inspection.",
                        violation.name,
                    )
                )
            if inspection.result == rules.FAILED and not inspection.note:
                raise ValidationError(
                    _("Say what is still not rectified when an inspection fails.")
                )
            violation.sudo()._pm_after_inspection(inspection)
        return inspections

    def write(self, vals):
        if not is_trusted(self.env):
            raise UserError(_("A follow-up inspection is kept as it was recorded."))
        return super().write(vals)

    def unlink(self):
        if not is_trusted(self.env):
            raise UserError(_("A follow-up inspection is kept as it was recorded."))
        return super().unlink()


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _pm_check_violation_images(self):
        """Check each photo with the one image check; a bad one is refused with
        its reason (the whole save is undone)."""
        for attachment in self.sudo():
            raw = attachment.raw or b""
            data, mimetype = images.check_image(self.env, raw, attachment.name)
            if data is not raw or attachment.mimetype != mimetype:
                attachment.write({"raw": data, "mimetype": mimetype})
