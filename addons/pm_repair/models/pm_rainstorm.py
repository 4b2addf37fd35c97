# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from odoo.addons.pm_base.tools.write_guard import (
    workflow_action,
)

from . import repair_rules


class PmRainstorm(models.Model):
    """A heavy rainstorm on a property: leak repairs get their return visit after it
    (R-REP-RV)."""

    _name = "pm.rainstorm"
    _description = "Heavy Rainstorm"
    _inherit = ["mail.thread", "pm.property.bound.mixin"]
    _order = "date desc, id desc"

    property_id = fields.Many2one(
        default=lambda self: self.env.user.pm_property_ids[:1]
    )
    date = fields.Date(
        required=True, default=lambda self: self._default_date(), index=True
    )
    notes = fields.Text()
    order_ids = fields.One2many(
        "pm.repair.order", "rainstorm_id", string="Leak Repairs Visited", readonly=True
    )
    order_count = fields.Integer(compute="_compute_order_count")

    @api.depends("order_ids")
    def _compute_order_count(self):
        for storm in self:
            storm.order_count = len(storm.order_ids)

    @api.depends("property_id", "date")
    def _compute_display_name(self):
        for storm in self:
            storm.display_name = f"{storm.property_id.name or ''} {storm.date or ''}"

    @api.model
    def _default_date(self):
        """Today at the property the rainstorm is recorded for (R-TZ-1)."""
        prop = self.env["pm.property"].browse(
            self.env.context.get("default_property_id")
        ) or self._fields["property_id"].default(self)
        return prop.sudo()._pm_today() if prop else fields.Date.context_today(self)

    @api.constrains("date", "property_id")
    def _check_date(self):
        for storm in self:
            # R-TZ-1: the future starts after today at the property
            if storm.date > storm.property_id.sudo()._pm_today():
                raise ValidationError(
                    _("A rainstorm cannot be recorded in the future (%s).", storm.date)
                )

    @api.model_create_multi
    def create(self, vals_list):
        storms = super().create(vals_list)
        storms._create_return_visits()
        return storms

    @workflow_action
    def _create_return_visits(self):
        """Plan the door visits of the leak repairs of the property that were
        accepted before the rainstorm and still wait for rain (R-REP-RV).

        An order leaves the waiting list when its visit is planned, so recording the
        same storm twice plans nothing twice.
        """
        for storm in self:
            orders = self.env["pm.repair.order"].search(
                [
                    ("awaiting_rain", "=", True),
                    ("property_id", "=", storm.property_id.id),
                    ("state", "=", "return_visit"),
                ]
            )
            orders = orders.filtered(
                lambda o, s=storm: o._pm_local_date(o.owner_accept_date) <= s.date
            )
            orders = storm._take_waiting_orders(orders)
            for order in orders:
                category = order.category_id
                order._pm_create_return_visit(
                    method=category.return_visit_method,
                    due_date=repair_rules.return_visit_due(
                        storm.date, category.return_visit_delay_days
                    ),
                )
            orders.write({"awaiting_rain": False, "rainstorm_id": storm.id})
            if orders:
                storm.message_post(
                    body=_(
                        "Return visits planned for %(count)s leak repairs: %(names)s",
                        count=len(orders),
                        names=", ".join(orders.mapped("name")),
                    )
                )

    def _take_waiting_orders(self, orders):
        """Lock the waiting orders for this storm: those another storm recorded at
        the same time is planning (locked, or changed since this transaction
        began) are left to it, so no order gets two visits."""
        if not orders:
            return orders
        taken = []

        def lock():
            self.env.cr.execute(
                "SELECT id FROM pm_repair_order WHERE id IN %s AND awaiting_rain "
                "FOR UPDATE SKIP LOCKED",
                (tuple(orders.ids),),
            )
            taken.extend(row[0] for row in self.env.cr.fetchall())

        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                lock()
        except psycopg2.errors.SerializationFailure:
            return orders.browse()
        return orders.browse(taken)

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_repair.pm_repair_order_action"
        )
        action["domain"] = [("rainstorm_id", "=", self.id)]
        action["context"] = {}
        return action
