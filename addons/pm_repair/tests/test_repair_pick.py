# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import T0, minutes
from .test_repair_dispatch import PlumbingCommon

DISPATCH = "pm_repair.mail_activity_type_pm_repair_dispatch"


class PickCommon(PlumbingCommon):
    """Property A (Shanghai): Engineering A (leader Lead A; Lead A and Tech A),
    Plumbing A (leader Lead A; Plumber A and Tech A) with its water rule,
    Electrician A outside both; the agent is on duty at the front desk; Owner
    Wang has a portal login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.property_a.write(
            {
                "duty_user_ids": [(6, 0, cls.user_agent.ids)],
                "user_ids": [(4, cls.user_lead.id), (4, cls.admin.id)],
            }
        )
        for user in cls.user_agent | cls.user_lead | cls.user_plumber:
            user.email = f"{user.login}@example.com"
        cls.portal_owner = new_test_user(
            cls.env, "pm_p_wang", groups="base.group_portal", name="Owner Wang"
        )
        cls.portal_owner.partner_id = cls.owner
        cls.unit_a.owner_ids = cls.owner

    def _agent_order(self, **values):
        return self._new_order(
            self.user_agent,
            **{
                "category_id": self.cat_public.id,
                "description": "Corridor light flickers.",
                **values,
            },
        )

    def _owner_order(self, **values):
        """The order of an owner's portal request, as the front desk's 受理 makes
        it (the desk's user, the request's portal source), left undispatched."""
        return self._agent_order(
            **{
                "source": "portal",
                "partner_id": self.owner.id,
                "description": "The balcony drain is blocked.",
                **values,
            }
        )


@tagged("pm_repair", "post_install", "-at_install")
class TestRepairPicker(PickCommon):
    """R-PICK-1: the technician picker offers, and the server accepts, only the
    technicians of the order's team (its trade's when the team has nobody)."""

    def test_picker_offers_the_team(self):
        order = self._agent_order()
        self.assertEqual(order.team_id, self.team_engineering)
        offered = order.with_user(self.user_agent).technician_candidate_ids
        self.assertEqual(offered, self.user_lead | self.user_technician)
        for outsider in (
            self.user_agent,
            self.user_director,
            self.admin,
            self.user_electrician,
        ):
            self.assertNotIn(outsider, offered)
        # the form's picker searches with that domain
        self.assertEqual(
            order._fields["technician_id"].domain,
            "[('id', 'in', technician_candidate_ids)]",
        )
        electric = self.env["pm.team"].create(
            {
                "name": "Electric A",
                "team_type": "engineering",
                "property_id": self.property_a.id,
                "member_ids": [(6, 0, self.user_electrician.ids)],
            }
        )
        with Form(order.with_user(self.user_agent)) as form:
            form.technician_id = self.user_lead
            # another team: the picker follows it; the former choice is dropped
            form.team_id = electric
            self.assertFalse(form.technician_id)
            self.assertEqual(form.technician_candidate_ids[:], self.user_electrician)
            form.technician_id = self.user_electrician
        self.assertEqual(order.technician_id, self.user_electrician)

    def test_agent_cannot_dispatch_to_outsiders(self):
        order = self._agent_order()
        Order = order.with_user(self.user_agent)
        for outsider in (self.user_director, self.admin):
            with self.assertRaisesRollback(ValidationError, "is not a technician of"):
                Order.write({"technician_id": outsider.id})
            self.assertFalse(order.technician_id)
        # nor themselves: the order is another team's
        with self.assertRaisesRollback(UserError, "only its members"):
            Order.write({"technician_id": self.user_agent.id})
        self.assertFalse(order.technician_id)
        with self.assertRaisesRollback(ValidationError, "is not a technician of"):
            self._agent_order(technician_id=self.user_agent.id)
        Order.technician_id = self.user_technician
        Order.action_dispatch()
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.activity_ids.user_id, self.user_technician)

    def test_dispatch_checks_the_team_again(self):
        # chosen, then moved out of the team before the dispatch
        order = self._agent_order(technician_id=self.user_technician.id)
        self.team_engineering.member_ids -= self.user_technician
        with self.assertRaisesRollback(
            ValidationError, "Tech A is not a technician of"
        ):
            order.with_user(self.user_agent).action_dispatch()
        self.assertEqual(order.state, "new")

    def test_team_without_anyone_offers_the_trade(self):
        self.team_engineering.write({"member_ids": [(5,)], "leader_id": False})
        order = self._agent_order()
        self.assertEqual(
            order.technician_candidate_ids,
            self.user_plumber | self.user_technician | self.user_lead,
        )
        # and a property without a team of the trade: its staff in the
        # technician role only
        (self.team_engineering | self.team_plumbing).active = False
        order.team_id = False
        self.assertEqual(
            order.technician_candidate_ids,
            self.user_technician
            | self.user_lead
            | self.user_plumber
            | self.user_electrician,
        )

    def test_dispatch_without_technician_says_what_is_missing(self):
        order = self._agent_order()
        Order = order.with_user(self.user_agent)
        with self.assertRaisesRollback(
            UserError, r"has no Technician yet: choose one of the technicians of"
        ) as catcher:
            Order.action_dispatch()
        self.assertIn(self.team_engineering.name, str(catcher.exception))
        self.env["res.lang"]._activate_lang("zh_CN")
        with self.assertRaises(UserError) as catcher:
            Order.with_context(lang="zh_CN").action_dispatch()
        message = str(catcher.exception)
        self.assertIn("派工", message)
        # nothing in English but the names the desk gave
        for name in (order.name, self.team_engineering.name):
            message = message.replace(name, "")
        self.assertNotRegex(message, "[A-Za-z]{3,}")

    def test_other_steps_name_what_is_missing(self):
        with freeze_time(T0):
            order = self._agent_order(technician_id=self.user_technician.id)
            order.with_user(self.user_agent).action_dispatch()
            tech = order.with_user(self.user_technician)
            tech.action_take()
            tech.env["pm.repair.order"]._pm_arrive_at_place(order.unit_id)
            with self.assertRaisesRollback(UserError, "has no Diagnosis yet"):
                tech.action_diagnose()
            tech.diagnosis = "Loose wire"
            tech.action_diagnose()
            with self.assertRaisesRollback(UserError, "has no Plan yet"):
                tech.action_propose_plan()


@tagged("pm_repair", "post_install", "-at_install")
class TestRepairGrabPick(PickCommon):
    """The grab hall and the rule's assignment ask the same question."""

    RULE = {"assign_method": "round_robin", "grab_minutes": 1.0}

    def test_grab_and_rule_follow_the_order_team(self):
        with freeze_time(T0):
            order = self._order(technician_id=False)
        self.assertEqual(order.team_id, self.team_plumbing)
        self.assertTrue(order.grab_deadline)

        def hall(user):
            Order = self.env["pm.repair.order"].with_user(user)
            # the grab hall's own action, and its Grab button
            action = self.env.ref("pm_repair.pm_repair_order_grab_action")
            listed = Order.search(safe_eval(action.domain))
            self.assertEqual(order.with_user(user).can_grab, bool(listed))
            return listed

        with freeze_time(T0 + minutes(0.2)):
            self.assertEqual(hall(self.user_plumber), order)
            self.assertFalse(hall(self.user_electrician))
            self.assertFalse(hall(self.user_agent))
        # the desk moves it to Engineering A: the plumber may no longer grab it
        order.with_user(self.user_agent).team_id = self.team_engineering
        with freeze_time(T0 + minutes(0.5)):
            self.assertFalse(hall(self.user_plumber))
            self.assertEqual(hall(self.user_lead), order)
            with self.assertRaisesRollback(UserError, "Only the technicians of team"):
                order.with_user(self.user_plumber).action_grab()
        # the rule's round robin is of another team: its leader gets it
        with freeze_time(T0 + minutes(1.1)):
            self.env["pm.repair.order"]._cron_pm_grab()
        self.assertEqual(order.technician_id, self.user_lead)
        self.assertEqual(order.state, "dispatched")

    def test_nobody_grabbed_nobody_to_assign(self):
        self.team_plumbing.write({"member_ids": [(5,)], "leader_id": False})
        self.team_engineering.write({"member_ids": [(5,)], "leader_id": False})
        with freeze_time(T0):
            order = self._owner_order(category_id=self.cat_water.id)
        self.assertTrue(order.grab_deadline)
        self.assertFalse(order.activity_ids, "open for grabbing: not queued yet")
        with freeze_time(T0 + minutes(1.1)):
            self.env["pm.repair.order"]._cron_pm_grab()
        activity = order.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref(DISPATCH))
        # the team has no leader: the front desk on duty
        self.assertEqual(activity.user_id, self.user_agent)


