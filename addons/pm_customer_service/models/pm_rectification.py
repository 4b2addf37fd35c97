# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.vocabulary import SATISFACTION_LEVELS
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import sla_rules

RECTIFICATION_SOURCES = [
    ("complaint", "Complaint"),
    ("visit", "Visit"),
    ("quality", "Quality Analysis"),
    ("survey", "Survey Campaign"),
    ("other", "Other"),
]


class PmRectification(models.Model):
    """A rectification record (整改措施落实情况记录, R-RECT-1): a problem, the measure
    taken by a responsible team, its deadline, evidence, verification and the owner's
    return-visit result."""

    _name = "pm.rectification"
    _description = "Rectification"
    _inherit = [
        "pm.escalation.mixin",
        "pm.property.record.mixin",
        "pm.return.visit.mixin",
        "pm.workflow.guard.mixin",
        "pm.assignment.mixin",
    ]
    _order = "deadline, id desc"
    _pm_protected_fields = (
        "state",
        "done_date",
        "verified_by_id",
        "verified_on",
        "on_time",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("verified", "cancelled")
    # the scheduled action escalating these records, re-triggered when work is left
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_rectification_escalate"
    # R-PICK-1: a reassignment moves the open activities of the former holder
    _pm_assignee_fields = {"user_id": "", "team_id": "leader_id"}

    # where the problem comes from
    source_type = fields.Selection(
        RECTIFICATION_SOURCES, required=True, default="other", index=True
    )
    res_model = fields.Char(string="Source Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", index=True, readonly=True
    )
    source_name = fields.Char(compute="_compute_source_name", string="Source")
    partner_id = fields.Many2one(
        "res.partner", string="Owner", help="Owner to call back once rectified."
    )
    callback_partner_ids = fields.Many2many(
        "res.partner",
        "pm_rectification_callback_partner_rel",
        "rectification_id",
        "partner_id",
        string="Other Owners to Call Back",
        help="Further owners concerned (e.g. by a survey item) who get a return "
        "visit once the rectification is verified.",
    )
    # what is done, by whom, by when
    problem = fields.Text(required=True)
    team_id = fields.Many2one(
        "pm.team",
        string="Responsible Team",
        tracking=True,
        domain="['|', ('property_id', '=', property_id), ('property_id', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    measure = fields.Text(string="Corrective Measure", tracking=True)
    deadline = fields.Date(required=True, index=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("verified", "Verified"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # completion and verification
    completion_note = fields.Text(string="Completion", copy=False)
    done_date = fields.Date(copy=False, readonly=True)
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "pm_rectification_evidence_rel",
        "rectification_id",
        "attachment_id",
        copy=False,
    )
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verified_on = fields.Datetime(readonly=True, copy=False)
    verification_note = fields.Text(copy=False)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )
    on_time = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="Done on or before the deadline.",
    )
    last_return_visit_id = fields.Many2one(
        "pm.return.visit", compute="_compute_last_return_visit"
    )
    # computed with the visit it comes from (a related field on a non-stored,
    # non-searchable compute would not be searchable either)
    return_visit_result = fields.Selection(
        SATISFACTION_LEVELS,
        compute="_compute_last_return_visit",
    )

    @api.depends("res_model", "res_id")
    def _compute_source_name(self):
        for rect in self:
            source = (
                rect.res_model in self.env
                and rect.res_id
                and self.env[rect.res_model].browse(rect.res_id).exists()
            )
            rect.source_name = source.display_name if source else False

    @api.depends("deadline", "state", "property_id.tz")
    def _compute_is_overdue(self):
        # R-TZ-1: the deadline ends with its day at the property, not the user's
        for rect in self:
            rect.is_overdue = rect.state in ("draft", "in_progress") and (
                rect.deadline < rect.property_id.sudo()._pm_today()
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Overdue."))
        domain = Domain.AND(
            [
                [("state", "in", ("draft", "in_progress"))],
                self.env["pm.property"]._pm_today_domain("deadline", "<"),
            ]
        )
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("done_date", "deadline")
    def _compute_on_time(self):
        for rect in self:
            rect.on_time = bool(rect.done_date) and rect.done_date <= rect.deadline

    @api.depends("return_visit_ids.state", "return_visit_ids.satisfaction")
    def _compute_last_return_visit(self):
        for rect in self:
            done = rect.return_visit_ids.filtered(lambda v: v.state == "done")
            last = done.sorted("done_date")[-1:]
            rect.last_return_visit_id = last
            rect.return_visit_result = last.satisfaction

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # R-TZ-1: "the past" is before today at the property
            prop = self.env["pm.property"].browse(
                vals.get("property_id") or self.env.context.get("default_property_id")
            )
            self._pm_check_deadline(vals.get("deadline"), prop)
        rects = super().create(vals_list)
        rects._pm_escalation_reschedule()
        return rects

    def write(self, vals):
        if vals.get("deadline"):
            # a deadline moved (not one written again unchanged) is not in the
            # past either, today at the record's property; checked before
            # anything is saved
            deadline = fields.Date.to_date(vals["deadline"])
            prop = self.env["pm.property"].browse(vals.get("property_id"))
            for rect in self.filtered(lambda r: r.deadline != deadline):
                self._pm_check_deadline(deadline, prop or rect.property_id)
        res = super().write(vals)
        if {"deadline", "state", "property_id"} & set(vals):
            self._pm_escalation_reschedule()
        return res

    @api.model
    def _pm_check_deadline(self, deadline, prop):
        """A deadline is never before today at the property (R-TZ-1)."""
        today = prop.sudo()._pm_today() if prop else fields.Date.context_today(self)
        if deadline and fields.Date.to_date(deadline) < today:
            raise ValidationError(
                _("The deadline of a rectification cannot be in the past.")
            )

    def _pm_retention_kept(self):
        return self.filtered(lambda rect: rect.state != "draft")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_start(self):
        for rect in self:
            if rect.state != "draft":
                raise UserError(_("Rectification %s has already started.", rect.name))
            if not (rect.measure and (rect.team_id or rect.user_id)):
                raise UserError(
                    _(
                        "Rectification %s needs a measure and a responsible team or "
                        "person before it starts.",
                        rect.name,
                    )
                )
        self.write({"state": "in_progress"})
        return True

    @workflow_action
    def action_done(self):
        for rect in self:
            if rect.state != "in_progress":
                raise UserError(_("Rectification %s is not in progress.", rect.name))
            if not (rect.completion_note or rect.evidence_ids):
                raise UserError(
                    _(
                        "Record how rectification %s was completed (a note or "
                        "evidence) before marking it done.",
                        rect.name,
                    )
                )
        for rect in self:
            rect.write({"state": "done", "done_date": rect.property_id._pm_today()})
        return True

    @workflow_action
    def action_verify(self):
        """Verification by the director or quality department; the owner concerned
        then gets a return visit (R-RECT-1)."""
        if not self.env.user.has_group("pm_base.group_pm_director"):
            raise UserError(_("Only a director or the quality department can verify."))
        for rect in self:
            if rect.state != "done":
                raise UserError(_("Rectification %s is not done yet.", rect.name))
        self.write(
            {
                "state": "verified",
                "verified_by_id": self.env.uid,
                "verified_on": fields.Datetime.now(),
            }
        )
        for rect in self:
            today = rect.property_id._pm_today()
            for partner in rect.partner_id | rect.callback_partner_ids:
                unit = (
                    rect.unit_id
                    or partner.pm_owned_unit_ids.filtered(
                        lambda u, r=rect: u.property_id == r.property_id
                    )[:1]
                )
                rect._pm_create_return_visit(
                    partner_id=partner.id, unit_id=unit.id, due_date=today
                )
        return True

    @workflow_action
    def action_reject_verification(self):
        if not self.env.user.has_group("pm_base.group_pm_director"):
            raise UserError(
                _("Only a director or the quality department can reject a result.")
            )
        for rect in self:
            if rect.state != "done":
                raise UserError(_("Rectification %s is not done yet.", rect.name))
            if not rect.verification_note:
                raise UserError(
                    _("Say in the verification note why %s is not accepted.", rect.name)
                )
        self.write({"state": "in_progress", "done_date": False})
        return True

    @workflow_action
    def action_cancel(self):
        self.filtered(lambda r: r.state in ("draft", "in_progress")).write(
            {"state": "cancelled"}
        )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_return_visit_values(self):
        vals = super()._pm_return_visit_values()
        vals["method"] = "phone"
        return vals

    def _pm_return_visit_briefs(self):
        return {rect.id: (rect.problem, False) for rect in self}

    def _pm_awaits_return_visit(self, visit):
        return self.state == "verified"

    def _pm_return_visit_dissatisfied(self, visit):
        """An owner still dissatisfied sends the rectification back to work."""
        self.write({"state": "in_progress", "done_date": False})
        self.message_post(
            body=_(
                "The owner is not satisfied (return visit %s): rectification "
                "reopened.",
                visit.name,
            )
        )

    @api.model
    def _pm_prepare_from_source(self, record, source_type, problem, **values):
        """Values of a rectification raised from ``record`` (a complaint, visit
        issue, survey opinion, …)."""
        vals = {
            "source_type": source_type,
            "res_model": record._name,
            "res_id": record.id,
            "problem": problem,
        }
        vals.update(values)
        return vals

    # ------------------------------------------------------------
    # ESCALATION (R-RECT-1: overdue measures escalate like cases)
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        """The deadline ends with its day in the property's time zone."""
        self.ensure_one()
        if self.state not in ("draft", "in_progress") or not self.deadline:
            return False, False
        return "deadline", clock.to_utc(
            self.deadline, self.property_id.tz, clock.END_OF_DAY
        )

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "deadline":
            return _("Rectification deadline")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        reasons = {
            "done": _("the rectification is done"),
            "verified": _("the rectification is verified"),
            "cancelled": _("the rectification is cancelled"),
        }
        return reasons.get(self.state) or super()._pm_escalation_end_reason(kind)

    def _pm_escalation_responsible(self):
        self.ensure_one()
        return self.user_id or self.team_id.leader_id

    def _pm_escalation_team_leader(self):
        self.ensure_one()
        return self.team_id.leader_id or self.property_id.team_id.leader_id

    def _pm_escalation_summary(self, kind, level):
        if level == sla_rules.LEVEL_REMINDER:
            return _("Rectification %s is due today", self.name)
        return _(
            "Rectification %(name)s is overdue - escalated to %(level)s",
            name=self.name,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_customer_service.mail_template_pm_rectification_escalation"
