# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

from PIL import Image

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon


def png_bytes(size=(320, 240), color=(200, 80, 60)):
    """A real photo (PNG) as a phone would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


class ViolationCommon(PortalCommon):
    """Property A in Shanghai with its service team led by Leader A, a quality
    department, owner Wang (unit A-101, portal login pm_p_owner) and owner Li
    (unit B-101, pm_p_owner2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._pm_production_mail()
        cls.user_leader = cls._pm_user(
            "pm_t_leader", "agent", name="Leader A", email="leader@example.com"
        )
        cls.user_agent.email = "agent@example.com"
        cls.user_director.email = "director@example.com"
        cls.user_quality.email = "quality@example.com"
        cls.user_technician.email = "tech@example.com"
        cls.team = cls._team_a(
            "Service A", cls.user_leader, cls.user_leader | cls.user_agent
        )
        cls.property_a.write(
            {
                "tz": "Asia/Shanghai",
                "team_id": cls.team.id,
                "user_ids": [(4, cls.user_leader.id)],
            }
        )
        cls.quality_team = cls._team("Quality Dept", cls.user_quality, "quality")
        cls.env["pm.team"].search(
            [("team_type", "=", "quality"), ("id", "!=", cls.quality_team.id)]
        ).write({"active": False})
        cls.Violation = cls.env["pm.violation"].with_user(cls.user_agent)

    def _photo(self, user=None, data=None, name="evidence.png"):
        return (
            self.env["ir.attachment"]
            .with_user(user or self.user_agent)
            .create(
                {
                    "name": name,
                    "raw": data if data is not None else png_bytes(),
                    "res_model": "pm.violation",
                }
            )
        )

    def _record(self, unit=None, kind="decoration", **values):
        """A violation recorded by agent A, with a photo."""
        unit = unit or self.unit_a
        return self.Violation.create(
            {
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "kind": kind,
                "description": "阳台未经报批擅自封闭",
                "photo_ids": [(6, 0, self._photo().ids)],
                **values,
            }
        )

    def _inspect(self, violation, result, note=False, user=None):
        return (
            self.env["pm.violation.inspection"]
            .with_user(user or self.user_technician)
            .create({"violation_id": violation.id, "result": result, "note": note})
        )
