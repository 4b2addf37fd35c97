# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Meetings of a property with its owners: the owners' committee's meetings, the
owners' symposiums 业主座谈会 and special meetings 专题会议 (seed 001 §一.3, §四,
4.1.3 d); seed 003 §4.1.4): who was invited and came, the agenda, the minutes
approved by the service-centre director, the follow-ups and the signed
record."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import is_html_empty

from odoo.addons.pm_base.tools import clock, staff
from odoo.addons.pm_base.tools.approvals import GROUP, ApprovalStep
from odoo.addons.pm_base.tools.write_guard import is_trusted, workflow_action

from ..tools import meeting_rules

AGENT = GROUP + "agent"
REPORT_XMLID = "pm_committee.action_report_pm_meeting"
MEETING_KINDS = [
    ("committee", "Committee Meeting"),
    ("symposium", "Owners' Symposium"),
    ("special", "Special Meeting"),
    ("other", "Other Meeting"),
]
ATTENDEE_TYPES = [
    ("member", "Committee Member"),
    ("owner", "Owner"),
    ("staff", "Staff"),
]
ATTENDANCE = [
    ("invited", "Invited"),
    ("present", "Present"),
    ("absent", "Absent"),
]
# the states where the attendance and the minutes are still written
OPEN_STATES = ("draft", "held")


