# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.pm_base.tools import cron, rates
from odoo.addons.pm_base.tools.write_guard import workflow_action, workflow_writes

from . import sla_rules
from .pm_case import OPEN_STATES
from .target_rules import SHORT_CLOCKS

DESK_GROUP = "pm_base.group_pm_agent"
# who answers a question in the supervisor's stead (and hears of a missed one)
SUPERVISOR_GROUP = "pm_base.group_pm_director"
SUPERVISOR_ACTIVITY = "pm_customer_service.mail_activity_type_pm_supervisor_question"
SUPERVISOR_CRON = "pm_customer_service.ir_cron_pm_case_supervisor_answer"
# seed 004: a call or a visit at the desk is entered, classified and handed on
DESK_CHANNELS = ("phone", "front_desk")
# seed 004 第三章 二.5: 业主所有疑问、意见、建议及投诉 (help has its own hour)
RESPONSE_TYPES = ("complaint", "consultation", "suggestion")
# the short clocks' rates on the KPI board and in the monthly analysis


def short_clock_terms(measured):
    """R-RATE-1: ``{kpi: (numerator, denominator)}`` of the short clocks as SQL
    aggregates over the ``pm_case`` rows that ``measured`` (SQL) keeps."""
    terms = {
        clock: tuple(
            SQL(
                "count(*) FILTER (WHERE %s AND %s = 1%s)",
                measured,
                SQL.identifier("pm_case", f"{clock}_measured"),
                SQL(" AND %s = 100", SQL.identifier("pm_case", f"{clock}_rate"))
                if met
                else SQL(),
            )
            for met in (True, False)
        )
        for clock in SHORT_CLOCKS[:-1]
    }
    terms["supervisor_answer"] = tuple(
        SQL(
            "COALESCE(sum(%s) FILTER (WHERE %s), 0)",
            SQL.identifier("pm_case", column),
            measured,
        )
        for column in ("supervisor_on_time_count", "supervisor_answered_count")
    )
    return terms


HELP_KIND = "help_confirm"
SUPERVISOR_KIND = "supervisor_answer"


def _kpi(field_class, **attrs):
    """A measure of a short clock: stored, computed before the insert."""
    return field_class(
        compute="_compute_short_clocks", precompute=True, store=True, **attrs
    )


