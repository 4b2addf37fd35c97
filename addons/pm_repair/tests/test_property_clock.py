# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-TZ-1: repair rules stated in days follow today's date at the property
(Shanghai), never the date of the user (Los Angeles) or of UTC."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError

from .common import RepairCommon

# 2026-12-02 01:30 in Shanghai, still 2026-12-01 09:30 in Los Angeles
MOMENT = "2026-12-01 17:30:00"
LOS_ANGELES = "America/Los_Angeles"


class TestRepairPropertyToday(RepairCommon):
    def test_warranty_ends_with_its_day_at_the_property(self):
        """R-VALID-1: a fault reported on the day after the warranty end, at the
        property, is no longer under warranty (it was still 1 December in UTC)."""
        self.building_a.write(
            {"warranty_end_date": "2026-12-01", "developer_id": self.developer.id}
        )
        late = self._new_order_at(MOMENT, is_quality_fault=True)
        self.assertFalse(late.under_warranty)
        self.assertFalse(late.warranty_partner_id)
        # 2026-12-01 23:30 in Shanghai: still in time
        in_time = self._new_order_at(
            datetime(2026, 12, 1, 15, 30), is_quality_fault=True
        )
        self.assertTrue(in_time.under_warranty)
        self.assertEqual(in_time.warranty_partner_id, self.developer)

    def test_property_without_time_zone_reads_china(self):
        """An order whose property has no time zone (a form being filled) has its
        days in China, as with every property helper, never in UTC nor in the
        user's zone: a fault reported on 2 December in China is past a warranty
        ending on 1 December."""
        self.building_a.write(
            {"warranty_end_date": "2026-12-01", "developer_id": self.developer.id}
        )
        self.user_agent.tz = "UTC"
        moment = datetime(2026, 12, 1, 17, 30)
        with self.with_user("pm_t_agent"):
            Property = self.env["pm.property"]
            for prop in (Property.new({"name": "New estate", "tz": False}), Property):
                order = self.env["pm.repair.order"].new(
                    {
                        "property_id": prop,
                        "unit_id": self.unit_a.id,
                        "category_id": self.cat_water.id,
                        "description": "Ceiling leaks.",
                        "is_quality_fault": True,
                        "intake_date": moment,
                    }
                )
                self.assertEqual(order._pm_local_date(moment), date(2026, 12, 2))
                self.assertFalse(order.under_warranty)

    @freeze_time(MOMENT)
    def test_rainstorm_today_at_the_property(self):
        """A rainstorm of today at the property is not "in the future", even for
        an agent whose own date is still the day before."""
        self.user_agent.tz = LOS_ANGELES
        Storm = (
            self.env["pm.rainstorm"]
            .with_user(self.user_agent)
            .with_context(tz=LOS_ANGELES, default_property_id=self.property_a.id)
        )
        self.assertEqual(Storm.default_get(["date"])["date"], date(2026, 12, 2))
        storm = Storm.create({"date": date(2026, 12, 2)})
        self.assertEqual(storm.property_id, self.property_a)
        with self.assertRaisesRollback(ValidationError, "in the future"):
            Storm.create({"date": date(2026, 12, 3)})
        self.assertEqual(
            Storm.search([("property_id", "=", self.property_a.id)]), storm
        )
