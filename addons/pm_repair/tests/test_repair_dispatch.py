# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import T0, RepairCommon, minutes, water_repair_rule


class PlumbingCommon(RepairCommon):
    """A plumbing team (a plumber and the technician) on property A, a technician
    of the property outside it, and a dispatch rule of water repairs to the team
    (``RULE`` values)."""

    RULE = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_plumber = cls._technician_a("pm_t_plumber", "Plumber A")
        cls.user_electrician = cls._technician_a("pm_t_electrician", "Electrician A")
        cls.team_plumbing = cls._team_a(
            "Plumbing A", cls.user_lead, cls.user_plumber | cls.user_technician
        )
        cls.rule = water_repair_rule(
            cls.env, cls.cat_water, cls.team_plumbing, **cls.RULE
        )


@tagged("pm_repair")
class TestRepairDispatch(PlumbingCommon):
    """R-DISPATCH-2 on repair orders: the repair category (and building, keywords)
    choose the team, the least loaded technician gets the order."""

    RULE = {"assign_method": "least_load"}

    def test_category_rule_least_load(self):
        self._order(technician_id=self.user_technician.id)
        order = self._order(technician_id=False)
        self.assertEqual(order.team_id, self.team_plumbing)
        self.assertEqual(order.technician_id, self.user_plumber)
        # the rule dispatched it: the dispatch target is measured on every order
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.dispatch_method, "rule")
        self.assertEqual(order.target_dispatch, "met")
        self.assertEqual(order.activity_ids.user_id, self.user_plumber)
        # another category: the team of its trade, no technician chosen
        other = self._order(category_id=self.cat_public.id, technician_id=False)
        self.assertNotEqual(other.team_id, self.team_plumbing)
        self.assertFalse(other.technician_id)

    def test_front_desk_records_orders_rules_take(self):
        # issue 21: the front desk (pm_agent) records a repair by phone; the
        # rule's assignment is the system's, never refused as the caller's
        Order = self.env["pm.repair.order"].with_user(self.user_agent)
        values = {
            "property_id": self.property_a.id,
            "unit_id": self.unit_a.id,
            "category_id": self.cat_water.id,
            "description": "Kitchen tap drips.",
        }
        with freeze_time(T0):
            order = Order.create(dict(values))
        self.assertEqual(order.create_uid, self.user_agent)
        self.assertEqual(
            (order.dispatch_rule_id, order.team_id, order.dispatch_method),
            (self.rule, self.team_plumbing, "rule"),
        )
        self.assertIn(order.technician_id, self.team_plumbing.member_ids)
        self.assertEqual(order.state, "dispatched")
        # every kind of rule: a grab window, the leader, an emergency
        self.rule.grab_minutes = 1.0
        with freeze_time(T0):
            grab = Order.create(dict(values))
            emergency = Order.create(dict(values, urgency="emergency"))
        self.assertEqual(grab.grab_deadline, T0 + minutes(1))
        self.assertFalse(grab.technician_id)
        self.assertEqual(emergency.state, "dispatched")
        self.rule.write({"grab_minutes": 0.0, "assign_method": "leader"})
        self.assertEqual(Order.create(dict(values)).technician_id, self.user_lead)
        # what the rule writes stays the system's: the caller cannot set it
        for forged in ({"dispatch_rule_id": self.rule.id}, {"grab_deadline": T0}):
            with self.subTest(forged=forged), self.assertRaises(UserError):
                Order.create(dict(values, **forged))

    def test_case_rules_do_not_take_orders(self):
        self.rule.target = "case"
        order = self._order(technician_id=False)
        self.assertFalse(order.technician_id)
        self.assertEqual(order.team_id, self.team_engineering)


