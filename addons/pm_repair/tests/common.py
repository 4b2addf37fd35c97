# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.pm_customer_service.tests.common import PmCommon

# a 1x1 PNG: what the signature widget stores
SIGNATURE = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAA"
    b"AABJRU5ErkJggg=="
)
# 2024-03-11 10:00 in Shanghai
T0 = datetime(2024, 3, 11, 2, 0, 0)


def minutes(value):
    return timedelta(minutes=value)


class RepairCommon(PmCommon):
    """PmCommon's properties and users, plus an engineering team on property A,
    fee items and helpers that walk an order through its steps at fixed times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.property_a.tz = "Asia/Shanghai"
        cls.property_b.tz = "Asia/Shanghai"
        cls.user_lead = cls._technician_a("pm_t_lead", "Lead A")
        cls.team_engineering = cls._team_a(
            "Engineering A", cls.user_lead, cls.user_lead | cls.user_technician
        )
        ref = cls.env.ref
        cls.cat_water = ref("pm_repair.pm_repair_category_water")
        cls.cat_leakage = ref("pm_repair.pm_repair_category_leakage")
        cls.cat_bathroom = ref("pm_repair.pm_repair_category_bathroom_leakage")
        cls.cat_drains = ref("pm_repair.pm_repair_category_drains")
        cls.cat_concealed = ref("pm_repair.pm_repair_category_concealed")
        cls.cat_public = ref("pm_repair.pm_repair_category_public")
        cls.fee_tap = cls.env["pm.repair.fee"].create(
            {"name": "Replace a tap", "uom": "piece", "price": 30.0}
        )
        cls.developer = cls.env["res.partner"].create(
            {"name": "Lakeside Developer Co.", "email": "dev@example.com"}
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Neighbour Li"})

    def _order(self, **values):
        vals = {
            "property_id": self.property_a.id,
            "unit_id": self.unit_a.id,
            "category_id": self.cat_water.id,
            "description": "Kitchen tap drips.",
            "technician_id": self.user_technician.id,
        }
        vals.update(values)
        return self.env["pm.repair.order"].create(vals)

    def _step(self, order, moment, *actions, **values):
        """Write ``values`` and run ``actions`` on ``order`` at ``moment``."""
        with freeze_time(moment):
            if values:
                order.write(values)
            for action in actions:
                getattr(order, action)()

    def _work(self, order, start=T0):
        """From intake at ``start`` to done, meeting every immediate target."""
        self._step(order, start + minutes(1), "action_dispatch")
        self._step(order, start + minutes(2), "action_take")
        self._step(order, start + minutes(8), "action_arrive")
        self._step(order, start + minutes(15), "action_diagnose", diagnosis="Worn")
        self._step(order, start + minutes(17), "action_propose_plan", plan="Fix it")
        if order.state == "quoted":
            self._owner_decides(order, start + minutes(20), "accept_quote", "phone")
        self._step(order, start + minutes(60), "action_done")

    def _accept(self, order, moment):
        """The owner signs the acceptance on the technician's screen."""
        self._owner_decides(
            order,
            moment,
            "accept",
            signature=SIGNATURE,
            signed_by=order.partner_id.name,
        )

    def _owner_decides(self, order, moment, decision, channel="in_person", **values):
        """R-OWNER-1: an owner's answer given to the technician (in person, by
        phone, on paper), recorded with the tracked wizard at ``moment``."""
        with freeze_time(moment):
            wizard = (
                self.env["pm.repair.owner.decision"]
                .with_user(self.user_technician)
                .create(
                    {
                        "order_id": order.id,
                        "decision": decision,
                        "channel": channel,
                        **values,
                    }
                )
            )
            return wizard.action_confirm()

    def _return_visit_done(self, order, satisfaction, result):
        """The order's return visit done with the owner's answer."""
        visit = order.return_visit_ids
        visit.write({"satisfaction": satisfaction, "result": result})
        visit.action_done()
        return visit

    @contextmanager
    def assertRaisesRollback(self, exception, regex):
        """Odoo's assertRaises (which rolls back to a savepoint, as a request
        would) plus a check of the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _new_order_at(self, moment, **values):
        with freeze_time(moment):
            return self._order(**values)
