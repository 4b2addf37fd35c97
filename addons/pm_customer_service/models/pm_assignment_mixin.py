# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools.write_guard import is_trusted

# who takes any record of their properties, whatever its team
TAKE_ANY_GROUP = "pm_base.group_pm_director"


class PmAssignmentMixin(models.AbstractModel):
    """Records assigned to people (cases, repair orders, rectifications): when a
    record is reassigned, the open activities of the person who held it move to
    the person who holds it now (R-PICK-1), so that a reassignment never leaves
    work in the previous person's to-do list.

    A model lists in ``_pm_assignee_fields`` the fields that name who holds the
    record, the one who does the work first: ``{field name: path from the field's
    value to the user}``, an empty path for a ``res.users`` field, e.g.
    ``{"user_id": "", "team_id": "leader_id"}`` (a team is held by its leader).

    Staff take a record (name themselves as who holds it) only when it is their
    own team's, or has no team yet; the director and the managers take any
    record of their properties. The actions that check the team and the state
    (a repair order's grab and dispatch) are server code.
    """

    _name = "pm.assignment.mixin"
    _description = "Assignment Mixin"

    _pm_assignee_fields = {}

    def write(self, vals):
        names = [name for name in self._pm_assignee_fields if name in vals]
        if not names:
            return super().write(vals)
        if not is_trusted(self.env):
            self._pm_check_take(vals)
        before = {record.id: record._pm_assignees(names) for record in self}
        res = super().write(vals)
        self._pm_move_activities(before, names)
        return res

    def _pm_check_take(self, vals):
        """R-PICK-1: refuse a user taking records of a team they are not in
        (nor its leader), whether by an action or by editing the record; the
        records' current team counts, not the one the same write would give."""
        user_field = next(
            (name for name, path in self._pm_assignee_fields.items() if not path),
            None,
        )
        if not user_field or vals.get(user_field) != self.env.uid:
            return
        user = self.env.user
        if user.has_group(TAKE_ANY_GROUP):
            return
        for record in self:
            held = record.sudo()
            if held[user_field] == user or "team_id" not in self._fields:
                continue
            team = held.team_id
            if team and user not in team.member_ids | team.leader_id:
                raise UserError(
                    _(
                        "%(record)s is in the hands of team %(team)s: only its "
                        "members, its leader or the service-centre director can "
                        "take it.",
                        record=held.display_name,
                        team=team.display_name,
                    )
                )

    def _pm_assignees(self, names=None):
        """{field name: the user who holds the record through it}"""
        self.ensure_one()
        record = self.sudo()
        people = {}
        for name in names or self._pm_assignee_fields:
            path = self._pm_assignee_fields[name]
            value = record[name]
            people[name] = value.mapped(path)[:1] if path else value
        return people

    def _pm_move_activities(self, before, names):
        """Move the open activities of each replaced person to their successor.

        A person who still does the work through a field listed before (e.g. the
        responsible who was also the leader of the former team) keeps their
        activities. The moved activities are notified once per successor and
        record, not once per activity.
        """
        order = list(self._pm_assignee_fields)
        for record in self:
            if not any(before[record.id].values()):
                # first assignment: nothing to move
                continue
            now = record._pm_assignees()
            for name in names:
                old, new = before[record.id][name], now[name]
                if not old or not new or old == new:
                    continue
                above = order[: order.index(name)]
                if any(now[other] == old for other in above):
                    continue
                activities = record.sudo().activity_ids.filtered(
                    lambda a, u=old: a.user_id == u
                )
                if not activities:
                    continue
                # one notification below instead of one "assigned to you" email
                # per activity (R-MAIL-1)
                activities.sudo().with_context(mail_activity_quick_update=True).write(
                    {"user_id": new.id}
                )
                record._pm_notify_moved_activities(name, new, activities)

    def _pm_notify_moved_activities(self, field_name, user, activities):
        """Tell ``user`` once that the record's ``activities`` are theirs now;
        models that announce a reassignment themselves skip it."""
        if user != self.env.user:
            activities[:1].sudo().action_notify()
