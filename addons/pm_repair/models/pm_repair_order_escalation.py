# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models

from odoo.addons.pm_base.tools import escalation as ladder

# the escalation ladder of a repair order (R-CLOCK-1): the one ladder of the
# product, its first two levels held by the engineering side
REPAIR_ESCALATION_LEVELS = [
    ("0", "None"),
    ("1", "Team Leader"),
    ("2", "Engineering Manager"),
    ("3", "Service Centre Director"),
    ("4", "Quality Department"),
]
# the running targets watched, the first one due first on a tie
WATCHED_TARGETS = ("dispatch", "on_site", "contact", "arrival", "plan", "completion")
# what a target's clock reads: the order's steps, its urgency and state
WATCHED_FIELDS = frozenset(
    {
        "state",
        "urgency",
        "intake_date",
        "appointment_date",
        "dispatch_date",
        "contact_date",
        "arrival_date",
        "diagnosis_date",
        "plan_date",
        "done_date",
        "property_id",
    }
)


class PmRepairOrderEscalation(models.Model):
    """The clock of the time targets of an order (R-REP-2, R-CLOCK-1): a target
    missed escalates on the product's one escalation ladder
    (``pm.escalation.mixin``): the team leader, the engineering manager, the
    director of the property, the quality department; one step per level, each
    logged, each person notified once."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    escalation_level = fields.Selection(REPAIR_ESCALATION_LEVELS)
    # the steps of the order's escalation log (the form's smart button)
    escalation_count = fields.Integer(
        string="Escalations",
        compute="_compute_escalation_count",
        groups="pm_base.group_pm_director",
    )

    # ------------------------------------------------------------
    # THE CLOCK
    # ------------------------------------------------------------

    def _pm_escalation_watch(self):
        """The running target due first, and the moment it is missed: the
        completion's alone once the work is under way; nothing once it is
        finished, sent to the developer or cancelled."""
        self.ensure_one()
        pending = self._pm_running_deadlines()
        running = [
            (pending[key], index, key)
            for index, key in enumerate(WATCHED_TARGETS)
            if key in pending
        ]
        if not running:
            return False, False
        deadline, _index, key = min(running)
        # a step made at the limit meets the target: the ladder steps on only
        # once the deadline is over (pm_base tools.escalation.is_due)
        return key, deadline

    @api.model
    def _pm_escalation_param(self, key):
        # a target of minutes has no reminder hours ahead: its ladder starts
        # when it is missed
        if key == "reminder_hours":
            return 0
        return super()._pm_escalation_param(key)

    def _pm_escalation_reschedule(self, done=None):
        before = {order.id: order.escalation_next_date for order in self}
        res = super()._pm_escalation_reschedule(done)
        # the next step is due within minutes: the cron runs at that moment
        due = [
            order.escalation_next_date
            for order in self
            if order.escalation_next_date
            and order.escalation_next_date != before[order.id]
        ]
        if due:
            cron = self._pm_escalation_cron()
            if cron:
                # a step is sent once its moment is over (tools.escalation.is_due)
                cron.sudo()._trigger(min(due) + timedelta(seconds=1))
        return res

    # ------------------------------------------------------------
    # WHO AND WHAT
    # ------------------------------------------------------------

    def _pm_escalation_recipient(self, level):
        """The leader of the order's team, then the engineering manager; the
        director and the quality department as on every record."""
        self.ensure_one()
        if level <= ladder.LEVEL_RESPONSIBLE:
            return self.sudo().team_id.leader_id
        if level == ladder.LEVEL_TEAM_LEADER:
            return self._pm_engineering_manager()
        return super()._pm_escalation_recipient(level)

    def _pm_engineering_manager(self):
        """The engineering manager over the order's team: the leader of the
        company's engineering department (a team of no property), else a
        manager assigned to the property."""
        self.ensure_one()
        department = (
            self.env["pm.team"]
            .sudo()
            .search(
                [
                    ("team_type", "=", "engineering"),
                    ("property_id", "=", False),
                    ("company_id", "=", self.company_id.id),
                    ("leader_id", "!=", False),
                ],
                order="sequence, id",
                limit=1,
            )
        )
        if department:
            return department.leader_id
        managers = self.env.ref("pm_base.group_pm_manager").sudo().all_user_ids
        return (self.sudo().property_id.user_ids & managers).filtered(
            lambda u: not u.share
        )[:1]

    @api.model
    def _pm_escalation_kind_label(self, kind):
        labels = {
            "dispatch": _("Dispatch target"),
            "on_site": _("Arrival on site target"),
            "contact": _("Owner contact target"),
            "arrival": _("Arrival before the appointment target"),
            "plan": _("Repair plan target"),
            "completion": _("Repair completion target"),
        }
        return labels.get(kind) or super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        if self.state == "cancelled":
            return _("the order is cancelled")
        reasons = {
            "dispatch": (self.dispatch_date, _("the order is dispatched")),
            "on_site": (self.arrival_date, _("the technician is on site")),
            "contact": (self.contact_date, _("the owner is contacted")),
            "arrival": (self.arrival_date, _("the technician is on site")),
            "plan": (self.plan_date, _("the repair plan is made")),
            "completion": (self.done_date, _("the repair is finished")),
        }
        stamp, reason = reasons.get(kind, (False, False))
        if stamp:
            return reason
        return super()._pm_escalation_end_reason(kind)

    def _pm_escalation_summary(self, kind, level):
        return _(
            "Repair order %(name)s: %(target)s missed - escalated to %(level)s",
            name=self.name,
            target=self._pm_escalation_kind_label(kind),
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_repair.mail_template_repair_escalation"

    def _pm_escalation_mail_context(self, kind, level):
        return {"pm_deadline_label": self._pm_escalation_kind_label(kind)}

    # ------------------------------------------------------------
    # CRUD AND SCREENS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # the clock of every target is the system's: whoever records the order
        orders.sudo()._pm_escalation_reschedule()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if WATCHED_FIELDS & set(vals):
            self.sudo()._pm_escalation_reschedule()
        return res

    def _compute_escalation_count(self):
        counts = dict(
            self.env["pm.escalation.log"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for order in self:
            order.escalation_count = counts.get(order.id, 0)

    def action_view_escalations(self):
        """The escalation log of the order."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_base.pm_escalation_log_action"
        )
        action.update(
            {
                "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        return action
