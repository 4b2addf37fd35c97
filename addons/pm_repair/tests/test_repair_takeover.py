# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who holds a repair order changes only through the actions that check the
team and the state (R-PICK-1, R-DISPATCH-2): a technician grabs an order open
for grabbing, never takes one another holds by editing it (RPC ``write``); the
team leader and the front desk reassign within the order's team."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import water_repair_rule

# the refusal a technician reads on an order another holds
HELD = "由 .+ 负责：只有其本人、其班组长或客服中心可以推进"


@tagged("post_install", "-at_install", "security")
class TestRepairTakeover(TransactionCase):
    """The demo engineering team of Lakeside Garden: its leader (pm_engineer)
    and the technicians pm_technician and pm_technician2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.technician = ref("pm_customer_service.res_users_technician_demo")
        cls.technician_2 = ref("pm_customer_service.res_users_technician2_demo")
        cls.leader = ref("pm_customer_service.res_users_engineering_lead_demo")
        cls.agent = ref("pm_customer_service.res_users_agent_demo")
        cls.team = ref("pm_customer_service.pm_team_engineering_demo")
        cls.other_team = ref("pm_customer_service.pm_team_cleaning_demo")
        cls.unit = ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        category = ref("pm_repair.pm_repair_category_water")
        water_repair_rule(cls.env, category, cls.team, grab_minutes=1.0)
        cls.order = cls.env["pm.repair.order"].create(
            {
                "property_id": cls.unit.property_id.id,
                "unit_id": cls.unit.id,
                "category_id": category.id,
                "description": "The kitchen tap drips.",
            }
        )

    def _grabbed(self):
        """The order, grabbed by pm_technician2 in its window."""
        self.assertTrue(self.order.grab_open)
        self.order.with_user(self.technician_2).action_grab()
        self.assertEqual(
            (self.order.technician_id, self.order.state), (self.technician_2, "taken")
        )
        return self.order

    def test_technician_cannot_take_a_grabbed_order_by_editing_it(self):
        order = self._grabbed()
        as_technician = order.with_user(self.technician)
        for vals in (
            {"technician_id": self.technician.id},
            {"technician_id": False},
            {"team_id": self.other_team.id},
            {"team_id": self.team.id, "technician_id": self.technician.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                as_technician.write(vals)
        self.assertEqual(
            (order.technician_id, order.team_id), (self.technician_2, self.team)
        )
        # nor by grabbing it: it is no longer open
        with self.assertRaises(UserError):
            as_technician.action_grab()
        self.assertEqual(order.technician_id, self.technician_2)

    def test_agent_cannot_take_a_grabbed_order_by_moving_it_to_their_team(self):
        # pm_agent leads the customer-service team: naming that team and
        # themselves would pass the check of the technician
        cs_team = self.env.ref("pm_customer_service.pm_team_cs_demo")
        order = self._grabbed()
        with self.assertRaises(UserError):
            order.with_user(self.agent).write(
                {"team_id": cs_team.id, "technician_id": self.agent.id}
            )
        self.assertEqual(
            (order.technician_id, order.team_id), (self.technician_2, self.team)
        )

    def test_holder_cannot_hand_the_order_over_by_editing_it(self):
        order = self._grabbed()
        with self.assertRaises(UserError):
            order.with_user(self.technician_2).write(
                {"technician_id": self.technician.id}
            )
        self.assertEqual(order.technician_id, self.technician_2)

    def test_leader_and_desk_reassign_within_the_team(self):
        order = self._grabbed()
        order.with_user(self.leader).write({"technician_id": self.technician.id})
        self.assertEqual(order.technician_id, self.technician)
        order.with_user(self.agent).write({"technician_id": self.technician_2.id})
        self.assertEqual(order.technician_id, self.technician_2)
        # never to someone outside the team
        with self.assertRaises(ValidationError):
            order.with_user(self.leader).write({"technician_id": self.agent.id})
        self.assertEqual(order.technician_id, self.technician_2)

    def test_grab_window_still_works(self):
        self.assertEqual(self.order.grab_deadline > fields.Datetime.now(), True)
        self.order.with_user(self.technician).action_grab()
        self.assertEqual(self.order.technician_id, self.technician)
        self.assertLess(
            self.order.take_date - fields.Datetime.now(), timedelta(minutes=1)
        )

    def test_technician_moves_on_only_the_orders_they_hold(self):
        """The other technician presses the workflow buttons of the order
        pm_technician2 grabbed: each is refused, in the technician's Chinese,
        and the order stays as it was; the team leader and the desk move it on."""
        order = self._grabbed()
        other = order.with_user(self.technician)
        for action in (
            "action_contact_owner",
            "action_diagnose",
            "action_done",
            "action_route_to_developer",
            "action_cancel",
        ):
            with self.assertRaisesRegex(UserError, HELD):
                getattr(other, action)()
            self.assertEqual(
                (order.state, order.technician_id), ("taken", self.technician_2)
            )
        with self.assertRaisesRegex(UserError, HELD):
            other.action_propose_plan()
        # the leader cancels it, and only the desk or the leader puts it back
        order.with_user(self.leader).action_cancel()
        self.assertEqual(order.state, "cancelled")
        with self.assertRaisesRegex(UserError, HELD):
            other.action_reset()
        order.with_user(self.agent).action_reset()
        self.assertEqual(order.state, "new")

    def test_technician_does_not_move_on_an_order_nobody_holds(self):
        self.order.technician_id = False
        with self.assertRaisesRegex(UserError, "尚无维修人员：请先抢单"):
            self.order.with_user(self.technician).action_cancel()
        self.assertEqual(self.order.state, "new")
