# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pm_base.tools import clock, cron, settings, staff
from odoo.addons.pm_base.tools import escalation as ladder
from odoo.addons.pm_base.tools.write_guard import workflow_action

from ..tools import PATROL, patrol_rules

ROUND_STATES = [
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("closed", "Closed"),
]
OPEN_STATES = ("planned", "in_progress")
# rounds one batch of the closing cron closes
CLOSE_BATCH_SIZE = 200
# who reviews a missed or late round and stops its escalation
REVIEW_GROUP = "pm_base.group_pm_director"
PATROL_GROUP = "pm_base.group_pm_technician"
ESCALATION_KIND = "patrol"


class PmPatrolRound(models.Model):
    """A round 巡检任务: one walk of a route starting at a scheduled time of a
    day, on the property's clock. Its checkpoints are scanned within its window;
    after the window the closing cron counts the missed ones, and a late or
    incomplete round escalates on the product's one ladder: the patrol staff,
    the team leader, the director of the property, the quality department."""

    _name = "pm.patrol.round"
    _description = "Patrol Round"
    _inherit = [
        "pm.escalation.mixin",
        "pm.property.record.mixin",
        "pm.workflow.guard.mixin",
        "pm.rate.mixin",
    ]
    _order = "scheduled_start desc, id desc"
    _pm_escalation_cron_xmlid = "pm_patrol.ir_cron_pm_patrol_escalate"
    _pm_protected_fields = (
        "state",
        "started_on",
        "closed_on",
        "is_late",
        "reviewed_by_id",
        "reviewed_on",
        "scheduled_start",
        "window_end",
        "route_id",
        "date",
        "user_ids",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("closed",)
    _pm_frozen_free_fields = ("active", "review_note")
    _pm_rates = {"attendance_rate": ("reached_count:sum", "planned_count:sum")}

    route_id = fields.Many2one(
        "pm.patrol.route", required=True, index=True, ondelete="restrict"
    )
    team_id = fields.Many2one(related="route_id.team_id", store=True, index=True)
    date = fields.Date(
        string="Day", required=True, index=True, help="The day at the property."
    )
    scheduled_start = fields.Datetime(required=True, index=True)
    window_end = fields.Datetime(string="Ends", required=True, index=True)
    schedule_label = fields.Char(
        string="Time", compute="_compute_schedule_label", store=True
    )
    user_ids = staff.users(
        "pm_patrol_round_user_rel", "round_id", string="Patrol Staff"
    )
    state = fields.Selection(
        ROUND_STATES,
        default="planned",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
    )
    started_on = fields.Datetime(readonly=True, copy=False)
    closed_on = fields.Datetime(readonly=True, copy=False)
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        copy=False,
        help="Started after the scheduled time plus the allowed lateness, or "
        "never started.",
    )
    visit_ids = fields.One2many("pm.patrol.visit", "round_id", string="Checkpoints")
    planned_count = fields.Integer(
        string="Planned", compute="_compute_counts", store=True
    )
    reached_count = fields.Integer(
        string="Reached", compute="_compute_counts", store=True
    )
    missed_count = fields.Integer(
        string="Missed", compute="_compute_counts", store=True
    )
    finding_count = fields.Integer(
        string="Findings", compute="_compute_counts", store=True
    )
    attendance_rate = fields.Float(
        string="Attendance (%)",
        compute="_compute_counts",
        store=True,
        aggregator="avg",
        help="Checkpoints reached within the window over checkpoints planned.",
    )
    needs_review = fields.Boolean(
        compute="_compute_needs_review",
        store=True,
        help="Late or missed checkpoints: escalated until a director reviews it.",
    )
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False)
    review_note = fields.Text()

    _route_start_uniq = models.Constraint(
        "unique(route_id, scheduled_start)",
        "A route has one round per start time.",
    )

    @api.depends("scheduled_start", "window_end", "property_id.tz")
    def _compute_schedule_label(self):
        for rnd in self:
            tz = rnd.property_id.tz
            rnd.schedule_label = (
                f"{clock.local_stamp(rnd.scheduled_start, tz, '%H:%M')}"
                f"–{clock.local_stamp(rnd.window_end, tz, '%H:%M')}"
                if rnd.scheduled_start and rnd.window_end
                else False
            )

    @api.depends("visit_ids.state", "visit_ids.reached", "visit_ids.result")
    def _compute_counts(self):
        for rnd in self:
            visits = rnd.visit_ids
            rnd.planned_count = len(visits)
            rnd.reached_count = len(visits.filtered("reached"))
            rnd.missed_count = len(visits.filtered(lambda v: v.state == "missed"))
            rnd.finding_count = len(visits.filtered(lambda v: v.result == "abnormal"))
            rate = patrol_rules.attendance_rate(rnd.reached_count, rnd.planned_count)
            rnd.attendance_rate = rate or 0.0

    @api.depends("state", "is_late", "missed_count")
    def _compute_needs_review(self):
        for rnd in self:
            rnd.needs_review = rnd.state == "closed" and patrol_rules.needs_escalation(
                rnd.is_late, rnd.missed_count
            )

    def _compute_display_name(self):
        for rnd in self:
            rnd.display_name = (
                f"{rnd.route_id.name} {rnd.date or ''} {rnd.schedule_label or ''}"
            ).strip()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _pm_check_patroller(self):
        """The current user patrols this round (the superuser and crons do)."""
        self.ensure_one()
        if self.env.su:
            return
        if self.env.user not in self.sudo().user_ids:
            raise AccessError(_("Round %s is not one of yours.", self.display_name))

    @workflow_action
    def _pm_start(self, now):
        """The first scan starts the round; whether it is late is said then."""
        lateness = settings.get(self.env, PATROL + "lateness_minutes")
        for rnd in self.filtered(lambda r: r.state == "planned"):
            rnd.write(
                {
                    "state": "in_progress",
                    "started_on": now,
                    "is_late": patrol_rules.is_late(now, rnd.scheduled_start, lateness),
                }
            )

    def action_finish(self):
        """The patrol staff end a round whose checkpoints are all scanned."""
        for rnd in self:
            rnd._pm_check_patroller()
            if rnd.state != "in_progress":
                raise UserError(_("Only a round in progress can be finished."))
            if rnd.visit_ids.filtered(lambda v: v.state == "pending"):
                raise UserError(
                    _("Scan every checkpoint of the round before finishing it.")
                )
        self.sudo()._pm_close(fields.Datetime.now())
        return True

    @workflow_action
    def _pm_close(self, now):
        """Close the rounds: the checkpoints not scanned are missed, a round never
        started is late; a late or incomplete round starts its escalation."""
        lateness = settings.get(self.env, PATROL + "lateness_minutes")
        rounds = self.filtered(lambda r: r.state in OPEN_STATES)
        pending = rounds.visit_ids.filtered(lambda v: v.state == "pending")
        pending.write({"state": "missed"})
        for rnd in rounds:
            rnd.write(
                {
                    "state": "closed",
                    "closed_on": now,
                    "is_late": patrol_rules.is_late(
                        rnd.started_on, rnd.scheduled_start, lateness
                    ),
                }
            )
        rounds._pm_escalation_reschedule()
        rounds.filtered("needs_review")._pm_escalate(now)
        return rounds

    def action_review(self):
        """A director has looked at a late or incomplete round (the review note
        says what was done): its escalation stops."""
        if not self.env.user.has_group(REVIEW_GROUP):
            raise AccessError(_("Only a director reviews a missed or late round."))
        self.check_access("write")
        for rnd in self:
            if not rnd.needs_review or rnd.reviewed_on:
                raise UserError(_("Round %s has nothing to review.", rnd.display_name))
        self._pm_mark_reviewed()
        return True

    @workflow_action
    def _pm_mark_reviewed(self):
        self.write(
            {"reviewed_by_id": self.env.user.id, "reviewed_on": fields.Datetime.now()}
        )
        for rnd in self:
            rnd.message_post(
                body=_("Reviewed by %s.", self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self.sudo()._pm_escalation_reschedule()

    # ------------------------------------------------------------
    # CRONS
    # ------------------------------------------------------------

    @api.model
    @cron.exclusive_run
    def _cron_close_rounds(self, batch_size=None):
        """Close the rounds whose window is over (the indexed ``window_end``)."""
        now = fields.Datetime.now()
        return cron.run_in_batches(
            self,
            "_cron_close_rounds",
            [("state", "in", OPEN_STATES), ("window_end", "<", now)],
            lambda rounds: rounds._pm_close(now),
            batch_size or CLOSE_BATCH_SIZE,
            self.env.ref("pm_patrol.ir_cron_pm_patrol_close")._trigger,
            order="window_end, id",
        )

    # ------------------------------------------------------------
    # ESCALATION (the one ladder of pm_base)
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        self.ensure_one()
        if self.state == "closed" and self.needs_review and not self.reviewed_on:
            return ESCALATION_KIND, self.window_end
        return False, False

    @api.model
    def _pm_escalation_param(self, key):
        # the round is over when it escalates: no reminder ahead
        if key == "reminder_hours":
            return 0
        return super()._pm_escalation_param(key)

    def _pm_escalation_responsible(self):
        return self.sudo().user_ids.filtered(lambda u: not u.share)[:1]

    def _pm_escalation_team_leader(self):
        return self.sudo().team_id.leader_id

    def _pm_escalation_recipient(self, level):
        self.ensure_one()
        if level <= ladder.LEVEL_RESPONSIBLE:
            return self._pm_escalation_responsible()
        return super()._pm_escalation_recipient(level)

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == ESCALATION_KIND:
            return _("Patrol round missed or late")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        if self.reviewed_on:
            return _("the round was reviewed")
        return super()._pm_escalation_end_reason(kind)

    def _pm_escalation_summary(self, kind, level):
        return _(
            "Patrol round %(round)s: %(missed)s of %(planned)s checkpoints "
            "missed%(late)s - escalated to %(level)s",
            round=self.display_name,
            missed=self.missed_count,
            planned=self.planned_count,
            late=_(", started late") if self.is_late else "",
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_patrol.mail_template_patrol_escalation"

    def _pm_local_text_of(self, value):
        return self.property_id._pm_local_text(value)
