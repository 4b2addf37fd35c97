# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import subprocess
import unicodedata

from odoo.tests import TransactionCase, new_test_user

# CJK fonts map some glyphs to radical code points that NFKC leaves alone
_RADICALS = str.maketrans(
    "⺠⻁⻄⻅⻆⻉⻊⻋⻌⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻩⻬⻮⻰⻳",
    "民虎西见角贝言车辶长门青韦页风飞食马骨鬼鱼鸟黄齐齿龙龟",
)


def pdf_to_text(pdf):
    """Text of a PDF as a reader would copy it (poppler's pdftotext), with the CJK
    radicals some fonts produce mapped back to the usual characters."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


class PmCommon(TransactionCase):
    """Two properties A and B of the current company, a property of another company,
    and one user per group with the fewest groups needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Other Property Co."})
        cls.property_a = cls.env["pm.property"].create(
            {"name": "Property A", "code": "PA", "total_floor_area": 45000}
        )
        cls.property_b = cls.env["pm.property"].create(
            {"name": "Property B", "code": "PB", "total_floor_area": 52000}
        )
        cls.building_a = cls.env["pm.building"].create(
            {"name": "A1", "code": "PA-1", "property_id": cls.property_a.id}
        )
        cls.building_b = cls.env["pm.building"].create(
            {"name": "B1", "code": "PB-1", "property_id": cls.property_b.id}
        )
        cls.owner = cls.env["res.partner"].create(
            {"name": "Owner Wang", "email": "wang@example.com"}
        )
        cls.unit_a = cls.env["pm.unit"].create(
            {
                "building_id": cls.building_a.id,
                "number": "101",
                "floor": 1,
                "area": 90,
                "state": "occupied",
                "owner_ids": [(6, 0, cls.owner.ids)],
            }
        )
        cls.unit_b = cls.env["pm.unit"].create(
            {"building_id": cls.building_b.id, "number": "101", "floor": 1, "area": 120}
        )
        group = "pm_customer_service.group_pm_"
        cls.user_technician = new_test_user(
            cls.env, "pm_t_tech", groups=group + "technician", name="Tech A"
        )
        cls.user_agent = new_test_user(
            cls.env, "pm_t_agent", groups=group + "agent", name="Agent A"
        )
        cls.user_director = new_test_user(
            cls.env, "pm_t_director", groups=group + "director", name="Director A"
        )
        cls.user_quality = new_test_user(
            cls.env, "pm_t_quality", groups=group + "quality", name="Quality"
        )
        cls.user_manager = new_test_user(
            cls.env, "pm_t_manager", groups=group + "manager", name="Manager"
        )
        cls.property_a.write(
            {
                "director_id": cls.user_director.id,
                "user_ids": [
                    (4, cls.user_technician.id),
                    (4, cls.user_agent.id),
                ],
            }
        )
