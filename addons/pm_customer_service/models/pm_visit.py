# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.pm_base.tools import clock, cron, settings
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import visit_rules

_logger = logging.getLogger(__name__)

VISIT_INTERVAL_PARAM = "pm_customer_service.visit_interval_months"
NEW_OWNER_PARAM = "pm_customer_service.new_owner_visit_months"
# advisory lock class of the due-visit planner (the second key is the property)


VISIT_TYPES = [
    ("periodic", "Periodic"),
    ("special", "Special"),
    ("complaint", "Complaint Visit"),
    ("paid_service", "Paid-service Visit"),
    ("work_order", "Repair Order"),
    ("new_owner", "New Owner"),
]
VISIT_METHODS = [
    ("phone", "Phone"),
    ("door", "Door-to-door"),
    ("patrol", "Daily Patrol"),
]


class PmVisit(models.Model):
    """A visit (走访) to a household, with the issues it raised (R-VIS-1, R-VIS-4)."""

    _name = "pm.visit"
    _description = "Visit"
    _inherit = [
        "pm.owner.visit.mixin",
        "pm.property.record.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "due_date desc, id desc"
    _pm_visit_escalation_kind = "visit"
    # R-VIS-5: done and signed off by their actions only
    _pm_protected_fields = (
        "state",
        "signed_by_id",
        "signed_on",
        "cron_key",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("signed",)
    # R-CLOCK-1: a visit not made by its due date escalates
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_visit_escalate"

    plan_id = fields.Many2one("pm.visit.plan", index=True, ondelete="set null")
    visit_type = fields.Selection(
        VISIT_TYPES,
        string="Type",
        required=True,
        default="periodic",
        index=True,
        tracking=True,
    )
    method = fields.Selection(
        VISIT_METHODS,
        required=True,
        default="door",
        tracking=True,
    )
    visit_date = fields.Datetime(tracking=True, copy=False)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("signed", "Signed Off"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    summary = fields.Text(help="What was discussed with the owner.")
    issue_ids = fields.One2many("pm.visit.issue", "visit_id", string="Issues")
    issue_count = fields.Integer(compute="_compute_issue_counts")
    open_issue_count = fields.Integer(compute="_compute_issue_counts")
    signed_by_id = fields.Many2one("res.users", string="Signed Off By", readonly=True)
    signed_on = fields.Datetime(string="Signed Off On", readonly=True)
    # R-VIS-3: what the due-visit planner planned, once (unique, see the cron)
    cron_key = fields.Char(string="Planner Key", readonly=True, copy=False)

    _cron_key_uniq = models.Constraint(
        "UNIQUE(cron_key)",
        "The planner already planned this visit.",
    )

    @api.depends("issue_ids.state")
    def _compute_issue_counts(self):
        for visit in self:
            visit.issue_count = len(visit.issue_ids)
            visit.open_issue_count = len(
                visit.issue_ids.filtered(lambda i: i.state == "open")
            )

    @api.constrains("visit_date", "due_date", "plan_id")
    def _check_within_plan(self):
        for visit in self.filtered("plan_id"):
            plan = visit.plan_id
            day = visit._visit_day()
            if day and not plan.date_start <= day <= plan.date_end:
                raise ValidationError(
                    _(
                        "Visit %(visit)s on %(day)s is outside its plan %(plan)s "
                        "(%(start)s to %(end)s).",
                        visit=visit.name,
                        day=day,
                        plan=plan.name,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )

    def _pm_retention_kept(self):
        # a planned visit nobody made yet is not a record of the SOP
        return self.filtered(
            lambda v: v.state != "planned" or v.visit_date or v.issue_ids
        )

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._pm_escalation_reschedule()
        return visits

    def write(self, vals):
        res = super().write(vals)
        if {"due_date", "state", "property_id"} & set(vals):
            self._pm_escalation_reschedule()
        if {"due_date", "visit_date", "property_id"} & set(vals):
            # the issues' deadlines count from the day of the visit
            self.issue_ids._pm_escalation_reschedule()
        return res

    # ------------------------------------------------------------
    # ESCALATION (R-CLOCK-1: a visit not made by its due date)
    # ------------------------------------------------------------

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "visit":
            return _("Visit due date")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        reasons = {
            "done": _("the visit is made"),
            "signed": _("the visit is made"),
            "cancelled": _("the visit is cancelled"),
        }
        return reasons.get(self.state) or super()._pm_escalation_end_reason(kind)

    def _pm_escalation_summary(self, kind, level):
        if not level:
            return _("Visit %s is due today", self.name)
        return _(
            "Visit %(name)s is overdue - escalated to %(level)s",
            name=self.name,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_customer_service.mail_template_pm_visit_escalation"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_done(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(_("Visit %s is not planned any more.", visit.name))
        for visit in self:
            visit.write(
                {
                    "state": "done",
                    "visit_date": visit.visit_date or fields.Datetime.now(),
                }
            )
        return True

    @workflow_action
    def action_sign_off(self):
        """R-VIS-5: the property manager reviews and signs the visit record."""
        if not self.env.user.has_group("pm_base.group_pm_director"):
            raise AccessError(_("Only a service centre director can sign off visits."))
        for visit in self:
            if visit.state == "signed":
                raise UserError(
                    _(
                        "Visit %(visit)s was already signed off by %(user)s.",
                        visit=visit.name,
                        user=visit.signed_by_id.name,
                    )
                )
            if visit.state != "done":
                raise UserError(
                    _("Visit %s must be done before it is signed off.", visit.name)
                )
        self.write(
            {
                "state": "signed",
                "signed_by_id": self.env.uid,
                "signed_on": fields.Datetime.now(),
            }
        )
        return True

    @workflow_action
    def action_cancel(self):
        # the planner may plan the unit again (R-VIS-3)
        self.filtered(lambda v: v.state == "planned").write(
            {"state": "cancelled", "cron_key": False}
        )
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _visit_day(self):
        """The visit's calendar day in the property's timezone (or its due date)."""
        self.ensure_one()
        if not self.visit_date:
            return self.due_date
        return clock.local_today(self.property_id.tz, self.visit_date)

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_create_due_visits(self, batch_size=500):
        """R-VIS-3 and R-RV-5: plan a periodic visit for every occupied unit not
        visited within the interval, and a welcome visit for new owners.

        Idempotent: a unit with a visit planned or made within the interval is skipped,
        and a new owner gets one welcome visit. Safe when two processes run it at
        once: a property being planned by another run is skipped (advisory lock),
        and each planned visit has a unique key, so a run working on an older
        snapshot inserts nothing twice.
        """
        interval = settings.get(self.env, VISIT_INTERVAL_PARAM)
        new_owner_months = settings.get(self.env, NEW_OWNER_PARAM)
        created = self.browse()
        properties = self.env["pm.property"].search([])
        for prop in properties:
            if not self._lock_planner(prop):
                _logger.info("pm.visit: %s is being planned by another run", prop.code)
                continue
            # the property's today, whoever runs the cron (R-TZ-1)
            today = prop._pm_today()
            units = self.env["pm.unit"].search(
                [("property_id", "=", prop.id), ("state", "=", "occupied")]
            )
            for start in range(0, len(units), batch_size):
                batch = units[start : start + batch_size]
                created |= self._create_due_visits_batch(
                    prop, batch, today, interval, new_owner_months
                )
        if created:
            created._notify_visitors()
        _logger.info("pm.visit: %d due visits created", len(created))
        return created

    def _create_due_visits_batch(self, prop, units, today, interval, new_owner_months):
        # R-VIS-3: three months after the unit was last actually visited, whatever
        # the due date said (a late visit, or one made without a due date)
        last = {
            unit: clock.local_today(prop.tz, visited)
            for unit, visited in self._read_group(
                [
                    ("unit_id", "in", units.ids),
                    ("state", "in", ("done", "signed")),
                    ("visit_date", "!=", False),
                ],
                ["unit_id"],
                ["visit_date:max"],
            )
        }
        # a unit with a visit still to be made is not planned twice
        planned = {
            unit
            for [unit] in self._read_group(
                [("unit_id", "in", units.ids), ("state", "=", "planned")],
                ["unit_id"],
            )
        }
        welcomed = {
            unit.id
            for [unit] in self._read_group(
                [
                    ("unit_id", "in", units.ids),
                    ("visit_type", "=", "new_owner"),
                    ("state", "!=", "cancelled"),
                ],
                ["unit_id"],
            )
        }
        visitor = prop.team_id.leader_id or prop.director_id
        vals_list = []
        for unit in units:
            base = {
                "property_id": prop.id,
                "unit_id": unit.id,
                "partner_id": unit.owner_ids[:1].id,
                "visitor_id": visitor.id,
                "method": "door",
            }
            recent_move_in = unit.move_in_date and unit.move_in_date >= (
                today - relativedelta(months=new_owner_months)
            )
            if recent_move_in and unit.id not in welcomed:
                due = visit_rules.new_owner_visit_due(
                    unit.move_in_date, new_owner_months
                )
                vals_list.append(
                    dict(
                        base,
                        visit_type="new_owner",
                        due_date=due,
                        cron_key=f"new_owner:{unit.id}",
                    )
                )
            elif visit_rules.needs_periodic_visit(last.get(unit), interval, today):
                due = visit_rules.periodic_visit_due(last.get(unit), interval, today)
                if unit in planned:
                    continue
                vals_list.append(
                    dict(
                        base,
                        visit_type="periodic",
                        due_date=due,
                        cron_key=f"periodic:{unit.id}:{due}",
                    )
                )
        return self._create_planned(vals_list)

    @api.model
    def _lock_planner(self, prop):
        """Take the planner's lock of ``prop`` until the end of the transaction;
        False when another run holds it."""
        return cron.take_run_lock(self.env, f"pm.visit.planner.{prop.id}")

    @api.model
    def _create_planned(self, vals_list):
        """Create the planned visits; those another run inserted meanwhile (same
        ``cron_key``) are skipped instead of duplicated."""
        if not vals_list:
            return self.browse()
        conflicts = (psycopg2.IntegrityError, psycopg2.errors.SerializationFailure)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.create(vals_list)
        except conflicts:
            _logger.info("pm.visit: another run planned some of these visits")
        created = self.browse()
        for vals in vals_list:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    created |= self.create(vals)
            except conflicts:
                continue
        return created

    def _notify_visitors(self):
        """One 'visits due' email per visitor and property (SPEC §4)."""
        template = self.env.ref(
            "pm_customer_service.mail_template_visit_due", raise_if_not_found=False
        )
        if not template:
            return
        groups = {}
        for visit in self.filtered("visitor_id"):
            groups.setdefault((visit.property_id, visit.visitor_id), self.browse())
            groups[(visit.property_id, visit.visitor_id)] |= visit
        for (prop, visitor), visits in groups.items():
            template.with_context(
                visit_count=len(visits),
                first_due=min(visits.mapped("due_date")),
                visitor_name=visitor.name,
                lang=visitor.lang,
            ).send_mail(
                prop.id,
                email_values={"recipient_ids": [(6, 0, visitor.partner_id.ids)]},
            )


class PmVisitIssue(models.Model):
    """An issue an owner raised during a visit (R-VIS-4)."""

    _name = "pm.visit.issue"
    _description = "Visit Issue"
    # R-KEEP-1: a resolved issue is kept with its visit, never deleted
    _inherit = [
        "pm.case.source.mixin",
        "pm.escalation.mixin",
        "pm.workflow.guard.mixin",
    ]
    _pm_protected_fields = (
        # set by "Make a Case" only (R-LOOP-1)
        "case_id",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    # R-CLOCK-1: an issue left unresolved escalates (seed 000 §三.7)
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_visit_issue_escalate"
    _rec_name = "description"
    _order = "visit_id desc, sequence, id"

    sequence = fields.Integer(default=10)
    visit_id = fields.Many2one(
        "pm.visit", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="visit_id.property_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    unit_id = fields.Many2one(related="visit_id.unit_id", store=True, index=True)
    description = fields.Text(required=True)
    team_id = fields.Many2one(
        "pm.team",
        string="Responsible Team",
        domain="['|', ('property_id', '=', property_id), ('property_id', '=', False)]",
    )
    category = fields.Selection(
        related="team_id.team_type", store=True, string="Category"
    )
    answered_on_spot = fields.Boolean(
        help="The owner's question was answered during the visit."
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved")],
        default="open",
        required=True,
        index=True,
    )
    resolution = fields.Text()
    visit_date = fields.Date(compute="_compute_visit_date", store=True)

    @api.depends("visit_id.visit_date", "visit_id.due_date")
    def _compute_visit_date(self):
        for issue in self:
            issue.visit_date = issue.visit_id._visit_day() if issue.visit_id else False

    def _pm_retention_kept(self):
        return self.filtered(lambda issue: issue.state == "resolved")

    @api.onchange("answered_on_spot")
    def _onchange_answered_on_spot(self):
        if self.answered_on_spot:
            self.state = "resolved"

    rectification_id = fields.Many2one("pm.rectification", copy=False, readonly=True)

    def action_resolve(self):
        self.write({"state": "resolved"})
        return True

    def action_create_rectification(self):
        """R-VIS-4: an issue the responsible team must fix becomes a rectification."""
        self.ensure_one()
        if self.rectification_id:
            raise UserError(_("This issue already has a rectification."))
        rect = self.env["pm.rectification"].create(
            self.env["pm.rectification"]._pm_prepare_from_source(
                self,
                "visit",
                self.description,
                property_id=self.property_id.id,
                unit_id=self.unit_id.id,
                partner_id=self.visit_id.partner_id.id,
                team_id=self.team_id.id,
                user_id=self.team_id.leader_id.id,
                deadline=self.property_id._pm_today() + relativedelta(days=7),
            )
        )
        self.rectification_id = rect
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.rectification",
            "res_id": rect.id,
            "view_mode": "form",
        }

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    def _pm_case_values(self):
        """R-LOOP-1: a repair for the engineering team, else a request for help
        (seed 000 §四.3), received at the visit, about its owner and unit."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("Only an open issue can become a case."))
        visit = self.visit_id
        # the owner visited, else the unit's owner, as the intake form takes
        partner = visit.partner_id or self.unit_id.owner_ids[:1]
        return {
            "property_id": self.property_id.id,
            "unit_id": self.unit_id.id,
            "partner_id": partner.id,
            "contact_name": partner.name,
            "contact_info": partner.phone or False,
            "request_type": "repair" if self.category == "engineering" else "help",
            "channel": "phone" if visit.method == "phone" else "visit",
            "subject": self._pm_case_subject(
                _("Visit %s", visit.name), self.description
            ),
            "description": self.description,
            # the team's leader, as the intake form and a rectification choose
            "team_id": self.team_id.id,
            "user_id": self.team_id.leader_id.id,
        }

    @api.model_create_multi
    def create(self, vals_list):
        issues = super().create(vals_list)
        issues._pm_escalation_reschedule()
        return issues

    def write(self, vals):
        res = super().write(vals)
        if {"state", "rectification_id", "case_id", "visit_id"} & set(vals):
            self._pm_escalation_reschedule()
        return res

    # ------------------------------------------------------------
    # ESCALATION (R-CLOCK-1: an issue unresolved past its due date)
    # ------------------------------------------------------------

    def _pm_escalation_due_date(self):
        """The day an open issue is resolved by: a number of days (setting)
        after the day of the visit, at the property."""
        self.ensure_one()
        if not self.visit_date:
            return False
        days = self._pm_escalation_param("visit_issue_days")
        return self.visit_date + timedelta(days=days)

    def _pm_escalation_watch(self):
        """An open issue is due by the end of its due date at the property; one
        that became a rectification escalates as that rectification."""
        self.ensure_one()
        if self.state != "open" or self.rectification_id or self.case_id:
            return False, False
        due = self._pm_escalation_due_date()
        if not due:
            return False, False
        return "issue", clock.to_utc(due, self.property_id.tz, clock.END_OF_DAY)

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "issue":
            return _("Visit issue resolution")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        if self.state == "resolved":
            return _("the issue is resolved")
        if self.rectification_id:
            return _("the issue became a rectification")
        if self.case_id:
            return _("the issue became a case")
        return super()._pm_escalation_end_reason(kind)

    def _pm_escalation_responsible(self):
        """The leader of the team the issue was passed to, else the visitor who
        follows it up (seed 000 §三.6, §三.13)."""
        self.ensure_one()
        return self.team_id.leader_id or self.visit_id.visitor_id

    def _pm_escalation_team_leader(self):
        """The customer-service office of the property (seed 000 §三.7)."""
        self.ensure_one()
        return self.property_id.team_id.leader_id or self.visit_id.visitor_id

    def _pm_escalation_summary(self, kind, level):
        name = self.visit_id.name
        if not level:
            return _("An issue of visit %s is due today", name)
        return _(
            "An issue of visit %(name)s is unresolved - escalated to %(level)s",
            name=name,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_customer_service.mail_template_pm_visit_issue_escalation"