class PmCase(models.Model):
    """Short response times of a case (R-CLOCK-1), each limit a setting:

    - a help request is confirmed to the owner within the hour (seed 001 求助
      §4): the first reply to the owner (a message, or the desk's "Confirmed by
      Phone"); a missed confirmation escalates on the ladder;
    - every question, opinion or complaint is arranged (acknowledged or handed
      to a responsible) or answered within 15 minutes (seed 004 第三章 二.5);
    - a call or visit at the desk is entered within 1 minute of its reception
      (the "Received on" the agent records), then classified and handed to a
      responsible within 2 minutes (seed 004);
    - the supervisor answers an agent's question within 5 minutes (seed 004
      5a); a missed answer reminds the supervisor, then the director.

    Each clock is measured on the case as a rate of 100 or 0 once its step came
    (or the case ended without it), so the rates group as ratios of sums.
    """

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    # the call or visit at the desk: recorded by the agent, tracked
    intake_date = fields.Datetime(
        tracking=True,
        help="When the owner's call, visit or message was received: the short "
        "response times run from it. Record the time of the call when entering "
        "it later; it cannot be in the future.",
    )
    entered_date = fields.Datetime(
        string="Entered on",
        readonly=True,
        copy=False,
        help="When the case was saved in the system.",
    )
    transferred_date = fields.Datetime(
        string="Handed On on",
        readonly=True,
        copy=False,
        help="When the case first got a responsible person.",
    )
    help_confirm_deadline = fields.Datetime(
        string="Confirm Help By",
        compute="_compute_help_confirm_deadline",
        help="A help request is confirmed to the owner by then.",
    )
    # the agent's question to the supervisor (seed 004 5a)
    supervisor_question = fields.Text(readonly=True, copy=False)
    supervisor_id = fields.Many2one(
        "res.users", string="Supervisor Asked", readonly=True, copy=False
    )
    supervisor_asked_by_id = fields.Many2one(
        "res.users", string="Asked by", readonly=True, copy=False
    )
    supervisor_asked_date = fields.Datetime(
        string="Supervisor Asked on", readonly=True, copy=False
    )
    supervisor_answer_deadline = fields.Datetime(
        string="Supervisor Answers By", readonly=True, copy=False
    )
    # when the cron next reminds about the open question; empty when none
    supervisor_next_date = fields.Datetime(readonly=True, copy=False, index=True)
    supervisor_answer = fields.Text(readonly=True, copy=False)
    supervisor_answer_date = fields.Datetime(
        string="Supervisor Answered on", readonly=True, copy=False
    )
    supervisor_question_open = fields.Boolean(
        compute="_compute_supervisor_question_open"
    )
    supervisor_asked_count = fields.Integer(
        string="Questions to the Supervisor", readonly=True, copy=False
    )
    supervisor_answered_count = fields.Integer(
        string="Supervisor Answers", readonly=True, copy=False
    )
    supervisor_on_time_count = fields.Integer(
        string="Supervisor Answers in Time", readonly=True, copy=False
    )
    # the measures (R-RATE-1: 100 or 0 per measured case)
    help_confirm_measured = _kpi(fields.Integer)
    help_confirm_rate = _kpi(fields.Float, aggregator="avg", string="Help Confirmed %")
    response_measured = _kpi(fields.Integer)
    response_rate = _kpi(
        fields.Float, aggregator="avg", string="Arranged or Answered in Time %"
    )
    entry_measured = _kpi(fields.Integer)
    entry_rate = _kpi(fields.Float, aggregator="avg", string="Entered in Time %")
    transfer_measured = _kpi(fields.Integer)
    transfer_rate = _kpi(fields.Float, aggregator="avg", string="Handed On in Time %")
    supervisor_answer_rate = fields.Float(
        compute="_compute_supervisor_answer_rate",
        precompute=True,
        store=True,
        aggregator="avg",
        string="Supervisor Answered in Time %",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("intake_date", "request_type")
    def _compute_help_confirm_deadline(self):
        minutes = self._param("help_confirm_minutes")
        for case in self:
            case.help_confirm_deadline = (
                sla_rules.clock_deadline(case.intake_date, minutes)
                if case.request_type == "help"
                else False
            )

    @api.depends("supervisor_asked_date", "supervisor_answer_date")
    def _compute_supervisor_question_open(self):
        for case in self:
            case.supervisor_question_open = bool(
                case.supervisor_asked_date and not case.supervisor_answer_date
            )

    @api.depends("supervisor_on_time_count", "supervisor_answered_count")
    def _compute_supervisor_answer_rate(self):
        for case in self:
            case.supervisor_answer_rate = (
                rates.rate(
                    case.supervisor_on_time_count, case.supervisor_answered_count
                )
                or 0.0
            )

    @api.depends(
        "intake_date",
        "entered_date",
        "transferred_date",
        "acknowledged_date",
        "first_reply_date",
        "resolved_date",
        "state",
        "validity",
        "request_type",
        "channel",
    )
    def _compute_short_clocks(self):
        limits = {
            key: self._param(f"{key}_minutes")
            for key in ("help_confirm", "response", "entry", "transfer")
        }
        valid = self.filtered_domain(self._pm_measured_domain())
        for case in self:
            finished = bool(case.resolved_date) or case.state == "closed"
            measured = case in valid
            desk = measured and case.channel in DESK_CHANNELS
            clocks = {
                "help_confirm": (
                    measured and case.request_type == "help",
                    case.intake_date,
                    case.first_reply_date,
                ),
                "response": (
                    measured and case.request_type in RESPONSE_TYPES,
                    case.intake_date,
                    sla_rules.first_response(
                        case.acknowledged_date,
                        case.transferred_date,
                        case.first_reply_date,
                    ),
                ),
                "entry": (desk, case.intake_date, case.entered_date),
                "transfer": (desk, case.entered_date, case.transferred_date),
            }
            for key, (applies, start, stop) in clocks.items():
                is_measured, on_time = sla_rules.clock_measure(
                    applies, start, stop, limits[key], finished
                )
                case[f"{key}_measured"] = int(is_measured)
                case[f"{key}_rate"] = 100.0 if on_time else 0.0

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    @api.constrains("intake_date")
    def _check_intake_not_future(self):
        now = fields.Datetime.now()
        for case in self:
            if case.intake_date and case.intake_date > now:
                raise ValidationError(
                    _(
                        "Case %s: the time it was received cannot be in the future.",
                        case.name,
                    )
                )

    @api.model
    def _prepare_sla_values(self, vals, now):
        """A valid help request is held to its confirmation first: its first
        step on the ladder is set before the insert, like the acknowledgement's
        (nothing to reschedule once created)."""
        super()._prepare_sla_values(vals, now)
        request_type = vals.get("request_type") or self.env.context.get(
            "default_request_type"
        )
        if (
            request_type != "help"
            or vals.get("validity", "valid") != "valid"
            or vals.get("first_reply_date")
            or not vals.get("escalation_kind")
        ):
            return
        due = sla_rules.clock_deadline(
            fields.Datetime.to_datetime(vals["intake_date"]),
            self._param("help_confirm_minutes"),
        )
        acknowledge = fields.Datetime.to_datetime(vals.get("acknowledge_deadline"))
        if acknowledge and acknowledge < due:
            return
        _level, step = sla_rules.next_escalation(
            due,
            (),
            now,
            self._pm_escalation_param("escalation_interval_hours"),
            self._pm_escalation_reminder_hours(HELP_KIND),
        )
        vals.update({"escalation_next_date": step, "escalation_kind": HELP_KIND})

    @api.model
    def _prepare_intake_values(self, vals):
        # after the guard of the caller's values: the server's own stamps
        res = super()._prepare_intake_values(vals)
        now = fields.Datetime.now()
        vals["entered_date"] = now
        if vals.get("user_id"):
            vals["transferred_date"] = now
        return res

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        now = fields.Datetime.now()
        with workflow_writes():
            # handed on by a dispatch rule while created
            cases.filtered(lambda c: c.user_id and not c.transferred_date).write(
                {"transferred_date": now}
            )
        return cases

    def write(self, vals):
        res = super().write(vals)
        if vals.get("user_id"):
            waiting = self.filtered(lambda c: not c.transferred_date)
            if waiting:
                with workflow_writes():
                    waiting.write({"transferred_date": fields.Datetime.now()})
        if {"request_type", "intake_date", "validity"} & set(vals):
            self._pm_escalation_reschedule()
        return res

    # ------------------------------------------------------------
    # HELP CONFIRMATION (seed 001 求助 §4)
    # ------------------------------------------------------------

    def _pm_help_confirm_pending(self):
        self.ensure_one()
        return bool(
            self.request_type == "help"
            and self.validity == "valid"
            and self.state in OPEN_STATES
            and not self.first_reply_date
            and not self.resolved_date
            and self.intake_date
        )

    def _pm_escalation_reminder_hours(self, kind):
        # a limit of an hour has no reminder hours ahead: its ladder starts
        # when it is missed
        if kind == HELP_KIND:
            return 0
        return super()._pm_escalation_reminder_hours(kind)

    def _pm_escalation_watch(self):
        kind, deadline = super()._pm_escalation_watch()
        if kind and self._pm_help_confirm_pending():
            due = self.help_confirm_deadline
            if due and (not deadline or due <= deadline):
                return HELP_KIND, due
        return kind, deadline

    def _pm_check_desk(self, message):
        if not self.env.user.has_group(DESK_GROUP):
            raise AccessError(message)
        self.check_access("write")

    def action_confirm_help_by_phone(self):
        """The desk confirmed the help request with the owner by phone or in
        person: the confirmation (the first reply) is recorded now, in the
        name of the agent."""
        self._pm_check_desk(_("Only the front desk records a confirmation."))
        for case in self:
            if case.request_type != "help":
                raise UserError(_("Case %s is not a help request.", case.name))
            if case.first_reply_date:
                raise UserError(
                    _("The owner of case %s already got an answer.", case.name)
                )
        self._pm_note_owner_update()
        for case in self:
            case.message_post(
                body=_(
                    "Help request confirmed with the owner by phone by %s.",
                    self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------
    # ESCALATION TEXTS
    # ------------------------------------------------------------

    @api.model
    def _pm_deadline_label(self, kind):
        if kind == HELP_KIND:
            return _("help confirmation")
        if kind and kind.startswith(SUPERVISOR_KIND):
            return _("supervisor's answer")
        return super()._pm_deadline_label(kind)

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == HELP_KIND:
            return _("Help confirmation deadline")
        if kind and kind.startswith(SUPERVISOR_KIND):
            return _("Supervisor's answer")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        if kind == HELP_KIND and self.first_reply_date:
            return _("the help request is confirmed to the owner")
        return super()._pm_escalation_end_reason(kind)

    # ------------------------------------------------------------
    # QUESTION TO THE SUPERVISOR (seed 004 5a)
    # ------------------------------------------------------------

    def action_ask_supervisor(self):
        self.ensure_one()
        self._pm_check_desk(_("Only the front desk asks the supervisor."))
        return self._pm_supervisor_wizard("ask", _("Ask Supervisor"))

    def action_answer_supervisor(self):
        self.ensure_one()
        self._pm_check_answerer()
        return self._pm_supervisor_wizard("answer", _("Answer the Question"))

    def _pm_supervisor_wizard(self, mode, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "pm.case.supervisor.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_mode": mode},
        }

    def _pm_supervisor_of(self):
        """Who answers the agent: the leader of the case's team (else of the
        front desk team), or the property's director when that is the agent."""
        self.ensure_one()
        leader = self._pm_escalation_team_leader()
        if leader and leader != self.env.user:
            return leader
        return self.property_id.director_id

    @workflow_action
    def _pm_ask_supervisor(self, question):
        self.ensure_one()
        self._pm_check_desk(_("Only the front desk asks the supervisor."))
        if not (question or "").strip():
            raise UserError(_("Write the question for the supervisor."))
        if self.state == "closed":
            raise UserError(_("Case %s is closed.", self.name))
        if self.supervisor_question_open:
            raise UserError(
                _(
                    "The supervisor has not answered the last question of %s yet.",
                    self.name,
                )
            )
        supervisor = self._pm_supervisor_of()
        if not supervisor:
            raise UserError(
                _(
                    "Case %s has no supervisor to ask: set its team's leader or "
                    "the property's director.",
                    self.name,
                )
            )
        now = fields.Datetime.now()
        deadline = sla_rules.clock_deadline(
            now, self._param("supervisor_answer_minutes")
        )
        self.write(
            {
                "supervisor_question": question.strip(),
                "supervisor_id": supervisor.id,
                "supervisor_asked_by_id": self.env.uid,
                "supervisor_asked_date": now,
                "supervisor_answer_deadline": deadline,
                "supervisor_next_date": deadline,
                "supervisor_answer": False,
                "supervisor_answer_date": False,
                "supervisor_asked_count": self.supervisor_asked_count + 1,
            }
        )
        case = self.with_context(lang=supervisor.lang or self.env.lang)
        case.activity_schedule(
            SUPERVISOR_ACTIVITY,
            date_deadline=self.property_id._pm_today(),
            summary=case.env._("Answer the question of %s", self.env.user.name),
            note=question.strip(),
            user_id=supervisor.id,
        )
        self.message_post(
            body=_(
                "Question to %(supervisor)s: %(question)s",
                supervisor=supervisor.name,
                question=question.strip(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        # the reminder runs when the limit is over, not at the next hourly run
        job = self.env.ref(SUPERVISOR_CRON, raise_if_not_found=False)
        if job:
            job._trigger(at=deadline + timedelta(seconds=1))
        return True

    def _pm_check_answerer(self):
        self.ensure_one()
        if not self.supervisor_question_open:
            raise UserError(_("Case %s has no open question.", self.name))
        user = self.env.user
        if user != self.supervisor_id and not user.has_group(SUPERVISOR_GROUP):
            raise AccessError(
                _("Only the supervisor asked, or a director, answers the question.")
            )

    @workflow_action
    def _pm_answer_supervisor(self, answer):
        self.ensure_one()
        self._pm_check_answerer()
        if not (answer or "").strip():
            raise UserError(_("Write the answer for the agent."))
        now = fields.Datetime.now()
        on_time = now <= self.supervisor_answer_deadline
        kind = self._pm_supervisor_kind()
        self.write(
            {
                "supervisor_answer": answer.strip(),
                "supervisor_answer_date": now,
                "supervisor_next_date": False,
                "supervisor_answered_count": self.supervisor_answered_count + 1,
                "supervisor_on_time_count": self.supervisor_on_time_count
                + int(on_time),
            }
        )
        self.activity_feedback(
            [SUPERVISOR_ACTIVITY], feedback=_("Answered by %s.", self.env.user.name)
        )
        self._pm_supervisor_close_reminders(kind)
        asker = self.supervisor_asked_by_id
        # the agent who asked hears the answer, once
        self.message_post(
            body=_(
                "Answer of %(user)s: %(answer)s",
                user=self.env.user.name,
                answer=answer.strip(),
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=(asker.partner_id - self.env.user.partner_id).ids,
        )
        return True

    def _pm_supervisor_kind(self):
        """The escalation key of the open question (one ladder per question)."""
        self.ensure_one()
        return f"{SUPERVISOR_KIND}_{self.supervisor_asked_count}"

    def _pm_supervisor_close_reminders(self, kind):
        """Mark done the escalation to-dos this question gave, unless their
        person also holds a step of the deadline the case is watched on."""
        self.ensure_one()
        Log = self.env["pm.escalation.log"].sudo()
        logs = Log.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("kind", "in", [kind, self.escalation_kind or ""]),
            ]
        )
        reminded = logs.filtered(lambda log: log.kind == kind).user_id
        held = logs.filtered(lambda log: log.kind != kind).user_id
        users = reminded - held
        if not users:
            return
        activity_type = self.env.ref("pm_base.mail_activity_type_pm_escalation")
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.user_id in users
        )
        for activity in activities:
            lang = activity.user_id.lang or self.env.lang
            activity.with_context(lang=lang).action_feedback(
                feedback=self.with_context(lang=lang).env._(
                    "Handled: %s", self.with_context(lang=lang).env._("answered")
                )
            )

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_pm_supervisor_answer(self, batch_size=200):
        """Remind the supervisor of a question unanswered past its limit, then
        the director after a second limit; each step once (the escalation
        log)."""
        now = fields.Datetime.now()
        cases = self.search(
            [("supervisor_next_date", "<=", now)],
            order="supervisor_next_date, id",
            limit=batch_size,
        )
        Log = self.env["pm.escalation.log"].sudo()
        for case in cases:
            asked = case.supervisor_asked_date
            if not case.supervisor_question_open or not asked:
                case.supervisor_next_date = False
                continue
            minutes = (case.supervisor_answer_deadline - asked).total_seconds() / 60
            kind = case._pm_supervisor_kind()
            due = sla_rules.supervisor_levels_due(asked, False, now, minutes)
            for level in due:
                user = (
                    case.supervisor_id
                    if level == sla_rules.LEVEL_TEAM_LEADER
                    else case.property_id.director_id
                )
                if Log._try_insert(
                    case._name,
                    case.id,
                    kind,
                    level,
                    user.id,
                    case.company_id.id,
                    case.property_id.id,
                ):
                    case._pm_escalation_notify(kind, level, user)
            # the next step: the supervisor's reminder, then the director's
            if sla_rules.LEVEL_TEAM_LEADER not in due:
                case.supervisor_next_date = case.supervisor_answer_deadline
            elif sla_rules.LEVEL_DIRECTOR not in due:
                case.supervisor_next_date = asked + timedelta(minutes=2 * minutes)
            else:
                case.supervisor_next_date = False
        if len(cases) == batch_size:
            self.env.ref(SUPERVISOR_CRON)._trigger()
        return True
