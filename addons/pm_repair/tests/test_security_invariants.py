# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Work orders hold against plain writes: the state, its timestamps and the KPIs
change through the actions only (R-REP-2/4/6); closed orders are frozen and
started ones kept (R-KEEP-1); a rainstorm recorded twice at once plans each leak
repair's return visit once (R-REP-RV)."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.common import TwoProcessesCase

from .common import T0, RepairCommon, minutes


@tagged("security")
class TestRepairInvariants(RepairCommon):
    def test_state_and_timestamps_only_through_actions(self):
        order = self._new_order_at(T0)
        as_tech = order.with_user(self.user_technician)
        for vals in (
            {"state": "closed"},
            {"dispatch_date": T0},
            {"arrival_date": T0 + minutes(1)},
            {"kpi_timely": 100.0},
            {"rework_count": 0, "acceptance_result": "pass"},
            {"quote_state": "accepted"},
        ):
            # the owner's own answers are refused by the owner-decision guard
            with self.assertRaisesRollback(
                UserError, "only change through|given by the owner"
            ):
                as_tech.write(vals)
        self.assertEqual(order.state, "new")
        self.assertFalse(order.dispatch_date)
        # the actions stamp the times themselves
        self._step(order.with_user(self.user_agent), T0 + minutes(1), "action_dispatch")
        self._step(as_tech, T0 + minutes(2), "action_take")
        self.assertEqual(order.state, "taken")
        self.assertEqual(order.dispatch_date, T0 + minutes(1))
        self.assertEqual(order.take_date, T0 + minutes(2))

    def test_closed_order_frozen_and_kept(self):
        order = self._new_order_at(T0)
        self._work(order)
        self._accept(order, T0 + minutes(70))
        visit = order.return_visit_ids
        visit.write({"satisfaction": "5"})
        visit.action_done()
        self.assertEqual(order.state, "closed")
        as_agent = order.with_user(self.user_agent)
        with self.assertRaisesRollback(UserError, "closed"):
            as_agent.write({"description": "Rewritten"})
        with self.assertRaisesRollback(UserError, "only change through"):
            as_agent.write({"state": "in_progress"})
        with self.assertRaisesRollback(
            UserError, "must be kept for the retention period"
        ):
            order.with_user(self.user_manager).unlink()
        with self.assertRaisesRollback(UserError, "kept"):
            visit.with_user(self.user_manager).unlink()
        self.assertTrue(order.exists() and visit.exists())
        self.assertEqual(order.description, "Kitchen tap drips.")


@tagged("security", "post_install", "-at_install")
class TestRainstormConcurrency(TwoProcessesCase):
    """Two rainstorms of one property recorded at the same time (two requests):
    the waiting leak repair gets one return visit. Real cursors and commits; the
    data is cleaned up afterwards."""

    def _create_data(self, env):
        prop = env["pm.property"].create(
            {
                "name": "Rainy",
                "code": "PRN",
                "tz": "Asia/Shanghai",
                "total_floor_area": 1000,
            }
        )
        building = env["pm.building"].create(
            {"name": "R1", "code": "PRN-1", "property_id": prop.id}
        )
        unit = env["pm.unit"].create(
            {"building_id": building.id, "number": "101", "floor": 1, "area": 80}
        )
        order = env["pm.repair.order"].create(
            {
                "property_id": prop.id,
                "unit_id": unit.id,
                "category_id": env.ref("pm_repair.pm_repair_category_leakage").id,
                "description": "Water through the window frame.",
                "intake_date": fields.Datetime.now() - timedelta(days=5),
            }
        )
        order.write(
            {
                "state": "return_visit",
                "awaiting_rain": True,
                "owner_accept_date": fields.Datetime.now() - timedelta(days=3),
            }
        )
        made = {"property": prop, "building": building, "unit": unit, "order": order}
        return {key: record.id for key, record in made.items()}

    def _remove_data(self, env):
        of_property = [("property_id", "=", self.data["property"])]
        env["pm.return.visit"].with_context(active_test=False).search(
            of_property
        ).unlink()
        env["pm.repair.order"].with_context(active_test=False).browse(
            self.data["order"]
        ).unlink()
        env["pm.rainstorm"].search(of_property).unlink()
        # the master data, from the unit up
        for model in ("pm.unit", "pm.building", "pm.property"):
            env[model].browse(self.data[model.split(".")[1]]).unlink()

    def _storm(self, env):
        return env["pm.rainstorm"].create(
            {"property_id": self.data["property"], "date": fields.Date.today()}
        )

    def _visit_count(self):
        return self._committed_count(
            "pm.return.visit",
            [
                ("res_model", "=", "pm.repair.order"),
                ("res_id", "=", self.data["order"]),
            ],
        )

    def test_two_storms_at_once(self):
        env_a, env_b = self._envs()
        first = self._storm(env_a)
        second = self._storm(env_b)
        self.assertEqual(first.order_count, 1)
        self.assertEqual(second.order_count, 0)
        env_a.cr.commit()
        env_b.cr.commit()
        self.assertEqual(self._visit_count(), 1)

    def test_second_storm_on_an_older_snapshot(self):
        env_a, env_b = self._envs()
        env_b.cr.execute("SELECT 1")
        self._storm(env_a)
        env_a.cr.commit()
        second = self._storm(env_b)
        env_b.cr.commit()
        self.assertEqual(second.order_count, 0)
        self.assertEqual(self._visit_count(), 1)
