# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hmac as stdlib_hmac

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import repair_rules
from .pm_repair_order import (
    ARRIVAL_QR_SCOPE,
    DESK_GROUP,
    MANAGER_GROUP,
    WORK_DAYS,
)


class PmRepairOrderOnSite(models.Model):
    """The technician's phone (issue 21): the day's work list, and the arrival
    on site stamped by a QR code (R-REP-2)."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    # the technician's phone (issue 21): the day and local time of the work,
    # and whether the user may change what the owner or the desk recorded
    work_day = fields.Selection(
        WORK_DAYS,
        string="Day",
        compute="_compute_work_day",
        search="_search_work_day",
        help="When the work is due in the property's time zone: the appointment, "
        "or the time the order was received.",
    )
    work_time_local = fields.Char(
        string="Due", compute="_compute_work_day", help="In the property's time zone."
    )
    can_edit_intake = fields.Boolean(compute="_compute_can_edit_intake")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _pm_work_time(self):
        """When the work is due: the appointment, else when it was received."""
        self.ensure_one()
        if self.urgency == "appointment" and self.appointment_date:
            return self.appointment_date
        return self.intake_date

    @api.depends(
        "urgency", "appointment_date", "intake_date", "property_id.tz", "state"
    )
    def _compute_work_day(self):
        now = fields.Datetime.now()
        for order in self:
            due = order._pm_work_time()
            if not due:
                order.work_day = False
                order.work_time_local = False
                continue
            tz = order.property_id.sudo().tz
            today = clock.local_today(tz, now)
            local_due = clock.local_time(due, tz)
            order.work_day = repair_rules.work_day(local_due.date(), today)
            order.work_time_local = repair_rules.work_time_label(local_due, today)

    def _search_work_day(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on Day."))
        values = [value] if isinstance(value, str) else list(value or [])
        sql = SQL(
            "(SELECT o.id FROM pm_repair_order o WHERE %s IN %s)",
            self._pm_work_day_sql("o"),
            tuple(values) or ("",),
        )
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", sql)]

    @api.model
    def _pm_work_time_sql(self, alias):
        """SQL twin of ``_pm_work_time``."""
        return SQL(
            "CASE WHEN %(urgency)s = 'appointment' AND %(appointment)s IS NOT NULL "
            "THEN %(appointment)s ELSE %(intake)s END",
            urgency=SQL.identifier(alias, "urgency"),
            appointment=SQL.identifier(alias, "appointment_date"),
            intake=SQL.identifier(alias, "intake_date"),
        )

    @api.model
    def _pm_work_day_sql(self, alias):
        """SQL twin of ``_compute_work_day``: 'today', 'earlier' or 'later',
        compared on the property's wall clock (R-TZ-1)."""
        zone = SQL(
            "COALESCE((SELECT tz FROM pm_property WHERE id = %s), %s)",
            SQL.identifier(alias, "property_id"),
            clock.DEFAULT_TZ,
        )
        day = SQL(
            "((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            self._pm_work_time_sql(alias),
            zone,
        )
        today = SQL(
            "((%s::timestamp AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            fields.Datetime.now(),
            zone,
        )
        return SQL(
            "CASE WHEN %(day)s = %(today)s THEN 'today' "
            "WHEN %(day)s < %(today)s THEN 'earlier' ELSE 'later' END",
            day=day,
            today=today,
        )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """The technician's list sorts by ``work_day`` (today, earlier, later)
        and the time the work is due, both computed on the fly."""
        if field_name == "work_day":
            rank = SQL(
                "CASE %s WHEN 'today' THEN 0 WHEN 'earlier' THEN 1 ELSE 2 END",
                self._pm_work_day_sql(alias),
            )
            return SQL("%s %s %s", rank, direction, nulls)
        if field_name == "work_time_local":
            due = self._pm_work_time_sql(alias)
            return SQL("%s %s %s", due, direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.depends_context("uid")
    def _compute_can_edit_intake(self):
        can = self.env.user.has_group(DESK_GROUP)
        for order in self:
            order.can_edit_intake = can

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_arrive(self):
        """The service centre records an arrival it could not get scanned (a
        torn code, a phone without signal): the technician stamps it by scanning
        the QR code at the place; a recorded arrival says so (issue 21)."""
        user = self.env.user
        for order in self:
            leader = order.sudo().team_id.leader_id
            if not (user.has_group(DESK_GROUP) or user == leader):
                raise AccessError(
                    _(
                        "Scan the QR code at the unit or the common-area point to "
                        "stamp your arrival at order %s; the service centre records "
                        "it by hand only when the code cannot be scanned.",
                        order.name,
                    )
                )
        return self._pm_arrive("manual")

    @workflow_action
    def _pm_arrive(self, method):
        """Stamp the arrival on site (R-REP-2), saying how it was proven."""
        return self._pm_move(
            ("dispatched", "taken"),
            {
                "state": "on_site",
                "arrival_date": fields.Datetime.now(),
                "arrival_method": method,
            },
        )

    def _pm_scan_arrival(self):
        """R-REP-2: the technician scans the printed order's QR code on arrival,
        logged in on the phone: the on-site time of the target is stamped once;
        only the assigned technician, the team leader or a manager stamps.

        :return: ``stamped``, or ``already`` when the order was stamped before
            (the stamp never moves)
        :raise AccessError: another user
        :raise UserError: the order is not waiting for its technician
        """
        self.ensure_one()
        user = self.env.user
        order = self.sudo()
        if user not in (order.technician_id | order.team_id.leader_id) and not (
            user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(
                _(
                    "Only the technician of order %(order)s (%(technician)s) or a "
                    "manager can stamp the arrival.",
                    order=order.name,
                    technician=order.technician_id.name or "—",
                )
            )
        if order.arrival_date:
            return "already"
        self._pm_arrive("order_qr")
        return "stamped"

    @api.model
    def _pm_place_domain(self, place):
        """Orders at a unit or a common-area point (a ``pm.location.qr.mixin``)."""
        if place._name == "pm.unit":
            return [("location_type", "=", "unit"), ("unit_id", "=", place.id)]
        return [("location_type", "=", "common"), ("common_area_id", "=", place.id)]

    @api.model
    def _pm_arrive_at_place(self, place):
        """The technician scanned the QR code printed at a unit or a common-area
        point (the building's QR sheet): their open orders there that are due
        today (or have no appointment) get their arrival stamped, proven by the
        place itself (R-REP-2, issue 21).

        :return: ``(stamped, waiting)``: the orders stamped now, and the user's
            other open orders at the place (already on site, or booked for
            another day)
        """
        user = self.env.user
        orders = self.sudo().search(
            [
                *self._pm_place_domain(place),
                ("technician_id", "=", user.id),
                ("state", "in", ("dispatched", "taken", "on_site")),
            ],
            order="appointment_date, intake_date, id",
        )
        # the day depends on the clock, not only on the order: never a cached one
        orders.invalidate_recordset(["work_day", "work_time_local"])
        due = orders.filtered(
            lambda o: o.state != "on_site"
            and (o.urgency != "appointment" or o.work_day != "later")
        )
        if due:
            due.with_user(user)._pm_arrive("place_qr")
        return due, orders - due

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_arrival_signature(self):
        self.ensure_one()
        # 128 bits are plenty, and keep the printed code easy to scan
        return tools.hmac(self.env(su=True), ARRIVAL_QR_SCOPE, self.id)[:32]

    def _pm_arrival_check(self, signature):
        self.ensure_one()
        return isinstance(signature, str) and stdlib_hmac.compare_digest(
            signature, self._pm_arrival_signature()
        )

    def _pm_arrival_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/pm/repair/{self.id}/arrive"
            f"?qr={self._pm_arrival_signature()}"
        )

    def _pm_arrival_qr_image(self):
        """The QR code the technician scans on arrival, as a data URI for the
        printed work order."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._pm_arrival_url(), width=300, height=300, barLevel="M"
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()
