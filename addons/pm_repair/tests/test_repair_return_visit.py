# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-REP-RV and R-REP-5 with fixed clocks (property timezone Asia/Shanghai)."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import T0, RepairCommon, minutes

# 2024-03-11 19:30 in Shanghai
ACCEPTED = datetime(2024, 3, 11, 11, 30)


@tagged("post_install", "-at_install")
class TestRepairReturnVisit(RepairCommon):
    def _completed(self, category, accepted=ACCEPTED, **values):
        order = self._new_order_at(T0, category_id=category.id, **values)
        self._work(order)
        self._accept(order, accepted)
        return order

    def test_routine_repair_phone_next_day(self):
        order = self._completed(self.cat_water)
        visit = order.return_visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.method, "phone")
        self.assertEqual(visit.due_date, date(2024, 3, 12))
        self.assertEqual(visit.partner_id, self.owner)
        self.assertEqual(visit.unit_id, self.unit_a)
        self.assertFalse(order.awaiting_rain)

    def test_next_day_is_the_property_day(self):
        # 16:30 UTC is already 00:30 on the 12th in Shanghai
        order = self._completed(self.cat_water, accepted=datetime(2024, 3, 11, 16, 30))
        self.assertEqual(order.return_visit_ids.due_date, date(2024, 3, 13))

    def test_within_three_days(self):
        for category, method in (
            (self.cat_bathroom, "phone"),
            (self.cat_drains, "phone"),
            (self.cat_concealed, "door"),
        ):
            with self.subTest(category=category.code):
                visit = self._completed(category).return_visit_ids
                self.assertEqual(visit.due_date, date(2024, 3, 14))
                self.assertEqual(visit.method, method)

    def test_rule_is_configuration(self):
        self.cat_water.write(
            {"return_visit_delay_days": 2, "return_visit_method": "door"}
        )
        visit = self._completed(self.cat_water).return_visit_ids
        self.assertEqual((visit.due_date, visit.method), (date(2024, 3, 13), "door"))

    def test_rework_supervisor_in_person_within_three_days(self):
        order = self._new_order_at(T0)
        self._work(order)
        self._owner_decides(order, T0 + minutes(70), "not_fixed", note="Drips")
        self._step(order, T0 + minutes(200), "action_done")
        self._accept(order, ACCEPTED)
        visit = order.return_visit_ids
        self.assertEqual(visit.method, "door")
        self.assertEqual(visit.visitor_id, self.user_lead)
        self.assertEqual(visit.due_date, date(2024, 3, 14))

    def test_leak_waits_for_the_next_heavy_rainstorm(self):
        order = self._completed(self.cat_leakage)
        self.assertFalse(order.return_visit_ids)
        self.assertTrue(order.awaiting_rain)
        Storm = self.env["pm.rainstorm"]
        with freeze_time("2024-03-20 03:00:00"):
            # on another property, or before the repair: nothing to visit
            Storm.create({"property_id": self.property_b.id, "date": "2024-03-19"})
            Storm.create({"property_id": self.property_a.id, "date": "2024-03-10"})
            self.assertTrue(order.awaiting_rain)
            storm = Storm.create(
                {"property_id": self.property_a.id, "date": "2024-03-19"}
            )
        visit = order.return_visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.method, "door")
        self.assertEqual(visit.due_date, date(2024, 3, 20))
        self.assertFalse(order.awaiting_rain)
        self.assertEqual(order.rainstorm_id, storm)
        self.assertEqual(storm.order_count, 1)
        # the next storm plans nothing twice
        with freeze_time("2024-03-25 03:00:00"):
            Storm.create({"property_id": self.property_a.id, "date": "2024-03-25"})
        self.assertEqual(len(order.return_visit_ids), 1)

    def test_rainstorm_not_in_the_future(self):
        with (
            freeze_time("2024-03-20 03:00:00"),
            self.assertRaisesRollback(ValidationError, "future"),
        ):
            self.env["pm.rainstorm"].create(
                {"property_id": self.property_a.id, "date": "2024-03-21"}
            )

    def test_satisfied_closes(self):
        order = self._completed(self.cat_water)
        self._return_visit_done(order, "4", "Fine")
        self.assertEqual(order.state, "closed")
        self.assertEqual(order.kpi_return_visited, 100.0)
        self.assertEqual(order.kpi_satisfaction, 100.0)

    def test_dissatisfied_reopens(self):
        order = self._completed(self.cat_water)
        visit = self._return_visit_done(order, "2", "Drips again")
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(order.rework_count, 1)
        self.assertEqual(order.rework_ids.reason, "return_visit")
        self.assertEqual(order.rework_ids.return_visit_id, visit)
        self.assertEqual(order.rework_ids.note, "Drips again")
        self.assertEqual(order.kpi_satisfaction, 0.0)
