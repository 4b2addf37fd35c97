# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged, users, warmup

from .common import SIGNATURE, T0, RepairCommon, minutes


@tagged("post_install", "-at_install")
class TestRepairOrder(RepairCommon):
    # ------------------------------------------------------------
    # R-REP-1 / R-REP-2
    # ------------------------------------------------------------

    def test_intake_defaults(self):
        order = self._new_order_at(T0)
        self.assertTrue(order.name.startswith("WX"))
        self.assertEqual(order.state, "new")
        self.assertEqual(order.intake_date, T0)
        self.assertEqual(order.partner_id, self.owner)
        self.assertEqual(order.team_id, self.team_engineering)
        self.assertEqual(order.access_url, f"/my/repairs/{order.id}")

    def test_immediate_targets_met_at_the_boundaries(self):
        order = self._new_order_at(T0)
        self._step(order, T0 + minutes(2), "action_dispatch")
        self._step(order, T0 + minutes(12), "action_arrive")
        self._step(order, T0 + minutes(20), "action_diagnose", diagnosis="Worn")
        self._step(order, T0 + minutes(23), "action_propose_plan", plan="Fix")
        self.assertEqual(order.target_dispatch, "met")
        self.assertEqual(order.target_on_site, "met")
        self.assertEqual(order.target_plan, "met")
        self.assertFalse(order.target_contact)
        self.assertFalse(order.targets_missed)
        self.assertEqual(order.kpi_timely, 100.0)
        self.assertEqual(order.state, "in_progress")  # free: plan agreed at once

    def test_immediate_targets_missed_one_second_late(self):
        order = self._new_order_at(T0)
        self._step(order, T0 + minutes(2) + minutes(1 / 60), "action_dispatch")
        self.assertEqual(order.target_dispatch, "missed")
        self._step(order, order.dispatch_date + minutes(10.5), "action_arrive")
        self.assertEqual(order.target_on_site, "missed")
        self.assertTrue(order.targets_missed)
        self.assertEqual(order.kpi_timely, 0.0)

    def test_target_overdue_search(self):
        order = self._new_order_at(T0)
        Order = self.env["pm.repair.order"]
        with freeze_time(T0 + minutes(2)):
            self.assertNotIn(order, Order.search([("target_overdue", "=", True)]))
        with freeze_time(T0 + minutes(3)):
            self.assertIn(order, Order.search([("target_overdue", "=", True)]))
            self.assertNotIn(order, Order.search([("target_overdue", "=", False)]))
            order.invalidate_recordset(["target_overdue"])
            self.assertTrue(order.target_overdue)
        self._step(order, T0 + minutes(4), "action_dispatch")
        with freeze_time(T0 + minutes(14)):
            self.assertNotIn(order, Order.search([("target_overdue", "=", True)]))
        with freeze_time(T0 + minutes(15)):
            self.assertIn(order, Order.search([("target_overdue", "=", True)]))

    def test_appointment_targets(self):
        appointment = T0 + minutes(120)
        # minutes before the appointment: the call to the owner, the arrival
        for contact, arrive, target in ((15, 5, "met"), (14, 2, "missed")):
            with self.subTest(contact=contact, arrive=arrive):
                order = self._new_order_at(
                    T0, urgency="appointment", appointment_date=appointment
                )
                self._step(order, T0 + minutes(1), "action_dispatch")
                self._step(
                    order, appointment - minutes(contact), "action_contact_owner"
                )
                self._step(order, appointment - minutes(arrive), "action_arrive")
                self.assertEqual(order.target_contact, target)
                self.assertEqual(order.target_arrival, target)
                if target == "met":
                    self.assertFalse(order.target_on_site)

    def test_targets_are_configuration(self):
        self.env["ir.config_parameter"].set_param("pm_repair.target_dispatch", "5")
        order = self._new_order_at(T0)
        self._step(order, T0 + minutes(4), "action_dispatch")
        self.assertEqual(order.target_dispatch, "met")

    # ------------------------------------------------------------
    # R-REP-3 fees
    # ------------------------------------------------------------

    def test_fee_totals(self):
        order = self._order(
            line_ids=[
                (0, 0, {"fee_id": self.fee_tap.id, "quantity": 2}),
                (
                    0,
                    0,
                    {
                        "line_type": "labour",
                        "name": "Labour",
                        "uom": "hour",
                        "quantity": 1.5,
                        "price_unit": 40,
                    },
                ),
            ]
        )
        self.assertEqual(order.line_ids[0].price_unit, 30.0)
        self.assertEqual(order.line_ids[0].uom, "piece")
        self.assertEqual(order.line_ids.mapped("subtotal"), [60.0, 60.0])
        self.assertEqual(order.amount_total, 120.0)
        order.line_ids[1].quantity = 2
        self.assertEqual(order.amount_total, 140.0)

    def test_free_or_paid(self):
        self.assertTrue(self._order().is_paid)  # water inside a unit
        common = self._order(
            location_type="common", unit_id=False, location="Lobby", partner_id=False
        )
        self.assertFalse(common.is_paid)
        self.assertFalse(self._order(category_id=self.cat_leakage.id).is_paid)

    def test_paid_order_waits_for_quote_acceptance(self):
        order = self._diagnosed_paid_order(1)
        self._step(order, T0 + minutes(8), "action_propose_plan", plan="Replace")
        self.assertEqual(order.state, "quoted")
        self.assertEqual(order.quote_state, "sent")
        self.assertFalse(order.plan_agreed_date)
        self._owner_decides(order, T0 + minutes(12), "accept_quote", "phone")
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(order.quote_amount_accepted, 30.0)
        self.assertEqual(order.plan_agreed_date, T0 + minutes(12))
        # a fee added after the acceptance is not accepted: it cannot be charged
        order.line_ids = [(0, 0, {"fee_id": self.fee_tap.id, "quantity": 1})]
        with self.assertRaisesRollback(UserError, "not accepted"):
            order.action_done()
        self.assertEqual(order.state, "in_progress")

    # ------------------------------------------------------------
    # R-REP-4 acceptance and rework
    # ------------------------------------------------------------

    def test_acceptance_with_signature(self):
        order = self._new_order_at(T0)
        self._work(order)
        self.assertEqual(order.state, "done")
        self._accept(order, T0 + minutes(70))
        self.assertEqual(order.state, "return_visit")
        self.assertEqual(order.acceptance_result, "pass")
        self.assertEqual(order.signed_on, T0 + minutes(70))
        self.assertEqual(order.kpi_first_pass, 100.0)
        self.assertEqual(order.work_minutes, 52.0)

    def test_completing_without_acceptance(self):
        order = self._new_order_at(T0)
        self._work(order)
        with self.assertRaisesRollback(UserError, "signature"):
            self._owner_decides(order, T0 + minutes(65), "accept")
        with self.assertRaisesRollback(UserError, "witness"):
            self._owner_decides(order, T0 + minutes(65), "refused_to_sign")
        self.assertEqual(order.state, "done")
        self._owner_decides(
            order, T0 + minutes(70), "refused_to_sign", witness_name="Guard Zhao"
        )
        self.assertEqual(order.state, "return_visit")
        self.assertEqual(order.acceptance_result, "refused")

    def test_signature_of_someone_else(self):
        order = self._new_order_at(T0)
        self._work(order)
        with self.assertRaisesRollback(ValidationError, "not the owner"):
            order.write(
                {
                    "signature": SIGNATURE,
                    "signed_by": "Li",
                    "signed_partner_id": self.other_partner.id,
                }
            )
        with self.assertRaisesRollback(ValidationError, "not the owner"):
            order._pm_sign(self.other_partner, "Li", SIGNATURE)
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "done")
        order._pm_sign(self.owner, "Owner Wang", SIGNATURE)
        self.assertEqual(order.acceptance_result, "pass")

    def test_failed_acceptance_starts_rework(self):
        order = self._new_order_at(T0)
        self._work(order)
        with self.assertRaisesRollback(UserError, "why"):
            self._owner_decides(order, T0 + minutes(65), "not_fixed", "phone")
        self._owner_decides(
            order, T0 + minutes(70), "not_fixed", "phone", note="Still drips"
        )
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(order.rework_count, 1)
        self.assertEqual(order.rework_ids.reason, "acceptance")
        self.assertEqual(order.rework_ids.note, "Still drips")
        self.assertEqual(order.rework_ids.done_date, T0 + minutes(60))
        self.assertFalse(order.signature)
        self.assertFalse(order.done_date)
        self._step(order, T0 + minutes(90), "action_done")
        self._accept(order, T0 + minutes(95))
        self.assertEqual(order.state, "return_visit")
        self.assertEqual(order.kpi_first_pass, 0.0)

    # ------------------------------------------------------------
    # R-VALID-1 warranty
    # ------------------------------------------------------------

    def test_warranty_routing(self):
        self.building_a.write(
            {"warranty_end_date": "2024-12-31", "developer_id": self.developer.id}
        )
        order = self._new_order_at(
            T0,
            is_quality_fault=True,
            line_ids=[(0, 0, {"fee_id": self.fee_tap.id, "quantity": 1})],
        )
        self.assertTrue(order.under_warranty)
        self.assertEqual(order.warranty_partner_id, self.developer)
        self.assertFalse(order.is_paid)
        order.action_route_to_developer()
        self.assertEqual(order.state, "warranty")
        self.assertTrue(order.warranty_notified_date)
        # outside the warranty: a normal (paid) order
        self.unit_a.warranty_end_date = "2024-01-31"
        late = self._new_order_at(T0, is_quality_fault=True)
        self.assertFalse(late.under_warranty)
        self.assertTrue(late.is_paid)
        with self.assertRaisesRollback(UserError, "not a housing-quality fault"):
            late.action_route_to_developer()

    # ------------------------------------------------------------
    # Bad input: clear errors, nothing half-saved
    # ------------------------------------------------------------

    def test_negative_quantity_or_price(self):
        Order = self.env["pm.repair.order"]
        count = Order.search_count([])
        with self.assertRaisesRollback(ValidationError, "cannot be negative"):
            self._order(line_ids=[(0, 0, {"fee_id": self.fee_tap.id, "quantity": -1})])
        with self.assertRaisesRollback(ValidationError, "cannot be negative"):
            self._order(
                line_ids=[(0, 0, {"name": "Pipe", "quantity": 1, "price_unit": -5})]
            )
        with self.assertRaisesRollback(ValidationError, "cannot be negative"):
            self.env["pm.repair.fee"].create(
                {"name": "Bad", "uom": "piece", "price": -1}
            )
        self.assertEqual(Order.search_count([]), count)

    def test_appointment_in_the_past(self):
        Order = self.env["pm.repair.order"]
        count = Order.search_count([])
        with freeze_time(T0), self.assertRaisesRollback(ValidationError, "in the past"):
            self._order(urgency="appointment", appointment_date=T0 - minutes(30))
        with freeze_time(T0), self.assertRaisesRollback(ValidationError, "appointment"):
            self._order(urgency="appointment")
        self.assertEqual(Order.search_count([]), count)
        order = self._new_order_at(
            T0, urgency="appointment", appointment_date=T0 + minutes(60)
        )
        with (
            freeze_time(T0 + minutes(10)),
            self.assertRaisesRollback(ValidationError, "in the past"),
        ):
            order.appointment_date = T0 + minutes(5)
        self.assertEqual(order.appointment_date, T0 + minutes(60))

    def test_arrival_before_dispatch(self):
        order = self._new_order_at(T0)
        self._step(order, T0 + minutes(1), "action_dispatch")
        with self.assertRaisesRollback(ValidationError, "cannot be before"):
            order.arrival_date = T0
        self.assertFalse(order.arrival_date)

    def test_wrong_steps(self):
        order = self._new_order_at(T0, technician_id=False)
        with self.assertRaisesRollback(UserError, "technician"):
            order.action_dispatch()
        with self.assertRaisesRollback(UserError, "not possible"):
            order.action_done()
        with self.assertRaisesRollback(ValidationError, "choose the unit"):
            self._order(unit_id=False)
        with self.assertRaisesRollback(ValidationError, "does not belong"):
            self._order(unit_id=self.unit_b.id)

    def test_dispatched_orders_are_not_deleted(self):
        order = self._new_order_at(T0)
        self._step(order, T0 + minutes(1), "action_dispatch")
        with self.assertRaisesRollback(
            UserError, "must be kept for the retention period"
        ):
            order.unlink()
        self.assertTrue(order.exists())

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------

    @users("pm_t_agent")
    @warmup
    def test_create_query_count(self):
        Order = self.env["pm.repair.order"]
        values = {
            "property_id": self.property_a.id,
            "unit_id": self.unit_a.id,
            "category_id": self.cat_water.id,
            "description": "Tap drips",
        }
        with self.assertQueryCount(pm_t_agent=40):
            order = Order.create(values)
        self.assertEqual(order.team_id, self.team_engineering)
