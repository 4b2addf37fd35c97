# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models

from ..tools import cron, settings
from ..tools import escalation as ladder
from ..tools.write_guard import workflow_action

PARAM_PREFIX = "pm_customer_service."
LEVEL_NAMES = {
    ladder.LEVEL_REMINDER: "reminder",
    ladder.LEVEL_RESPONSIBLE: "responsible",
    ladder.LEVEL_TEAM_LEADER: "team_leader",
    ladder.LEVEL_DIRECTOR: "director",
    ladder.LEVEL_QUALITY: "quality",
}
ESCALATION_LEVELS = [
    ("0", "None"),
    ("1", "Responsible Person"),
    ("2", "Team Leader"),
    ("3", "Service Centre Director"),
    ("4", "Quality Department"),
]
ESCALATION_ACTIVITY = "pm_base.mail_activity_type_pm_escalation"
# the email of one step goes through the queue like every staff email (R-MAIL-1)
ESCALATION_LAYOUT = "mail.mail_notification_light"


# the fields the ladder writes as it steps on
ESCALATION_FIELDS = frozenset(
    {"escalation_level", "escalation_next_date", "escalation_kind"}
)


class PmEscalationMixin(models.AbstractModel):
    """Deadline escalation for any record with deadlines (R-ESC-1, R-ESC-4).

    A model inheriting this mixin says which deadline it currently watches
    (``_pm_escalation_watch``), who holds the record at the first two levels
    (``_pm_escalation_responsible``, ``_pm_escalation_team_leader``; the
    director of the property and the quality department follow) and what a step
    says (``_pm_escalation_summary``, ``_pm_escalation_template``). Every model
    sends its steps the same way: one activity per person and one email from a
    mail template through the mail queue. The mixin stores when the next step is due in
    the indexed ``escalation_next_date``, so the cron only reads records that have
    something to do: its cost grows with the overdue records, not the open ones.
    Every step is recorded in ``pm.escalation.log`` before anyone is notified.
    """

    _name = "pm.escalation.mixin"
    # the ladder schedules activities and notes in the record's chatter
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Escalation Mixin"
    # XML id of the ``ir.cron`` escalating the model's records
    _pm_escalation_cron_xmlid = None

    escalation_level = fields.Selection(
        ESCALATION_LEVELS,
        default="0",
        readonly=True,
        copy=False,
        help="Highest level this record was escalated to.",
    )
    escalation_next_date = fields.Datetime(
        string="Next Escalation",
        index=True,
        readonly=True,
        copy=False,
        help="When the next reminder or escalation step is due; empty when none.",
    )
    # a technical key (acknowledge, resolve, deadline): people read the label
    escalation_kind = fields.Char(readonly=True, copy=False)
    escalation_kind_label = fields.Char(
        string="Watched Deadline", compute="_compute_escalation_kind_label"
    )

    def _pm_version_bookkeeping_fields(self):
        # the ladder stepping on is the server's bookkeeping: a form open
        # meanwhile still saves (pm.edit.version.mixin)
        base = getattr(super(), "_pm_version_bookkeeping_fields", frozenset)
        return base() | ESCALATION_FIELDS

    @api.depends("escalation_kind")
    @api.depends_context("lang")
    def _compute_escalation_kind_label(self):
        for record in self:
            record.escalation_kind_label = (
                record._pm_escalation_kind_label(record.escalation_kind)
                if record.escalation_kind
                else False
            )

    # ------------------------------------------------------------
    # HOOKS (implemented by the models)
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        """``(kind, deadline)`` the record is currently held to, or (False, False)."""
        return False, False

    def _pm_escalation_responsible(self):
        """``res.users`` holding the record: notified at the reminder and at
        level 1."""
        return self.env["res.users"]

    def _pm_escalation_team_leader(self):
        """``res.users`` notified at level 2."""
        return self.env["res.users"]

    def _pm_escalation_summary(self, kind, level):
        """What one step says (the activity's summary; the email's subject), in
        the environment's language."""
        return self._pm_level_label(level)

    def _pm_escalation_template(self, level):
        """XML id of the mail template of a step at ``level``."""
        raise NotImplementedError()

    def _pm_escalation_mail_context(self, kind, level):
        """Further context keys the step's mail template reads."""
        return {}

    @api.model
    def _pm_escalation_kind_label(self, kind):
        """What the escalation ``kind`` (a key of ``_pm_escalation_watch`` or of
        the log) is about, in the environment's language: screens and the
        escalation log show this, never the key."""
        return _("Deadline")

    @api.model
    def _pm_escalation_step_label(self, kind, level):
        """Who a logged step of ``kind`` reached at ``level``."""
        return self._pm_level_label(level)

    def _pm_escalation_log_notes(self, levels):
        """Note in the chatter the level each record reached, ``{id: level}``.

        R-MAIL-1: the recipient of the level already got its email; a tracking
        message would mail every follower a second copy, so the note notifies
        nobody. One insert for the whole batch.
        """
        if not self or not hasattr(self, "_message_log_batch"):
            return
        labels = {}
        bodies = {}
        for record in self.browse(list(levels)):
            # staff of every language read the one note: it is written in the
            # language of the property's company, not the cron user's
            lang = record.property_id.company_id.partner_id.lang or self.env.lang
            level = levels[record.id]
            if (lang, level) not in labels:
                local = self.with_context(lang=lang)
                labels[lang, level] = local.env._(
                    "Escalated to %s.", local._pm_level_label(level)
                )
            bodies[record.id] = labels[lang, level]
        self._message_log_batch(bodies)

    def _pm_escalation_activity(self, user, summary):
        """The one open escalation activity of ``user`` on the record, due today
        at the property: a later level updates it instead of stacking a second
        to-do for the same person (R-ESC-1)."""
        self.ensure_one()
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            ESCALATION_ACTIVITY
        )
        today = self.property_id._pm_today()
        current = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id.id == activity_type_id and a.user_id == user
        )[:1]
        # the escalation email is the notification: no "assigned to you" email
        if current:
            current.with_context(mail_activity_quick_update=True).write(
                {"summary": summary, "date_deadline": today}
            )
            return current
        return self.with_context(mail_activity_quick_update=True).activity_schedule(
            act_type_xmlid=ESCALATION_ACTIVITY,
            user_id=user.id,
            summary=summary,
            date_deadline=today,
        )

    def _pm_escalation_company_id(self):
        return self.company_id.id if "company_id" in self._fields else False

    def _pm_escalation_property_id(self):
        return self.property_id.id if "property_id" in self._fields else False

    # ------------------------------------------------------------
    # RECIPIENTS AND SENDING (R-ESC-1, R-MAIL-1)
    # ------------------------------------------------------------

    def _pm_escalation_recipient(self, level):
        """``res.users`` to notify at ``level`` (may be empty): the responsible
        person (also for the reminder), the team leader, the director of the
        property, the quality department."""
        self.ensure_one()
        if level <= ladder.LEVEL_RESPONSIBLE:
            return self._pm_escalation_responsible()
        if level == ladder.LEVEL_TEAM_LEADER:
            return self._pm_escalation_team_leader()
        if level == ladder.LEVEL_DIRECTOR:
            return self.property_id.director_id
        return self._pm_escalation_quality_user()

    def _pm_escalation_quality_user(self):
        """The quality department's person for the record's company: the first
        of ``_pm_quality_department``."""
        self.ensure_one()
        return self._pm_quality_department()[:1]

    def _pm_quality_department(self):
        """The quality department of the record's company, its leader first:
        the leader and members of its quality team, else the internal users of
        the quality group, those who are not also managers when there are any."""
        self.ensure_one()
        team = (
            self.env["pm.team"]
            .sudo()
            .search(
                [
                    ("team_type", "=", "quality"),
                    ("company_id", "=", self.company_id.id),
                    ("leader_id", "!=", False),
                ],
                limit=1,
            )
        )
        if team:
            return team.leader_id | team.member_ids.filtered(lambda u: not u.share)
        group = self.env.ref("pm_base.group_pm_quality")
        managers = self.env.ref("pm_base.group_pm_manager")
        quality = group.sudo().all_user_ids.filtered(
            lambda u: self.company_id in u.company_ids and not u.share
        )
        return (quality - managers.sudo().all_user_ids) or quality

    def _pm_escalation_notify(self, kind, level, user):
        """Send one step; the log row already exists. The activity and the
        email speak the recipient's language."""
        self.ensure_one()
        record = self.with_context(lang=user.lang) if user.lang else self
        return record._pm_escalation_send(kind, level, user)

    def _pm_escalation_send(self, kind, level, user):
        """The one way a step reaches a person: the open escalation activity and
        one email of the model's template, queued (never sent synchronously)."""
        summary = self._pm_escalation_summary(kind, level)
        if not user:
            self.message_post(body=_("%s: nobody to notify at this level.", summary))
            return True
        self._pm_escalation_activity(user, summary)
        # the template renders in the context that carries what the step says
        record = self.with_context(
            pm_escalation_summary=summary,
            pm_escalation_label=self._pm_level_label(level),
            **self._pm_escalation_mail_context(kind, level),
        )
        template = record.env["mail.template"].browse(
            # the cached xmlid lookup, not env.ref's existence query per email
            record.env["ir.model.data"]._xmlid_to_res_id(
                record._pm_escalation_template(level)
            )
        )
        record._pm_queue_template(
            template, user.partner_id, email_layout_xmlid=ESCALATION_LAYOUT
        )
        return True

    # ------------------------------------------------------------
    # MECHANICS
    # ------------------------------------------------------------

    @api.model
    def _pm_escalation_param(self, key):
        return settings.get(self.env, PARAM_PREFIX + key)

    def _pm_escalation_reminder_hours(self, kind):
        """Hours before the deadline of ``kind`` the responsible person is
        reminded; 0: the ladder starts when the deadline is missed."""
        return self._pm_escalation_param("reminder_hours")

    def _pm_escalation_done_levels(self):
        """{(res_id, kind): {levels}} from the log, in one query for the batch."""
        done = defaultdict(set)
        if not self.ids:
            return done
        self.env.cr.execute(
            "SELECT res_id, kind, level FROM pm_escalation_log "
            "WHERE res_model = %s AND res_id IN %s",
            (self._name, tuple(self.ids)),
        )
        for res_id, kind, level in self.env.cr.fetchall():
            done[(res_id, kind)].add(level)
        return done

    @workflow_action
    def _pm_escalation_reschedule(self, done=None):
        """Store the next due step of each record (or nothing when none)."""
        if not self:
            return
        now = fields.Datetime.now()
        interval = self._pm_escalation_param("escalation_interval_hours")
        if done is None:
            done = self._pm_escalation_done_levels()
        ended = {}
        for record in self:
            kind, deadline = record._pm_escalation_watch()
            if record.escalation_kind and record.escalation_kind != kind:
                # the deadline escalated on is met or no longer applies
                ended[record.id] = record.escalation_kind
            _level, due = ladder.next_escalation(
                deadline,
                done.get((record.id, kind), ()),
                now,
                interval,
                record._pm_escalation_reminder_hours(kind),
            )
            values = {"escalation_next_date": due or False, "escalation_kind": kind}
            if any(record[key] != value for key, value in values.items()):
                record.with_context(tracking_disable=True).write(values)
        if ended:
            self.browse(list(ended))._pm_escalation_close_activities(ended)

    def _pm_escalation_close_activities(self, kinds):
        """Mark done the open reminder and escalation activities of these
        records, whose watched deadline (``kinds``: {id: kind}) is met or no
        longer applies: the to-do lists empty, the chatter keeps each one with
        the reason. Other activities stay. One search for the batch; the
        feedback is written in each assignee's language."""
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            ESCALATION_ACTIVITY, raise_if_not_found=False
        )
        if not activity_type_id:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type_id),
                ]
            )
        )
        groups = defaultdict(lambda: self.env["mail.activity"].sudo())
        for activity in activities:
            groups[(activity.res_id, activity.user_id.lang or self.env.lang)] |= (
                activity
            )
        for (res_id, lang), group in groups.items():
            record = self.browse(res_id).with_context(lang=lang)
            reason = record._pm_escalation_end_reason(kinds[res_id])
            # marked done by the person (or the scheduler) whose step met it
            group.with_context(lang=lang).action_feedback(
                feedback=record.env._("Handled: %s", reason)
            )

    def _pm_escalation_end_reason(self, kind):
        """Why the deadline ``kind`` escalated on is met or no longer applies,
        in the environment's language (the feedback of the closed activities)."""
        return _("the deadline no longer applies")

    @workflow_action
    def _pm_escalate(self, now=None):
        """Send every step now due on these records, each exactly once."""
        now = now or fields.Datetime.now()
        interval = self._pm_escalation_param("escalation_interval_hours")
        done = self._pm_escalation_done_levels()
        steps = []
        for record in self:
            kind, deadline = record._pm_escalation_watch()
            reminder = record._pm_escalation_reminder_hours(kind)
            levels = done[(record.id, kind)]
            level, due = ladder.next_escalation(
                deadline, levels, now, interval, reminder
            )
            while level is not None and ladder.is_due(level, due, now):
                steps.append(
                    (record, kind, level, record._pm_escalation_recipient(level))
                )
                levels.add(level)
                level, due = ladder.next_escalation(
                    deadline, levels, now, interval, reminder
                )
        # one insert for the batch; only the steps this run recorded notify
        recorded = (
            self.env["pm.escalation.log"]
            .sudo()
            ._try_insert_many(
                [
                    (
                        record._name,
                        record.id,
                        kind,
                        level,
                        user.id,
                        record._pm_escalation_company_id(),
                        record._pm_escalation_property_id(),
                    )
                    for record, kind, level, user in steps
                ]
            )
        )
        reached = {}
        # R-ESC-1, R-MAIL-1: a person at several levels of a record due in this
        # run (e.g. the responsible who is also the team leader) is notified
        # once, of the highest of them; every level is logged all the same
        notified = {}
        for record, kind, level, user in steps:
            if (record.id, kind, level) not in recorded:
                continue
            key = (record.id, kind, user.id or f"nobody-{level}")
            notified[key] = (record, kind, level, user)
            if level > int(record.escalation_level or 0):
                record.escalation_level = str(level)
                reached[record.id] = level
        for record, kind, level, user in notified.values():
            record._pm_escalation_notify(kind, level, user)
        self.browse(reached)._pm_escalation_log_notes(reached)
        self._pm_escalation_reschedule(done)

    @api.model
    @cron.exclusive_run
    def _cron_pm_escalate(self, batch_size=None):
        """Escalate the records whose next step is due (R-ESC-1, R-ESC-4).

        Works in batches over the indexed ``escalation_next_date``; each batch runs
        in a savepoint. Run by the scheduler, each batch is committed with its
        progress (``ir.cron._commit_progress``), so a run killed mid-way loses at
        most its current batch, and the log guarantees the rerun sends nothing
        twice; while work is left the scheduler runs the job again at once. Called
        from code, the run stays in the caller's transaction and triggers the cron
        for what it left.

        One run at a time (``cron.exclusive_run``): a second run started meanwhile
        returns at once. A record a user is saving right now is left for the next
        run, and a batch whose records changed since the run began stops the run
        cleanly; the next run, at once, does it.
        """
        batch_size = batch_size or self._pm_escalation_param("escalation_batch_size")
        now = fields.Datetime.now()
        return cron.run_in_batches(
            self,
            "_cron_pm_escalate",
            [("escalation_next_date", "<=", now)],
            lambda records: records._pm_escalate(now),
            batch_size,
            self._pm_escalation_retrigger,
            order="escalation_next_date, id",
        )

    @api.model
    def _pm_escalation_retrigger(self):
        """Run the escalation cron of this model again at once."""
        job = self._pm_escalation_cron()
        if job:
            job._trigger()

    @api.model
    def _pm_escalation_cron(self):
        """The ``ir.cron`` running the escalation of this model, to re-trigger."""
        return (
            self._pm_escalation_cron_xmlid
            and self.env.ref(self._pm_escalation_cron_xmlid, raise_if_not_found=False)
        ) or self.env["ir.cron"]

    @api.model
    def _pm_level_label(self, level):
        if not level:
            return _("Reminder")
        labels = dict(self._fields["escalation_level"]._description_selection(self.env))
        return labels[str(level)]
