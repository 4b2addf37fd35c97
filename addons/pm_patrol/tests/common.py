# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import datetime, timedelta

from PIL import Image

from odoo.addons.pm_customer_service.tests.common import PmCaseCommon


def utc(day, hour, minute=0, second=0):
    """Shanghai wall-clock time of December 2026 as a naive UTC datetime."""
    return datetime(2026, 12, day, hour, minute, second) - timedelta(hours=8)


def png_bytes():
    """A small real PNG photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class PatrolCommon(PmCaseCommon):
    """Property A (Shanghai) with four checkpoints on one route walked at 09:00
    and 21:00 for two hours by the technician; the security team is led by the
    leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.security = cls._team_a(
            "Security A", cls.user_leader, cls.user_technician, team_type="security"
        )
        names = ("Gate", "Car Park", "Garden", "Roof")
        cls.areas = cls.env["pm.common.area"].create(
            [
                {"name": name, "code": f"A-{index}", "property_id": cls.property_a.id}
                for index, name in enumerate(names)
            ]
        )
        cls.points = cls.env["pm.patrol.checkpoint"].create(
            [
                {"name": area.name, "code": f"XJ-{i}", "common_area_id": area.id}
                for i, area in enumerate(cls.areas)
            ]
        )
        cls.route = cls.env["pm.patrol.route"].create(
            {
                "name": "Day and night",
                "property_id": cls.property_a.id,
                "schedule": "09:00, 21:00",
                "window_minutes": 120,
                "team_id": cls.security.id,
                "user_ids": [(6, 0, cls.user_technician.ids)],
                "line_ids": [
                    (0, 0, {"sequence": 10 * i, "checkpoint_id": point.id})
                    for i, point in enumerate(cls.points)
                ],
            }
        )
        cls.photo = png_bytes()

    def _rounds(self, route=None):
        return (
            self.env["pm.patrol.round"]
            .sudo()
            .search(
                [("route_id", "=", (route or self.route).id)], order="scheduled_start"
            )
        )

    def _scan(self, rnd, count, user=None):
        """``user`` (the technician) scans the first ``count`` checkpoints."""
        Visit = self.env["pm.patrol.visit"].with_user(user or self.user_technician)
        results = []
        for visit in rnd.visit_ids.sorted("sequence")[:count]:
            results.append(Visit._pm_scan(visit.checkpoint_id.sudo()))
        return results

    @staticmethod
    def b64(data):
        return base64.b64encode(data)