@tagged("pm_repair", "post_install", "-at_install")
class TestRepairDispatchQueue(PickCommon):
    """An owner's order with a team but no technician waits among the unassigned
    orders with a dispatch activity for someone; it is never forgotten."""

    def test_owner_order_queued_for_the_team_leader(self):
        start = self._mail_mark()
        with freeze_time(T0):
            order = self._owner_order()
        self.assertEqual(order.team_id, self.team_engineering)
        self.assertFalse(order.technician_id)
        activity = order.activity_ids
        self.assertEqual(activity.activity_type_id, self.env.ref(DISPATCH))
        self.assertEqual(activity.user_id, self.user_lead)
        self.assertEqual(str(activity.date_deadline), "2024-03-11")
        self.assertIn("Owner Wang", activity.summary)
        # the leader is told once
        sent = self._mail_sent(order, start)
        self.assertEqual(sent[self.user_lead.partner_id], (1, 1))
        self.assertNotIn(self.owner, sent)
        # in the unassigned queue of the leader and the desk
        for user in (self.user_lead, self.user_agent):
            self.assertIn(
                order,
                self.env["pm.repair.order"]
                .with_user(user)
                .search([("technician_id", "=", False), ("state", "=", "new")]),
            )
        # the leader dispatches: the activity is done
        with freeze_time(T0 + minutes(1)):
            leader = order.with_user(self.user_lead)
            leader.technician_id = self.user_technician
            leader.action_dispatch()
        self.assertEqual(order.activity_ids.user_id, self.user_technician)
        self.assertNotIn(self.env.ref(DISPATCH), order.activity_ids.activity_type_id)

    def test_team_without_leader_queues_for_the_desk_on_duty(self):
        self.team_engineering.leader_id = False
        with freeze_time(T0):
            order = self._owner_order()
        self.assertEqual(order.activity_ids.user_id, self.user_agent)
        self.assertEqual(order.activity_ids.activity_type_id, self.env.ref(DISPATCH))

    def test_staff_orders_are_not_queued(self):
        order = self._agent_order()
        self.assertFalse(order.activity_ids)

    def test_cancelled_order_leaves_the_queue(self):
        order = self._owner_order()
        order.with_user(self.user_agent).action_cancel()
        self.assertFalse(order.activity_ids)


