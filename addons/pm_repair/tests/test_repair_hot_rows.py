# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two runs of the grab cron at once, on real committed transactions: each
order nobody grabbed is assigned once, in turn, and both runs end cleanly."""

import math
from collections import Counter
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields

from odoo.addons.pm_base.tests.concurrency import PmConcurrencyCase

UNIT = "pm_customer_service.pm_unit_demo_lsg-b1_101"
ENGINEERING = "pm_customer_service.pm_team_engineering_demo"
WATER = "pm_repair.pm_repair_category_water"


class TestRepairGrabRace(PmConcurrencyCase):
    def _closed_windows(self, count):
        """``count`` committed water repairs of the demo's unit B1-101 that a
        grab-first rule opened and nobody grabbed: their window closed a minute
        ago. Returns their ids and the members of the rule's team."""

        def make(env):
            unit = env.ref(UNIT)
            team = env.ref(ENGINEERING)
            rule = env["pm.dispatch.rule"].create(
                {
                    "name": "Water repairs, grab first",
                    "sequence": 0,
                    "target": "repair",
                    "property_id": unit.property_id.id,
                    "category_id": env.ref(WATER).id,
                    "team_id": team.id,
                    "assign_method": "round_robin",
                    "grab_minutes": 1.0,
                }
            )
            orders = env["pm.repair.order"].create(
                [
                    {
                        "property_id": unit.property_id.id,
                        "unit_id": unit.id,
                        "category_id": env.ref(WATER).id,
                        "description": f"Kitchen tap drips ({index}).",
                    }
                    for index in range(count)
                ]
            )
            env.cr.execute(
                "UPDATE pm_repair_order SET grab_deadline = %s WHERE id IN %s",
                (fields.Datetime.now() - timedelta(minutes=1), tuple(orders.ids)),
            )
            members = team.member_ids.filtered(lambda u: u.active and u._is_internal())
            return rule.id, orders.ids, members.ids

        rule_id, order_ids, member_ids = self.transaction(make)
        self.purge_later("pm.dispatch.rule", [rule_id])
        self.purge_later("pm.repair.order", order_ids)
        return order_ids, member_ids

    def _assert_each_assigned_once(self, order_ids, member_ids):
        def read(env):
            orders = env["pm.repair.order"].browse(order_ids)
            return [
                (
                    order.state,
                    order.dispatch_method,
                    order.technician_id.id,
                    len(
                        order.activity_ids.filtered(
                            lambda a, o=order: a.user_id == o.technician_id
                        )
                    ),
                )
                for order in orders
            ]

        orders = self.transaction(read)
        self.assertEqual(
            {(state, method) for state, method, _user, _todo in orders},
            {("dispatched", "rule")},
        )
        self.assertEqual(
            [todo for _state, _method, _user, todo in orders],
            [1] * len(order_ids),
            "an order was dispatched twice",
        )
        turns = Counter(user for _state, _method, user, _todo in orders)
        self.assertLessEqual(set(turns), set(member_ids))
        most = math.ceil(len(order_ids) / len(member_ids))
        self.assertLessEqual(max(turns.values()), most, f"uneven turns: {turns}")

    def test_two_grab_runs_at_once(self):
        order_ids, member_ids = self._closed_windows(6)

        def run(env, _index):
            return env["pm.repair.order"]._cron_pm_grab()

        results = self.race(run, 2, retry=False)
        self.assertFalse(self.errors(results), "a run of the grab cron failed")
        self._assert_each_assigned_once(order_ids, member_ids)

    def test_second_grab_run_on_an_older_snapshot(self):
        # the same race, in the order that broke it: the second run's
        # transaction began before the first run committed, and it reaches the
        # orders after that commit
        order_ids, member_ids = self._closed_windows(3)
        with self.registry.cursor() as second_cr:
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            second_cr.execute("SELECT COUNT(*) FROM pm_repair_order")
            self.transaction(
                lambda env: env["pm.repair.order"]._cron_pm_grab(), retry=False
            )
            # a cron run that dies rolls back; one that ends cleanly commits
            second["pm.repair.order"]._cron_pm_grab()
            second_cr.commit()
        self._assert_each_assigned_once(order_ids, member_ids)