@tagged("pm_repair")
class TestRepairGrab(PlumbingCommon):
    """R-DISPATCH-2, 抢单: technicians of the rule's team grab a new order within
    the rule's window; after it, the rule assigns the order; the dispatch target
    is measured on every order."""

    RULE = {"assign_method": "round_robin", "grab_minutes": 1.0}

    def _open_order(self, **values):
        with freeze_time(T0):
            return self._order(technician_id=False, **values)

    def test_open_for_grabbing(self):
        order = self._open_order()
        self.assertEqual(order.team_id, self.team_plumbing)
        self.assertFalse(order.technician_id)
        self.assertEqual(order.state, "new")
        self.assertEqual(order.grab_deadline, T0 + minutes(1))
        # the cron is woken up when the window closes
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("pm_repair.ir_cron_pm_repair_grab").id)]
        )
        self.assertIn(T0 + minutes(1), trigger.mapped("call_at"))
        Order = self.env["pm.repair.order"].with_user(self.user_plumber)
        with freeze_time(T0 + minutes(0.5)):
            self.assertEqual(Order.search([("grab_open", "=", True)]), order)
            self.assertTrue(order.with_user(self.user_plumber).grab_open)
        with freeze_time(T0 + minutes(1.5)):
            self.assertFalse(Order.search([("grab_open", "=", True)]))
            closed = Order.search([("grab_open", "=", False)])
            self.assertEqual(closed, Order.search([]))

    def test_first_technician_grabs(self):
        order = self._open_order()
        with freeze_time(T0 + minutes(0.5)):
            order.with_user(self.user_plumber).action_grab()
            self.assertEqual(order.technician_id, self.user_plumber)
            self.assertEqual(order.state, "taken")
            self.assertEqual(order.dispatch_method, "grab")
            self.assertEqual(order.dispatch_date, T0 + minutes(0.5))
            self.assertEqual(order.target_dispatch, "met")
            self.assertFalse(order.grab_deadline)
            self.assertIn(self.user_plumber.partner_id, order.message_partner_ids)
            # the second one is too late
            with self.assertRaisesRegex(UserError, "no longer open for grabbing"):
                order.with_user(self.user_technician).action_grab()
        self.assertEqual(order.technician_id, self.user_plumber)
        # the cron leaves a grabbed order alone
        with freeze_time(T0 + minutes(2)):
            self.env["pm.repair.order"]._cron_pm_grab()
        self.assertEqual(order.technician_id, self.user_plumber)
        self.assertEqual(order.state, "taken")

    def test_only_the_team_grabs(self):
        order = self._open_order()
        with freeze_time(T0 + minutes(0.5)):
            with self.assertRaisesRegex(UserError, "Only the technicians of team"):
                order.with_user(self.user_electrician).action_grab()
        self.assertFalse(order.technician_id)
        # a plain write of the dispatch fields is refused
        with self.assertRaises(UserError):
            order.with_user(self.user_plumber).write(
                {"state": "taken", "dispatch_method": "grab"}
            )

    def test_window_closed_rule_assigns(self):
        first = self._open_order()
        second = self._open_order(description="Bathroom tap drips.")
        Order = self.env["pm.repair.order"]
        with freeze_time(T0 + minutes(0.9)):
            Order._cron_pm_grab()
        self.assertFalse(first.technician_id, "the window is still open")
        with freeze_time(T0 + minutes(1.1)):
            # the dispatch also starts the clock of the arrival (its escalation)
            # and tells each owner on their channel (an email each here)
            with self.assertQueryCount(__system__=118):
                Order._cron_pm_grab()
        # round robin over the team
        self.assertEqual(
            (first | second).mapped("technician_id"),
            self.user_plumber | self.user_technician,
        )
        for order in first | second:
            self.assertEqual(order.state, "dispatched")
            self.assertEqual(order.dispatch_method, "rule")
            self.assertEqual(order.dispatch_date, T0 + minutes(1.1))
            self.assertEqual(order.target_dispatch, "met")
            self.assertEqual(order.activity_ids.user_id, order.technician_id)
        # a second run changes nothing
        with freeze_time(T0 + minutes(3)):
            Order._cron_pm_grab()
        self.assertEqual(len(first.activity_ids), 1)
        self.assertEqual(first.dispatch_date, T0 + minutes(1.1))

    def test_team_without_anyone(self):
        self.team_plumbing.write({"member_ids": [(5,)], "leader_id": False})
        order = self._open_order()
        with freeze_time(T0 + minutes(1.1)):
            self.env["pm.repair.order"]._cron_pm_grab()
        self.assertEqual(order.state, "new")
        self.assertFalse(order.grab_deadline)
        self.assertIn("dispatch it by hand", order.message_ids[0].body)
        # staff dispatch it later: the target is measured, missed
        with freeze_time(T0 + minutes(5)):
            order.technician_id = self.user_technician
            order.action_dispatch()
        self.assertEqual(order.dispatch_method, "staff")
        self.assertEqual(order.target_dispatch, "missed")

    def test_emergency_assigned_at_once(self):
        order = self._open_order(urgency="emergency")
        self.assertFalse(order.grab_deadline)
        self.assertEqual(order.technician_id, self.user_plumber)
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.target_dispatch, "met")

    def test_window_shorter_than_dispatch_target(self):
        with self.assertRaisesRegex(ValidationError, "shorter than the dispatch"):
            self.rule.grab_minutes = 2.0
        with self.assertRaises(ValidationError):
            self.rule.grab_minutes = -1
        # a case rule has no grab window to check against repairs
        self.rule.write({"target": "case", "grab_minutes": 0})
