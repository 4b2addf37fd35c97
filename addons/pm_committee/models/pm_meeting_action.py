# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The follow-ups of a meeting: what the meeting asked, who answers for it and by
when (seed 001 §一.3: the director organises a special meeting on the problems,
gives the measures and has the departments resolve them within a deadline);
each can become a case or a rectification in one step, linked both ways."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import cron, staff
from odoo.addons.pm_base.tools.write_guard import workflow_action, workflow_writes

from ..tools import meeting_rules

REMINDER_CRON = "pm_committee.ir_cron_pm_meeting_action_reminder"
TODO = "mail.mail_activity_data_todo"
AGENT = "pm_base.group_pm_agent"
# a rectification made from a follow-up without a deadline has a week
DEFAULT_RECTIFICATION_DAYS = 7


class PmMeetingAction(models.Model):
    _name = "pm.meeting.action"
    _description = "Meeting Follow-up"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "pm.case.source.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "deadline, id"
    _pm_protected_fields = (
        "state",
        "done_date",
        "reminded_date",
        "case_id",
        "rectification_id",
    )

    meeting_id = fields.Many2one(
        "pm.meeting", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="meeting_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    name = fields.Char(string="Follow-up", required=True, tracking=True)
    description = fields.Text()
    team_id = fields.Many2one(
        "pm.team",
        string="Responsible Team",
        domain="['|', ('property_id', '=', property_id), ('property_id', '=', False)]",
    )
    user_id = staff.user("Responsible", required=True, tracking=True, index=True)
    deadline = fields.Date(required=True, tracking=True)
    case_type = fields.Selection(
        [("complaint", "Complaint"), ("suggestion", "Suggestion")],
        string="As a Case",
        default="suggestion",
        help="The kind of case the follow-up becomes.",
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    result = fields.Text(help="What was done.")
    done_date = fields.Date(readonly=True, copy=False)
    reminded_date = fields.Date(
        readonly=True,
        copy=False,
        help="When the responsible was reminded of the passed deadline (once).",
    )
    rectification_id = fields.Many2one(
        "pm.rectification", readonly=True, copy=False, index="btree_not_null"
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    _reminder_pending = models.Index(
        "(deadline) WHERE state = 'open' AND reminded_date IS NULL"
    )

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        for action in self:
            today = action.property_id._pm_today() if action.property_id else None
            action.is_overdue = bool(today) and meeting_rules.followup_overdue(
                action.deadline, action.state, today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Overdue."))
        overdue = Domain("state", "=", "open") & self.env[
            "pm.property"
        ]._pm_today_domain("deadline", "<")
        return overdue if (operator == "=") == value else ~overdue

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            if action.meeting_id.state == "closed":
                raise UserError(
                    _(
                        "Meeting %s is closed: it takes no new follow-up.",
                        action.meeting_id.name,
                    )
                )
        return actions

    def _pm_retention_kept(self):
        """Kept once handed over or finished; an open one written by mistake may
        be deleted."""
        return self.filtered(
            lambda a: a.state != "open" or a.case_id or a.rectification_id
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _pm_check_staff(self):
        """The responsible, customer service and above act on follow-ups."""
        user = self.env.user
        for action in self:
            if action.user_id != user and not user.has_group(AGENT):
                raise AccessError(
                    _(
                        "Only the responsible of follow-up %s or customer service "
                        "may change it.",
                        action.name,
                    )
                )
        self.check_access("write")

    @workflow_action
    def action_done(self):
        """Done with what was done; a follow-up handed over as a case or a
        rectification is done once that is closed or rectified."""
        self._pm_check_staff()
        for action in self:
            if action.state != "open":
                raise UserError(_("Follow-up %s is not open.", action.name))
            if action.case_id and action.case_id.sudo().state != "closed":
                raise UserError(
                    _(
                        "Follow-up %(name)s waits for its case %(case)s to be closed.",
                        name=action.name,
                        case=action.case_id.sudo().name,
                    )
                )
            rect = action.rectification_id.sudo()
            if rect and rect.state not in ("done", "verified"):
                raise UserError(
                    _(
                        "Follow-up %(name)s waits for its rectification %(rect)s to "
                        "be done.",
                        name=action.name,
                        rect=rect.name,
                    )
                )
            if not (action.result or action.case_id or rect):
                raise UserError(
                    _("Record what was done for follow-up %s.", action.name)
                )
        for action in self:
            action.write({"state": "done", "done_date": action.property_id._pm_today()})
        self.activity_unlink([TODO])
        # closing the meeting is the system's step, whoever finished the last one
        self.meeting_id.sudo()._pm_close_when_done()
        return True

    @workflow_action
    def action_cancel(self):
        self._pm_check_staff()
        if not self.env.user.has_group(AGENT):
            raise AccessError(_("Only customer service cancels a follow-up."))
        self.filtered(lambda a: a.state == "open").write({"state": "cancelled"})
        self.activity_unlink([TODO])
        # closing the meeting is the system's step, whoever finished the last one
        self.meeting_id.sudo()._pm_close_when_done()
        return True

    @workflow_action
    def action_reopen(self):
        if not self.env.user.has_group(AGENT):
            raise AccessError(_("Only customer service reopens a follow-up."))
        for action in self:
            if action.meeting_id.state == "closed":
                raise UserError(_("Meeting %s is closed.", action.meeting_id.name))
        self.write({"state": "open", "done_date": False})
        return True

    def action_make_case(self):
        """The follow-up becomes a case (a complaint or a suggestion) recorded as
        the front desk records one, linked both ways (R-LOOP-1)."""
        self._pm_check_meeting_open()
        return super().action_make_case()

    def _pm_case_values(self):
        self.ensure_one()
        meeting = self.meeting_id
        member = meeting.attendee_ids.filtered(
            lambda a: a.partner_id and a.attendee_type != "staff"
        )[:1]
        partner = member.partner_id
        return {
            "property_id": self.property_id.id,
            "partner_id": partner.id,
            "contact_name": partner.name or meeting.name,
            "contact_info": partner.phone or False,
            "request_type": self.case_type or "suggestion",
            "channel": "visit",
            "subject": self._pm_case_subject(_("Meeting %s", meeting.name), self.name),
            "description": self.description or self.name,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
        }

    def action_make_rectification(self):
        """The follow-up becomes a rectification record 整改措施落实情况记录 with
        its responsible and deadline (seed 001 §一.3), linked both ways."""
        self.ensure_one()
        self._pm_check_meeting_open()
        if self.rectification_id:
            return self._pm_open_rectification_action()
        if not self.env.user.has_group(AGENT):
            raise AccessError(
                _("Only the service centre's staff can make a rectification.")
            )
        self.check_access("write")
        today = self.property_id._pm_today()
        deadline = self.deadline or today + timedelta(days=DEFAULT_RECTIFICATION_DAYS)
        Rect = self.env["pm.rectification"]
        rect = Rect.create(
            Rect._pm_prepare_from_source(
                self,
                "meeting",
                self.description or self.name,
                property_id=self.property_id.id,
                team_id=self.team_id.id,
                user_id=self.user_id.id,
                deadline=max(deadline, today),
            )
        )
        with workflow_writes():
            self.write({"rectification_id": rect.id})
        rect.message_post(
            body=_("Made from %s.", self._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        self.message_post(
            body=_(
                "Rectification %s was made from this follow-up.", rect._get_html_link()
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self._pm_open_rectification_action()

    def _pm_open_rectification_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.rectification",
            "res_id": self.rectification_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_meeting(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.meeting",
            "res_id": self.meeting_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_check_meeting_open(self):
        for action in self:
            if action.state != "open":
                raise UserError(_("Follow-up %s is not open.", action.name))

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_pm_remind_overdue(self, batch_size=200):
        """Remind the responsible of each follow-up past its deadline on the
        property's day, once (an activity, marked on the follow-up)."""
        Property = self.env["pm.property"]

        def step(actions):
            # one read of the properties' days, not one per follow-up
            todays = {p.id: p._pm_today() for p in actions.property_id}
            for action in actions:
                today = todays[action.property_id.id]
                if not meeting_rules.followup_needs_reminder(
                    action.deadline, action.state, action.reminded_date, today
                ):
                    continue
                action.activity_schedule(
                    TODO,
                    date_deadline=today,
                    summary=self.env._("Meeting follow-up past its deadline"),
                    note=self.env._(
                        "The deadline of follow-up %(name)s of meeting %(meeting)s "
                        "was %(deadline)s.",
                        name=action.name,
                        meeting=action.meeting_id.name,
                        deadline=action.deadline,
                    ),
                    user_id=action.user_id.id,
                )
                action.write({"reminded_date": today})

        return cron.run_in_batches(
            self,
            "_cron_pm_remind_overdue",
            Domain("state", "=", "open")
            & Domain("reminded_date", "=", False)
            & Property._pm_today_domain("deadline", "<"),
            step,
            batch_size,
            self.env.ref(REMINDER_CRON)._trigger,
        )
