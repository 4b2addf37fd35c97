# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.addons.pm_repair.tests.common import RepairCommon


class EquipmentCommon(RepairCommon):
    """RepairCommon's properties, users and engineering team, plus equipment of
    property A (a lift and a water pump in use since 2025) and of property B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.area_a = cls.env["pm.common.area"].create(
            {"name": "Pump room", "code": "PA-PR", "property_id": cls.property_a.id}
        )
        cls.area_b = cls.env["pm.common.area"].create(
            {"name": "Pump room", "code": "PB-PR", "property_id": cls.property_b.id}
        )
        Equipment = cls.env["maintenance.equipment"]
        since = date(2025, 1, 1)
        cls.lift_a = Equipment.create(
            {
                "name": "Lift A1",
                "property_id": cls.property_a.id,
                "building_id": cls.building_a.id,
                "effective_date": since,
            }
        )
        cls.pump_a = Equipment.create(
            {
                "name": "Water pump A",
                "property_id": cls.property_a.id,
                "common_area_id": cls.area_a.id,
                "effective_date": since,
            }
        )
        cls.pump_b = Equipment.create(
            {
                "name": "Water pump B",
                "property_id": cls.property_b.id,
                "common_area_id": cls.area_b.id,
                "effective_date": since,
            }
        )
        cls.done_stage = cls.env.ref("maintenance.stage_3")

    def _stop(self, equipment, start, end=None, **values):
        """A corrective request stopping ``equipment`` from ``start`` (UTC) to
        ``end`` (still stopped when None)."""
        return self.env["maintenance.request"].create(
            {
                "name": f"Breakdown of {equipment.name}",
                "equipment_id": equipment.id,
                "maintenance_type": "corrective",
                "pm_stops_equipment": True,
                "pm_down_start": start,
                "pm_down_end": end,
                **values,
            }
        )
