# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approval engine: one table of steps per model, one way to take a step, ask
the next approvers and send a record back to draft (R-APPROVE-1)."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.approvals import (
    APPROVAL_ACTIVITY,
    APPROVER_LADDER,
    GROUP,
    REJECT_WIZARD,
    ApprovalStep,
)
from ..tools.write_guard import workflow_writes


class PmApprovalMixin(models.AbstractModel):
    """Approval chains of fixed steps (R-APPROVE-1).

    A model lists its steps in ``_pm_approval_steps()`` (``ApprovalStep`` rows, the
    first one the author's submission), has ``state``, ``company_id`` and
    ``property_id`` fields, and calls ``_pm_approval_advance(step)`` from its
    actions. The engine checks who acts and from which state, records who and when,
    closes the approval activities of the step and schedules one per next approver,
    filters "to approve" for the current user, and sends records back to draft with
    a reason through one wizard."""

    _name = "pm.approval.mixin"
    _description = "Approval Engine"
    # the steps are told in the chatter and asked as activities
    _inherit = ["mail.thread", "mail.activity.mixin"]

    pm_to_approve = fields.Boolean(
        string="To Approve",
        compute="_compute_pm_to_approve",
        search="_search_pm_to_approve",
        help="Waiting for an approval step of your role.",
    )
    reject_reason = fields.Text("Rejection Reason", readonly=True, copy=False)
    reject_user_id = fields.Many2one(
        "res.users", "Rejected By", readonly=True, copy=False
    )
    reject_date = fields.Datetime("Rejected On", readonly=True, copy=False)

    @api.model
    def _pm_engine_fields(self):
        """The write guard (``pm.workflow.guard.mixin``, inherited after this
        mixin) keeps the approval fields to the engine: the state, who took
        each step and when, and the rejection (R-APPROVE-1)."""
        approval = {"state", "reject_reason", "reject_user_id", "reject_date"}
        for step in self._pm_approval_steps():
            approval.update((step.user_field, step.date_field))
        return super()._pm_engine_fields() | approval

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_pm_to_approve(self):
        states = self._pm_states_to_approve()
        for record in self:
            record.pm_to_approve = record.state in states

    def _search_pm_to_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on To Approve."))
        states = self._pm_states_to_approve()
        if (operator == "=") == value:
            return [("state", "in", states)]
        return [("state", "not in", states)]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_reject_wizard(self):
        """Send the record back to its author with a reason (R-APPROVE-1)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Back to Draft"),
            "res_model": REJECT_WIZARD,
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _pm_approval_steps(self):
        """The approval table: ``ApprovalStep`` rows in their order."""
        return ()

    @api.model
    def _pm_approval_submission(self, user_field, date_field, **options):
        """The first row of every table: the author (an agent) submits the
        draft."""
        return ApprovalStep(
            "submit",
            "draft",
            "submitted",
            GROUP + "agent",
            user_field,
            date_field,
            **options,
        )

    @api.model
    def _pm_approval_step(self, name):
        return next(s for s in self._pm_approval_steps() if s.name == name)

    @api.model
    def _pm_approval_following(self, step):
        """The step taken after ``step``, if any."""
        return next(
            (s for s in self._pm_approval_steps() if s.state_from == step.state_to),
            None,
        )

    @api.model
    def _pm_approval_pending(self, state):
        """The approval step a record in ``state`` waits for (never the author's
        submission), if any."""
        return next(
            (s for s in self._pm_approval_steps()[1:] if s.state_from == state), None
        )

    @api.model
    def _pm_approval_waiting(self):
        """{state: xmlid of the group whose approval the state waits for}"""
        return {s.state_from: s.group for s in self._pm_approval_steps()[1:]}

    @api.model
    def _pm_state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    @api.model
    def _pm_approval_check_group(self, group_xmlid):
        if not self.env.user.has_group(group_xmlid):
            raise AccessError(
                _(
                    "You are not allowed to perform this approval step: it needs the "
                    "group %s.",
                    self.env.ref(group_xmlid).sudo().full_name,
                )
            )

    def _pm_approval_advance(self, step_name):
        """Take the approval step ``step_name``: checked, recorded with user and
        time, and the approvers of the following step asked (R-APPROVE-1)."""
        step = self._pm_approval_step(step_name)
        self._pm_approval_check_group(step.group)
        return self._pm_approval_take(step)

    def _pm_approval_take(self, step):
        """Record ``step`` on these records (checked by the caller: the group of
        the user, or the system for a scheduled job) and ask the next
        approvers."""
        for record in self:
            if record.state != step.state_from:
                raise UserError(
                    _(
                        "%(name)s must be '%(expected)s' for this step.",
                        name=record.display_name,
                        expected=self._pm_state_label(step.state_from),
                    )
                )
        with workflow_writes():
            self.write(
                {
                    "state": step.state_to,
                    step.user_field: self.env.uid,
                    step.date_field: fields.Datetime.now(),
                    "reject_reason": False,
                }
            )
        following = self._pm_approval_following(step)
        self._pm_approval_request(
            following and following.group, following and following.summary
        )
        return True

    def _pm_approval_submit(self, required_field, message):
        """The author's submission of drafts that all have ``required_field``
        filled in (R-APPROVE-1: nothing empty goes to the approvers); else
        ``message``, translated, with ``%s`` for the record's name."""
        empty = self.filtered(lambda record: not record[required_field])[:1]
        if empty:
            raise UserError(message % empty.name)
        return self._pm_approval_advance("submit")

    def _pm_approval_submit_scheduled(self, required_field):
        """The submission of drafts a scheduled job prepared (R-APPROVE-1): the
        system submits them, recorded as the system's step; drafts without
        ``required_field`` are never sent to the approvers but returned, for the
        caller to tell their authors. Only code running as the system (a cron,
        as superuser) may submit this way."""
        if not self.env.su:
            raise AccessError(
                _("Only a scheduled job submits a record on its author's behalf.")
            )
        ready = self.filtered(required_field)
        if ready:
            ready._pm_approval_take(self._pm_approval_step("submit"))
        return self - ready

    def _pm_approval_reject(self, reason):
        """Send records waiting for an approval back to draft with the reason:
        whoever may take the pending step may refuse it (R-APPROVE-1)."""
        if not (reason or "").strip():
            raise UserError(_("Give the reason of the rejection."))
        steps = self._pm_approval_steps()
        for record in self:
            pending = self._pm_approval_pending(record.state)
            if not pending:
                raise UserError(
                    _("%s is not waiting for an approval.", record.display_name)
                )
            self._pm_approval_check_group(pending.reject_group or pending.group)
        cleared = {}
        for step in steps:
            if not step.kept_on_reject:
                cleared.update({step.user_field: False, step.date_field: False})
        for record in self:
            record.message_post(body=_("Sent back to draft: %s", reason))
        self._pm_approval_close(done=False)
        with workflow_writes():
            self.write(
                {
                    "state": steps[0].state_from,
                    "reject_reason": reason,
                    "reject_user_id": self.env.uid,
                    "reject_date": fields.Datetime.now(),
                    **cleared,
                }
            )
        return True

    def _pm_approval_request_pending(self):
        """Ask the approvers of the step each record waits for, e.g. for records
        loaded in their state rather than taken there step by step."""
        for record in self:
            pending = record._pm_approval_pending(record.state)
            if pending:
                record._pm_approval_request(pending.group, pending.summary)
        return True

    @api.model
    def _pm_states_to_approve(self):
        """States waiting for the current user's role: the highest approving
        group they have (a manager is not asked to do a director's review)."""
        user = self.env.user
        roles = [group for group in APPROVER_LADDER if user.has_group(group)]
        role = roles[-1] if roles else None
        return [
            state
            for state, group in self._pm_approval_waiting().items()
            if group == role
        ]

    def _pm_approvers(self, group_xmlid):
        """Active staff users whose role is ``group_xmlid`` and who see the record:
        directors assigned to its property, quality and managers of its company.
        Nobody in that role: the next role up."""
        self.ensure_one()
        if group_xmlid not in APPROVER_LADDER:
            return self.env["res.users"]
        index = APPROVER_LADDER.index(group_xmlid)
        higher = (
            APPROVER_LADDER[index + 1] if index + 1 < len(APPROVER_LADDER) else None
        )
        users = (
            self.env.ref(group_xmlid)
            .sudo()
            .all_user_ids.filtered(
                lambda u: u.active
                and u._is_internal()
                and self.company_id in u.company_ids
                and not (higher and u.has_group(higher))
            )
        )
        if index == 0:
            prop = self.property_id.sudo()
            users = users & (prop.user_ids | prop.director_id)
        if not users and higher:
            return self._pm_approvers(higher)
        return users

    def _pm_approval_request(self, group_xmlid, summary):
        """The step just taken closes the approval activities (done for whoever
        acted, removed for the others); then each next approver gets one."""
        self._pm_approval_close()
        if not group_xmlid:
            return
        for record in self:
            # R-TZ-1: due today at the property, whoever takes the step
            today = record.property_id.sudo()._pm_today()
            for user in record._pm_approvers(group_xmlid):
                record.sudo().activity_schedule(
                    APPROVAL_ACTIVITY,
                    date_deadline=today,
                    summary=summary,
                    user_id=user.id,
                )

    def _pm_approval_close(self, done=True):
        """Remove the pending approval activities; with ``done``, the current
        user's is marked done instead (the step they took is in the chatter)."""
        activities = self.sudo().activity_search([APPROVAL_ACTIVITY])
        mine = activities.filtered(lambda a: done and a.user_id == self.env.user)
        (activities - mine).unlink()
        if mine:
            mine.action_feedback()