@tagged("pm_repair", "post_install", "-at_install")
class TestRepairReassign(PickCommon):
    """R-PICK-1: a reassignment moves the open activities with the order."""

    def test_new_technician_takes_the_activities(self):
        with freeze_time(T0):
            order = self._agent_order(technician_id=self.user_technician.id)
            order.with_user(self.user_agent).action_dispatch()
        self.assertEqual(order.activity_ids.user_id, self.user_technician)
        start = self._mail_mark()
        order.with_user(self.user_agent).technician_id = self.user_lead
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_lead)
        self.assertIn(self.user_lead.partner_id, order.message_partner_ids)
        # one notification for the new technician, none for anyone else
        sent = self._mail_sent(order, start)
        self.assertEqual(sent, {self.user_lead.partner_id: (1, 1)})

    def test_new_team_leader_takes_the_queue(self):
        self.team_plumbing.leader_id = self.user_plumber
        order = self._owner_order()
        self.assertEqual(order.activity_ids.user_id, self.user_lead)
        order.with_user(self.user_agent).team_id = self.team_plumbing
        self.assertEqual(order.activity_ids.user_id, self.user_plumber)
        self.assertEqual(order.activity_ids.activity_type_id, self.env.ref(DISPATCH))


@tagged("pm_repair", "post_install", "-at_install")
class TestRepairDispatchTour(HttpCase):
    """R-PICK-1 through the screens: the demo front-desk agent (zh_CN, desktop)
    is offered the team's technicians only, picks one and dispatches."""

    def test_agent_dispatches_to_a_team_technician(self):
        order = self.env.ref("pm_repair.pm_repair_order_new_demo")
        self.assertEqual(order.state, "new")
        self.assertFalse(order.technician_id)
        action = self.env.ref("pm_repair.pm_repair_order_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "pm_repair_dispatch_tour",
            login="pm_agent",
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.dispatch_method, "staff")
        self.assertEqual(
            order.technician_id,
            self.env.ref("pm_customer_service.res_users_technician_demo"),
        )
        self.assertEqual(
            order.write_uid, self.env.ref("pm_customer_service.res_users_agent_demo")
        )
