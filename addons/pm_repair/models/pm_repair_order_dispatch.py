# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import cron
from odoo.addons.pm_base.tools.write_guard import (
    workflow_action,
    workflow_writes,
)

from .pm_repair_order import (
    DESK_GROUP,
    DISPATCH_ACTIVITY,
    DISPATCH_METHODS,
    DISPATCH_OPEN_STATES,
    STAFF_GROUP,
)


class PmRepairOrderDispatch(models.Model):
    """Who takes the order (R-PICK-1, R-DISPATCH-2): the technicians offered,
    the dispatch by staff or rule, the grab hall (抢单) and the dispatch queue."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    # R-PICK-1: who the picker offers, the same people the checks accept
    technician_candidate_ids = fields.Many2many(
        "res.users",
        string="Technicians Offered",
        compute="_compute_technician_candidate_ids",
        groups=STAFF_GROUP,
    )
    # R-DISPATCH-2: who dispatched, and the grab window (抢单) of a rule
    dispatch_method = fields.Selection(
        DISPATCH_METHODS, string="Dispatched", copy=False, readonly=True
    )
    dispatch_rule_id = fields.Many2one(
        "pm.dispatch.rule", copy=False, readonly=True, ondelete="set null"
    )
    grab_deadline = fields.Datetime(
        string="Open for Grabbing Until",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Technicians of the team may grab the order until then; then the "
        "dispatch rule assigns it.",
    )
    grab_open = fields.Boolean(
        string="Open for Grabbing",
        compute="_compute_grab_open",
        search="_search_grab_open",
    )
    # R-PICK-1: the grab hall lists, and the Grab button shows, what the current
    # user may take (the check of the technician picker)
    can_grab = fields.Boolean(
        string="I May Grab",
        compute="_compute_can_grab",
        search="_search_can_grab",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends(
        "team_id.member_ids",
        "team_id.leader_id",
        "property_id",
        "category_id.team_type",
    )
    def _compute_technician_candidate_ids(self):
        for order in self:
            order.technician_candidate_ids = order._pm_allowed_technicians()

    @api.depends("state", "technician_id", "grab_deadline")
    @api.depends_context("uid")
    def _compute_grab_open(self):
        now = fields.Datetime.now()
        for order in self:
            order.grab_open = bool(
                order.state == "new"
                and not order.technician_id
                and order.grab_deadline
                and order.grab_deadline > now
            )

    def _search_grab_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Open for Grabbing."))
        domain = [
            ("state", "=", "new"),
            ("technician_id", "=", False),
            ("grab_deadline", ">", fields.Datetime.now()),
        ]
        if (operator == "=") != value:
            return ~Domain(domain)
        return domain

    @api.depends("grab_open", "team_id.member_ids", "team_id.leader_id")
    @api.depends_context("uid")
    def _compute_can_grab(self):
        user = self.env.user
        for order in self:
            order.can_grab = order.grab_open and order._pm_may_be_technician(user)

    def _search_can_grab(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on I May Grab."))
        # few orders are open at a time (a window of minutes): the check runs
        # on them, the same as the Grab button's
        user = self.env.user
        open_orders = self.sudo().search([("grab_open", "=", True)])
        ids = [o.id for o in open_orders if o._pm_may_be_technician(user)]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("technician_id", "team_id")
    def _check_technician(self):
        """R-PICK-1: the technician of an order is one of its team's."""
        for order in self.filtered("technician_id"):
            order._pm_check_technician(order.technician_id)

    @api.onchange("team_id", "category_id", "property_id")
    def _onchange_team_technician(self):
        # the picker offers the new team's technicians: drop one who is not
        if self.technician_id and not self._pm_may_be_technician(self.technician_id):
            self.technician_id = False

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _pm_dispatch_by_rule(self, vals):
        Rule = self.env["pm.dispatch.rule"]
        if vals.get("technician_id") or not vals.get("property_id"):
            return Rule
        unit = self.env["pm.unit"].sudo().browse(vals.get("unit_id"))
        values = {
            "property_id": vals["property_id"],
            "building_id": unit.building_id.id,
            "category_id": vals.get("category_id"),
        }
        return Rule._pm_dispatch_vals(
            "repair",
            self._name,
            vals,
            values,
            vals.get("description"),
            "technician_id",
        )

    @api.model
    def _pm_dispatch_loads(self, users):
        """{user id: open orders of the technician}"""
        return {
            user.id: count
            for user, count in self.sudo()._read_group(
                [
                    ("technician_id", "in", users.ids),
                    ("state", "in", DISPATCH_OPEN_STATES),
                ],
                ["technician_id"],
                ["__count"],
            )
        }

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_dispatch(self):
        """Send the order to its technician (R-REP-2: within 2 minutes of intake),
        one of its team's (R-PICK-1)."""
        for order in self:
            order._pm_first_missing(
                ("new",),
                "technician_id",
                _(
                    "choose one of the technicians of %s, then press Dispatch",
                    order.sudo().team_id.display_name or _("its trade"),
                ),
            )
            order._pm_check_technician(order.technician_id)
        self._pm_dispatch("staff")
        # only staff dispatch an order of the queue: neither a rule nor the
        # grab hall takes one (it was open for grabbing or never queued)
        self._pm_leave_dispatch_queue()
        return True

    @workflow_action
    def _pm_dispatch(self, method):
        """Dispatch to the chosen technicians: state, stamp, follower, activity."""
        self.write(
            {
                "state": "dispatched",
                "dispatch_date": fields.Datetime.now(),
                "dispatch_method": method,
                "grab_deadline": False,
            }
        )
        for order in self:
            order.message_subscribe(partner_ids=order.technician_id.partner_id.ids)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=order.technician_id.id,
                summary=_("Repair %s", order.name),
                note=order.description,
            )
        return True

    @workflow_action
    def action_grab(self):
        """A technician of the order's team grabs it (抢单) while its grab window
        is open: the order is dispatched to them and taken over at once. The row
        lock makes two technicians grabbing at the same moment get one winner."""
        self.ensure_one()
        user = self.env.user
        team = self.sudo().team_id
        if not self._pm_may_be_technician(user):
            raise UserError(
                _(
                    "Only the technicians of team %(team)s may grab order %(order)s.",
                    team=team.display_name,
                    order=self.name,
                )
            )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM pm_repair_order WHERE id = %s FOR UPDATE NOWAIT",
                    (self.id,),
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                _("Another technician is grabbing order %s.", self.name)
            ) from None
        self.invalidate_recordset()
        if not self.grab_open:
            raise UserError(_("Order %s is no longer open for grabbing.", self.name))
        now = fields.Datetime.now()
        self.write(
            {
                "technician_id": user.id,
                "state": "taken",
                "dispatch_date": now,
                "take_date": now,
                "dispatch_method": "grab",
                "grab_deadline": False,
            }
        )
        self.message_subscribe(partner_ids=user.partner_id.ids)
        return True

    @api.model
    @cron.exclusive_run
    def _cron_pm_grab(self, batch_size=200):
        """R-DISPATCH-2: orders nobody grabbed in their window go to the member
        their rule picks (the team leader when it has no member). One run at a
        time; an order a technician is grabbing right now is theirs."""

        def step(orders):
            # a technician who grabbed one of them meanwhile keeps it
            orders.invalidate_recordset()
            with workflow_writes():
                for order in orders.filtered(lambda o: not o.technician_id):
                    order._pm_grab_window_closed()

        return cron.run_in_batches(
            self,
            "_cron_pm_grab",
            [
                ("grab_deadline", "<=", fields.Datetime.now()),
                ("state", "=", "new"),
                ("technician_id", "=", False),
            ],
            step,
            batch_size,
            self.env.ref("pm_repair.ir_cron_pm_repair_grab")._trigger,
            order="grab_deadline, id",
        )

    def _pm_grab_window_closed(self):
        """Nobody grabbed the order in its window: the member its rule picks
        takes it, in the rule's team, still the order's unless staff changed it;
        otherwise the team leader; else it waits in the dispatch queue."""
        self.ensure_one()
        rule = self.dispatch_rule_id
        user = (
            rule._pm_pick_user(self._name)
            if rule and rule.team_id == self.team_id
            else None
        )
        user = user or self.team_id.leader_id
        if user and self._pm_may_be_technician(user):
            self.technician_id = user
            self._pm_dispatch("rule")
            return
        self.grab_deadline = False
        self.message_post(
            body=_(
                "Nobody grabbed this order and its team has no member "
                "to assign it to: dispatch it by hand."
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._pm_queue_for_dispatch()

    def _pm_may_change_desk_fields(self, names):
        user = self.env.user
        return super()._pm_may_change_desk_fields(names) or (
            names <= self._pm_leader_fields
            and all(user == order.sudo().team_id.leader_id for order in self)
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_allowed_technicians(self):
        """R-PICK-1: who may be the technician of the order: the active staff of
        its team (members and leader); when the team has nobody, or the order
        no team, those of the property's teams of its trade. The one answer the
        picker, the dispatch, the grab hall and the rules all use."""
        self.ensure_one()
        order = self.sudo()

        def people(teams):
            return (teams.member_ids | teams.leader_id).filtered(
                lambda u: u.active and u._is_internal()
            )

        allowed = people(order.team_id)
        if allowed or not order.property_id:
            return allowed
        trade = order.team_id.team_type or order.category_id.team_type
        if trade:
            allowed = people(
                self.env["pm.team"]
                .sudo()
                .search(
                    [
                        ("property_id", "=", order.property_id.id),
                        ("team_type", "=", trade),
                    ]
                )
            )
        if allowed:
            return allowed
        # a property without a team of the trade: its staff in the technician
        # role (not the front desk, the director or the administrator)
        return order.property_id.user_ids.filtered(
            lambda u: u.active
            and u.has_group(STAFF_GROUP)
            and not u.has_group(DESK_GROUP)
        )

    def _pm_may_be_technician(self, user):
        """Whether ``user`` is one of ``_pm_allowed_technicians``; a member of
        the team is recognised without reading the whole list."""
        self.ensure_one()
        team = self.sudo().team_id
        if user in team.member_ids and user.active and user._is_internal():
            return True
        return user in self._pm_allowed_technicians()

    def _pm_check_technician(self, user):
        """Refuse ``user`` as the technician of the order unless allowed."""
        self.ensure_one()
        if self._pm_may_be_technician(user):
            return
        team = self.sudo().team_id
        raise ValidationError(
            _(
                "%(user)s is not a technician of %(team)s and cannot take order "
                "%(order)s: choose one of its technicians, or another team.",
                user=user.name,
                team=team.display_name or _("the trade of the order"),
                order=self.name,
            )
        )

    def _pm_queue_for_dispatch(self):
        """R-PICK-1 (like R-INTAKE-3): an order from an owner that nobody
        dispatched waits among the unassigned orders with a "dispatch" activity
        for the leader of its team, else the front desk user on duty; the
        activity notifies its assignee."""
        for order in self:
            user = (
                order.sudo().team_id.leader_id
                or order.property_id.sudo()._pm_front_desk_assignee()
            )
            if not user:
                order.message_post(
                    body=_(
                        "Nobody can dispatch this order: the team has no leader and "
                        "nobody is on duty at the front desk of %s.",
                        order.property_id.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            order.activity_schedule(
                DISPATCH_ACTIVITY,
                date_deadline=order.property_id._pm_today(),
                summary=_(
                    "Dispatch the repair of %s",
                    order.partner_id.display_name or order.location or order.name,
                ),
                user_id=user.id,
            )

    def _pm_leave_dispatch_queue(self):
        """The dispatched orders' "dispatch" activity is done."""
        queued = self.filtered(
            lambda o: self._pm_dispatch_type_id() in o.activity_ids.activity_type_id.ids
        )
        for order in queued:
            order.activity_feedback(
                [DISPATCH_ACTIVITY],
                feedback=_("Dispatched to %s.", order.technician_id.name),
            )

    @api.model
    def _pm_dispatch_type_id(self):
        # the cached xmlid lookup: env.ref would check the record exists each time
        return self.env["ir.model.data"]._xmlid_to_res_id(DISPATCH_ACTIVITY)