class PmMeeting(models.Model):
    _name = "pm.meeting"
    _description = "Meeting"
    _inherit = [
        "pm.property.bound.mixin",
        "pm.approval.mixin",
        "pm.workflow.guard.mixin",
        "portal.mixin",
    ]
    _order = "date_start desc, id desc"
    _pm_protected_fields = ("held_user_id", "held_date", "close_date")
    _pm_frozen_states = ("submitted", "approved", "closed")

    name = fields.Char(string="Subject", required=True, tracking=True)
    kind = fields.Selection(
        MEETING_KINDS, required=True, default="committee", tracking=True, index=True
    )
    property_id = fields.Many2one(tracking=True)
    committee_id = fields.Many2one(
        "pm.committee",
        index="btree_not_null",
        tracking=True,
        domain="[('property_id', '=', property_id)]",
    )
    campaign_id = fields.Many2one(
        "pm.survey.campaign",
        string="Survey Campaign",
        index="btree_not_null",
        domain="[('property_id', '=', property_id)]",
        help="The survey campaign whose results the meeting discusses.",
    )
    symposium_id = fields.Many2one(
        "pm.survey.symposium",
        string="Earlier Symposium Record",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The symposium record of the survey app this meeting was carried over "
        "from.",
    )
    date_start = fields.Datetime(
        string="Date", required=True, default=fields.Datetime.now, tracking=True
    )
    date_text = fields.Char(string="Date at the Property", compute="_compute_date_text")
    location = fields.Char(string="Place")
    organizer_id = staff.user("Organizer", default=lambda self: self.env.user)
    attendee_ids = fields.One2many("pm.meeting.attendee", "meeting_id", "Attendees")
    invited_count = fields.Integer(compute="_compute_attendance")
    present_count = fields.Integer(compute="_compute_attendance")
    attendance_rate = fields.Char(compute="_compute_attendance")
    agenda = fields.Html()
    minutes = fields.Html()
    decisions = fields.Html()
    action_ids = fields.One2many("pm.meeting.action", "meeting_id", "Follow-ups")
    action_open_count = fields.Integer(
        string="Open Follow-ups", compute="_compute_action_counts"
    )
    action_closed_count = fields.Integer(
        string="Closed Follow-ups", compute="_compute_action_counts"
    )
    closable = fields.Boolean(compute="_compute_action_counts")
    state = fields.Selection(
        [
            ("draft", "Preparing"),
            ("held", "Held"),
            ("submitted", "Minutes Submitted"),
            ("approved", "Minutes Approved"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    held_user_id = fields.Many2one("res.users", "Held Recorded By", readonly=True)
    held_date = fields.Datetime("Held Recorded On", readonly=True, copy=False)
    submit_user_id = fields.Many2one(
        "res.users", "Minutes Submitted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime("Minutes Submitted On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", "Minutes Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime("Minutes Approved On", readonly=True, copy=False)
    close_date = fields.Datetime("Closed On", readonly=True, copy=False)

    @api.depends("date_start", "property_id.tz")
    def _compute_date_text(self):
        for meeting in self:
            meeting.date_text = clock.local_stamp(
                meeting.date_start, meeting.property_id.tz
            )

    @api.depends("attendee_ids.attendance")
    def _compute_attendance(self):
        for meeting in self:
            invited = len(meeting.attendee_ids)
            present = len(
                meeting.attendee_ids.filtered(lambda a: a.attendance == "present")
            )
            meeting.invited_count = invited
            meeting.present_count = present
            meeting.attendance_rate = meeting_rules.attendance_text(invited, present)

    @api.depends("action_ids.state", "state")
    def _compute_action_counts(self):
        closed_states = meeting_rules.FOLLOWUP_CLOSED_STATES
        for meeting in self:
            states = meeting.action_ids.mapped("state")
            closed = sum(1 for s in states if s in closed_states)
            meeting.action_closed_count = closed
            meeting.action_open_count = len(states) - closed
            meeting.closable = meeting_rules.meeting_closable(meeting.state, states)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for meeting in self:
            meeting.access_url = f"/my/meetings/{meeting.id}"
        return res

    def _pm_retention_kept(self):
        return self.filtered(lambda meeting: meeting.state != "draft")

    # ------------------------------------------------------------
    # APPROVAL (R-APPROVE-1)
    # ------------------------------------------------------------

    @api.model
    def _pm_approval_steps(self):
        """The minutes of a held meeting are submitted by customer service and
        approved by the service-centre director (seed 003 §4.1.4: the director
        approves; §4.2.5: documents to owners are signed by the director); sent
        back, the meeting is held again, its minutes to be corrected."""
        return (
            ApprovalStep(
                "submit", "held", "submitted", AGENT, "submit_user_id", "submit_date"
            ),
            ApprovalStep(
                "approve",
                "submitted",
                "approved",
                GROUP + "director",
                "approve_user_id",
                "approve_date",
                summary=_("Meeting minutes to be approved by the director"),
            ),
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _pm_check_agent(self):
        if not self.env.user.has_group(AGENT):
            raise AccessError(
                _("Only the service centre's customer service prepares meetings.")
            )
        self.check_access("write")

    @workflow_action
    def action_hold(self):
        """The meeting took place: its attendance is marked (at least one person
        present)."""
        self._pm_check_agent()
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(_("Meeting %s is not being prepared.", meeting.name))
            if not meeting.present_count:
                raise UserError(
                    _(
                        "Mark who attended meeting %s before recording it as held.",
                        meeting.name,
                    )
                )
        self.write(
            {
                "state": "held",
                "held_user_id": self.env.uid,
                "held_date": fields.Datetime.now(),
            }
        )
        return True

    def action_submit(self):
        """Customer service sends the minutes to the director; never empty."""
        self._pm_check_agent()
        empty = self.filtered(lambda m: m._pm_html_empty(m.minutes))[:1]
        if empty:
            raise UserError(
                _("Write the minutes of meeting %s before submitting them.", empty.name)
            )
        return self._pm_approval_advance("submit")

    def action_approve(self):
        """The director approves the minutes: the committee members read them on
        the portal."""
        result = self._pm_approval_advance("approve")
        for meeting in self:
            meeting.message_post(
                subtype_xmlid="mail.mt_note",
                body=_(
                    "Minutes approved by %(user)s, %(when)s.",
                    user=self.env.user.name,
                    when=clock.local_stamp(
                        meeting.approve_date, meeting.property_id.tz
                    ),
                ),
            )
        return result

    @workflow_action
    def action_close(self):
        """Closed once the minutes are approved and every follow-up is done."""
        self._pm_check_agent()
        for meeting in self:
            if not meeting.closable:
                raise UserError(
                    _(
                        "Meeting %s closes once its minutes are approved and all its "
                        "follow-ups are done.",
                        meeting.name,
                    )
                )
        self.write({"state": "closed", "close_date": fields.Datetime.now()})
        return True

    def action_print_minutes(self):
        self.ensure_one()
        return self.env.ref(REPORT_XMLID).report_action(self)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @staticmethod
    def _pm_html_empty(value):
        return is_html_empty(value)

    @workflow_action
    def _pm_close_when_done(self):
        """The last follow-up done closes an approved meeting (a system step,
        taken after the follow-up's own checks)."""
        done = self.filtered("closable")
        if done:
            done.write({"state": "closed", "close_date": fields.Datetime.now()})
            for meeting in done:
                meeting.message_post(
                    subtype_xmlid="mail.mt_note",
                    body=_("All follow-ups are done: the meeting is closed."),
                )
        return done

    def _pm_minutes_pdf(self):
        """The signed record of the minutes (会议纪要) as PDF bytes."""
        self.ensure_one()
        pdf, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT_XMLID, self.ids)
        )
        return pdf

    def _pm_portal_members(self):
        """The committee members of the meeting's property (portal readers)."""
        return (
            self.env["pm.committee.member"]
            .sudo()
            .search([("property_id", "in", self.property_id.ids)])
            .partner_id
        )


class PmMeetingAttendee(models.Model):
    """Who is invited to a meeting and whether they came: committee members,
    owners and the service centre's staff (seed 003 §4.1.4: the people of the
    meeting)."""

    _name = "pm.meeting.attendee"
    _description = "Meeting Attendee"
    _order = "meeting_id, attendee_type, id"

    meeting_id = fields.Many2one(
        "pm.meeting", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="meeting_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)
    attendee_type = fields.Selection(
        ATTENDEE_TYPES, string="Type", required=True, default="owner"
    )
    partner_id = fields.Many2one("res.partner", string="Owner", index=True)
    user_id = staff.user("Staff Member")
    name = fields.Char(compute="_compute_name", store=True)
    # in the reader's language: computed when read
    role = fields.Char(compute="_compute_role")
    attendance = fields.Selection(ATTENDANCE, required=True, default="invited")

    _person = models.Constraint(
        "CHECK(partner_id IS NOT NULL OR user_id IS NOT NULL)",
        "An attendee is an owner or a staff member.",
    )

    @api.depends("partner_id", "user_id")
    def _compute_name(self):
        for attendee in self:
            attendee.name = (attendee.user_id or attendee.partner_id).name

    @api.depends("partner_id", "user_id", "attendee_type", "meeting_id.committee_id")
    @api.depends_context("lang")
    def _compute_role(self):
        roles = dict(
            self.env["pm.committee.member"]
            ._fields["role"]
            ._description_selection(self.env)
        )
        for attendee in self:
            member = attendee.meeting_id.committee_id.member_ids.filtered(
                lambda m, a=attendee: m.partner_id == a.partner_id
            )[:1]
            if attendee.attendee_type == "staff":
                attendee.role = attendee.user_id.partner_id.function or ""
            else:
                attendee.role = roles.get(member.role, "") if member else ""

    @api.model_create_multi
    def create(self, vals_list):
        meetings = self.env["pm.meeting"].browse(
            [vals.get("meeting_id") for vals in vals_list]
        )
        self._pm_check_open(meetings)
        return super().create(vals_list)

    def write(self, vals):
        self._pm_check_open(self.meeting_id)
        return super().write(vals)

    def unlink(self):
        self._pm_check_open(self.meeting_id)
        return super().unlink()

    def _pm_check_open(self, meetings):
        """The attendance is the record of the meeting: written while the meeting
        is prepared or held, never once its minutes are submitted."""
        if is_trusted(self.env):
            return
        closed = meetings.filtered(lambda m: m.state not in OPEN_STATES)[:1]
        if closed:
            raise UserError(
                _(
                    "The minutes of meeting %s are submitted: its attendance cannot "
                    "change any more.",
                    closed.name,
                )
            )

    def action_mark_present(self):
        self.write({"attendance": "present"})
        return True

    def action_mark_absent(self):
        self.write({"attendance": "absent"})
        return True
