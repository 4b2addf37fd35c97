# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools import portal_pages
from odoo.addons.pm_base.tools.write_guard import (
    workflow_action,
)

from . import repair_rules
from .pm_repair_order import SOURCES

STAFF = "pm_base.group_pm_technician"
# R-THREAD-1: a complaint keeps its own procedure (investigation, decision notice,
# the owner's confirmation) and is only told of its repair orders' progress; any
# other request (a repair, a help request) is one thread with its orders
OWN_PROCEDURE_TYPES = ("complaint",)
# stages of a case before its work starts, and once the owner accepted the work
BEFORE_WORK_STATES = ("received", "investigating", "decided")
RESOLVED_STATES = ("confirmation", "return_visit")


class PmCase(models.Model):
    """A case spawns its repair order in one click (or at its acknowledgement) and
    is one thread with it (R-REP-1 "from a case", R-THREAD-1): the order's progress
    drives the case, its technician handles it, its return-visit rule follows it
    up, and the owner reads one timeline."""

    _inherit = "pm.case"

    repair_order_ids = fields.One2many(
        "pm.repair.order", "case_id", string="Repair Orders"
    )
    repair_order_count = fields.Integer(compute="_compute_repair_order_count")
    repair_category_id = fields.Many2one(
        "pm.repair.category",
        ondelete="restrict",
        tracking=True,
        help="What needs repairing: the repair order made from the case gets this "
        "category (and its team, dispatch rule and return-visit rule).",
    )
    follows_repair_orders = fields.Boolean(
        compute="_compute_follows_repair_orders",
        help="The case moves with its repair orders: dispatched, done and accepted "
        "by the owner there, resolved and closed here.",
    )
    # the technician's photos (and the ones carried from the case) of its orders
    repair_photo_ids = fields.Many2many(
        "ir.attachment",
        compute="_compute_repair_photo_ids",
        string="Repair Photos",
        groups=STAFF,
    )

    def _compute_repair_order_count(self):
        counts = dict(
            self.env["pm.repair.order"]._read_group(
                [("case_id", "in", self.ids)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.repair_order_count = counts.get(case, 0)

    @api.depends("request_type", "repair_order_ids.state")
    def _compute_follows_repair_orders(self):
        for case in self:
            case.follows_repair_orders = case._pm_follows_work_orders()

    @api.depends(
        "repair_order_ids.photo_before_ids", "repair_order_ids.photo_after_ids"
    )
    def _compute_repair_photo_ids(self):
        Attachment = self.env["ir.attachment"]
        for case in self:
            orders = case.repair_order_ids
            photos = orders.photo_before_ids | orders.photo_after_ids
            # a file its uploader has not attached to the order yet stays theirs
            case.repair_photo_ids = Attachment.browse(photos.ids)._filtered_access(
                "read"
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        """受理 of a repair request leads straight to its dispatch: the repair
        order is made from the case and opened where the desk dispatches it."""
        result = super().action_acknowledge()
        if (
            len(self) == 1
            and self.request_type == "repair"
            and not self._pm_thread_orders()
            and self.env["pm.repair.order"].has_access("create")
        ):
            return self.action_create_repair_order()
        return result

    def action_create_repair_order(self):
        """The repair order of the case, filled from it: made at once when the
        case says what needs repairing, and opened at its dispatch step;
        otherwise opened filled in, for the desk to choose the category."""
        self.ensure_one()
        if self.state == "closed":
            raise UserError(_("Case %s is closed.", self.name))
        values = self._prepare_repair_order_values()
        if values.get("category_id"):
            order = self.env["pm.repair.order"].create(values)
            return {
                "type": "ir.actions.act_window",
                "res_model": "pm.repair.order",
                "res_id": order.id,
                "view_mode": "form",
                "target": "current",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("Repair Order"),
            "res_model": "pm.repair.order",
            "view_mode": "form",
            "target": "current",
            "context": {f"default_{key}": value for key, value in values.items()},
        }

    def _prepare_repair_order_values(self):
        """What the order carries from the case: where the request came from,
        the place, the owner and how to reach them, what needs repairing, the
        description and the slot the owner booked (the photos follow on
        creation, ``pm.repair.order._pm_carry_case_photos``)."""
        self.ensure_one()
        vals = {
            "case_id": self.id,
            "source": self.channel if self.channel in dict(SOURCES) else "complaint",
            "origin": self.name,
            "property_id": self.property_id.id,
            "description": self.description or self.subject,
            # the spot, or at least the common-area point, on every print
            "location": self.location or self.common_area_id.display_name,
        }
        if self.partner_id:
            vals["partner_id"] = self.partner_id.id
        if self.repair_category_id:
            vals["category_id"] = self.repair_category_id.id
        if self.unit_id:
            vals.update(location_type="unit", unit_id=self.unit_id.id)
        else:
            vals.update(location_type="common", common_area_id=self.common_area_id.id)
        if self.contact_method in ("phone", "sms") and self.contact_info:
            vals["contact_phone"] = self.contact_info
        if self.appointment_date and self.appointment_date > fields.Datetime.now():
            vals.update(
                urgency="appointment",
                appointment_date=self.appointment_date,
                appointment_window=self.appointment_window,
            )
        return vals

    def action_view_repair_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_repair.pm_repair_order_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action

    # ------------------------------------------------------------
    # ONE THREAD (R-THREAD-1)
    # ------------------------------------------------------------

    def _pm_thread_orders(self):
        """The repair orders carrying the work of the case (not the cancelled
        ones), read as the system: the thread is the same whoever moves it."""
        self.ensure_one()
        return self.sudo().repair_order_ids.filtered(lambda o: o.state != "cancelled")

    def _pm_work_state(self):
        """Where the work of the case stands (``repair_rules.work_state``)."""
        self.ensure_one()
        return repair_rules.work_state(self._pm_thread_orders().mapped("state"))

    def _pm_follows_work_orders(self):
        self.ensure_one()
        return self.request_type not in OWN_PROCEDURE_TYPES and bool(
            self._pm_thread_orders()
        )

    @workflow_action
    def _pm_follow_orders(self):
        """The case moves with its repair orders (R-THREAD-1):

        - an order is worked on → the case is processed, handled by the order's
          technician and team; sent back for rework after the owner accepted
          it → the case is processed again (R-FLOW-2);
        - finished, waiting for the owner's acceptance → the case waits with it,
          and nothing escalates (``_pm_escalation_watch``);
        - accepted by the owner (signed, or recorded by staff) → the case is
          resolved, its return visit is the order's (by the order's category
          rule, never a second one);
        - closed after the order's return visit → the case closes with the
          owner's answer.
        """
        for case in self.sudo():
            if case.state == "closed" or not case._pm_follows_work_orders():
                continue
            orders = case._pm_thread_orders()
            work = repair_rules.work_state(orders.mapped("state"))
            case._pm_follow_handler(orders)
            case._pm_follow_appointment(orders)
            if work in ("working", "finished"):
                if case.state in BEFORE_WORK_STATES:
                    case._move_to("processing")
                elif work == "working" and case.state in RESOLVED_STATES:
                    case._reopen(
                        _(
                            "repair order %s goes back for rework.",
                            ", ".join(orders.mapped("name")),
                        )
                    )
            elif work in ("accepted", "closed"):
                if case.state != "return_visit":
                    case._pm_resolve_with_orders(orders)
                if work == "closed":
                    case._pm_close_with_orders(orders)
        self.sudo()._pm_escalation_reschedule()
        return True

    def _pm_follow_handler(self, orders):
        """The technician and team of the order being worked on (else of the
        latest one) handle the case."""
        self.ensure_one()
        working = orders.filtered(lambda o: o.state in repair_rules.WORKING_STATES)
        current = (working or orders).sorted("id")[-1:]
        values = {}
        if current.team_id and current.team_id != self.team_id:
            values["team_id"] = current.team_id.id
        if current.technician_id and current.technician_id != self.user_id:
            values["user_id"] = current.technician_id.id
        if values:
            self.write(values)

    def _pm_follow_appointment(self, orders):
        """R-SLA-3 / R-SLA-4: a repair booked with the owner for a time after the
        case's resolution deadline moves the deadline to the end of the
        appointment, with the reason (chatter and the owner's email): the case
        does not escalate before the agreed visit."""
        self.ensure_one()
        if self.resolved_date or not self.resolve_deadline:
            return
        booked = orders.filtered(
            lambda o: o.state in repair_rules.WORKING_STATES and o.appointment_stop
        ).sorted("appointment_stop")[-1:]
        end = booked.appointment_stop
        if not end or end <= self.resolve_deadline or end <= fields.Datetime.now():
            return
        self._change_deadline(
            "resolve_deadline",
            end,
            _(
                "repair order %(order)s is booked with the owner for %(time)s.",
                order=booked.name,
                time="%s-%s"
                % (
                    self._local_label(booked.appointment_date),
                    self._local(end).strftime("%H:%M"),
                ),
            ),
            owner_booked=True,
        )

    def _pm_resolve_with_orders(self, orders):
        """The owner accepted the work: the case is resolved (the owner's
        signature is the confirmation, the return visit is due). It was resolved
        when the technicians finished, not when the owner got round to signing:
        the timeliness (R-KPI-1) measures the service."""
        self.ensure_one()
        self._move_to("return_visit")
        finished = max(filter(None, orders.mapped("done_date")), default=None)
        if finished and finished < self.resolved_date:
            self.write({"resolved_date": finished})

    def _pm_close_with_orders(self, orders):
        """Every order is closed after its return visit: the case closes with
        the owner's last answer (R-RV-2, R-FLOW-2)."""
        self.ensure_one()
        visits = orders.return_visit_ids.filtered(lambda v: v.state == "done")
        last = visits.sorted(lambda v: (v.done_date, v.id))[-1:]
        self.write(
            {
                "satisfaction": last.satisfaction or self.satisfaction,
                "return_visit_done": True,
            }
        )
        self._move_to("closed")

    def _pm_escalation_watch(self):
        """R-THREAD-1 / R-ESC-1: the resolution of a case that follows repair
        orders is watched while an order is worked on (a repair booked after the
        deadline has moved it, ``_pm_follow_appointment``). Once the technicians
        finished, the work is done: nothing reminds nor escalates while the
        owner's acceptance is awaited (the owner's answer moves the order), nor
        after it (the order's return visit follows up)."""
        kind, deadline = super()._pm_escalation_watch()
        if (
            kind
            and self._pm_follows_work_orders()
            and self._pm_work_state() != "working"
        ):
            return False, False
        return kind, deadline

    def _pm_escalation_end_reason(self, kind):
        """The technicians finished the work of the case: its escalation ends
        with the work, before the owner's acceptance resolves it."""
        self.ensure_one()
        if (
            self.state != "closed"
            and not self.resolved_date
            and self._pm_follows_work_orders()
            and self._pm_work_state() != "working"
        ):
            return _(
                "the work of repair order %s is finished",
                ", ".join(self._pm_thread_orders().mapped("name")),
            )
        return super()._pm_escalation_end_reason(kind)

    def _notify_assignment(self):
        """R-MAIL-1: the technician of an order the case follows was told by the
        order's dispatch; taking the case over with it tells nobody again."""
        told = self.filtered(
            lambda c: c._pm_follows_work_orders()
            and c.user_id in c._pm_thread_orders().technician_id
        )
        return super(PmCase, self - told)._notify_assignment()

    def _pm_rating_visit(self):
        """The owner's answer through a rating link records the order's return
        visit (one visit for one problem)."""
        visit = super()._pm_rating_visit()
        if visit or not self._pm_follows_work_orders():
            return visit
        return self._pm_thread_orders().return_visit_ids.filtered(
            lambda v: v.state == "planned" and v.method != "door"
        )[:1]

    def _pm_rating_open(self):
        """A case that follows repair orders is rated when an order's return
        visit can take the owner's answer (a door visit, or one still waiting for
        the rain, is made in person)."""
        return super()._pm_rating_open() and (
            not self._pm_follows_work_orders() or bool(self._pm_rating_visit())
        )

    # ------------------------------------------------------------
    # PORTAL: ONE TIMELINE
    # ------------------------------------------------------------

    def _pm_portal_progress(self):
        self.ensure_one()
        if not self._pm_follows_work_orders():
            return super()._pm_portal_progress()
        return self._pm_thread_progress(self._pm_thread_orders().sorted("id")[-1:])

    def _pm_thread_progress(self, order):
        """One timeline for the owner (R-THREAD-1): the request's submission and
        acknowledgement, the repair order's dispatch, visit, finish and
        acceptance, the request's closing; in the property's local time."""
        self.ensure_one()
        when = self._get_local_text
        steps = [
            (_("Submission"), when(self.intake_date), True),
            (
                _("Acknowledgement"),
                when(self.acknowledged_date),
                bool(self.acknowledged_date),
            ),
            *order._pm_progress_work_steps(when),
            (_("Closing"), when(self.closed_date), self.state == "closed"),
        ]
        return portal_pages.progress_steps(steps)
