# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

APPROVAL_ACTIVITY = "pm_customer_service.mail_activity_type_pm_approval"
GROUP = "pm_base.group_pm_"
# approving groups from the lowest up: each step goes to the people whose role is
# that group (a quality user also is a director, but is not asked as one)
APPROVER_LADDER = (GROUP + "director", GROUP + "quality", GROUP + "manager")


class PmApprovalMixin(models.AbstractModel):
    """Fixed approval chains that notify the next approvers with one activity
    each, and a "to approve" filter for the current user (R-APPROVE-1).

    Models using it define ``_pm_approval_waiting()`` ({state: approving group
    xmlid}) and call ``_pm_approval_request()`` from their approval actions."""

    _name = "pm.approval.mixin"
    _description = "Approval Notifications"

    pm_to_approve = fields.Boolean(
        string="To Approve",
        compute="_compute_pm_to_approve",
        search="_search_pm_to_approve",
        help="Waiting for an approval step of your role.",
    )

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

    @api.model
    def _pm_approval_waiting(self):
        """{state: xmlid of the group whose approval the state waits for}"""
        return {}

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
            .users.filtered(
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
