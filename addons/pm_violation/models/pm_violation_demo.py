# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import timedelta

from odoo import api, fields, models

# (unit, kind, days ago, facts, location, how far it got)
DEMO = [
    (
        "101",
        "decoration",
        20,
        "阳台未经报批擅自封闭，并拆改了外窗。",
        "B1栋101阳台",
        "closed",
    ),
    (
        "102",
        "common_area",
        16,
        "在5楼消防通道堆放杂物和两辆自行车。",
        "B1栋5楼消防通道",
        "escalated",
    ),
    (
        "201",
        "pet",
        12,
        "犬只在小区内未拴绳，多次在草坪便溺未清理。",
        "中心花园草坪",
        "rectified",
    ),
    (
        "203",
        "parking",
        9,
        "私家车长期占用消防车通道停放。",
        "B1栋北侧消防车道",
        "follow_up",
    ),
    (
        "301",
        "decoration",
        5,
        "中午12:00-14:00休息时段进行电钻施工，噪音扰民。",
        "B1栋301室",
        "rectifying",
    ),
    ("101", "other", 2, "在外墙空调机位加装广告牌。", "B1栋101外墙", "notified"),
    (
        "302",
        "common_area",
        0,
        "在楼道内私装鞋柜占用公共走道。",
        "B1栋3楼走道",
        "recorded",
    ),
]
COLORS = {
    "decoration": (176, 120, 70),
    "common_area": (120, 120, 140),
    "pet": (90, 150, 90),
    "parking": (70, 90, 160),
    "other": (160, 90, 120),
}


class PmViolation(models.Model):
    _inherit = "pm.violation"

    @api.model
    def _pm_demo_photo(self, kind, name):
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (640, 480), COLORS[kind])
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 60, 580, 420), outline=(255, 255, 255), width=6)
        draw.line((60, 60, 580, 420), fill=(255, 255, 255), width=4)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG")
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(buffer.getvalue()),
                "res_model": "pm.violation",
            }
        )

    @api.model
    def _pm_demo_month(self):
        ref = self.env.ref
        prop = ref("pm_customer_service.pm_property_demo")
        agent = ref("pm_customer_service.res_users_agent_demo")
        director = ref("pm_customer_service.res_users_director_demo")
        technician = ref("pm_customer_service.res_users_technician_demo")
        now = fields.Datetime.now()
        Violation = self.with_user(agent).with_context(
            lang="zh_CN",
            mail_create_nolog=True,
            mail_notrack=True,
            pm_violation_no_pdf=True,
        )
        for number, kind, days, facts, location, stage in DEMO:
            unit = ref(f"pm_customer_service.pm_unit_demo_lsg-b1_{number}")
            found = now - timedelta(days=days, hours=3)
            photo = Violation._pm_demo_photo(kind, f"{kind}-{number}.jpg")
            violation = Violation.create(
                {
                    "property_id": prop.id,
                    "unit_id": unit.id,
                    "kind": kind,
                    "description": facts,
                    "location": location,
                    "found_at": found,
                    "photo_ids": [(6, 0, photo.ids)],
                }
            )
            if stage == "recorded":
                continue
            violation.action_notify()
            # the notice handed over within the hours of the finding
            violation.sudo().write({"notified_on": found + timedelta(hours=2)})
            if stage == "notified":
                continue
            violation.action_record_acknowledgement()
            violation.sudo().write({"acknowledged_on": found + timedelta(days=1)})
            if stage in ("follow_up", "rectified", "closed"):
                violation.action_request_inspection()
            if stage in ("rectified", "closed"):
                Inspection = self.env["pm.violation.inspection"].with_user(technician)
                if stage == "closed":
                    Inspection.create(
                        {
                            "violation_id": violation.id,
                            "inspected_on": found + timedelta(days=3),
                            "result": "failed",
                            "note": "外窗已恢复，阳台封闭尚未拆除。",
                        }
                    )
                    violation.action_request_inspection()
                Inspection.create(
                    {
                        "violation_id": violation.id,
                        "inspected_on": found + timedelta(days=5),
                        "result": "passed",
                        "note": "已恢复原状，复查合格。",
                    }
                )
            if stage == "closed":
                violation.with_user(director).write(
                    {"closing_note": "业主已整改并签收通知书，复查合格。"}
                )
                violation.with_user(director).action_close()
        # what the deadline cron makes of the month: the overdue ones escalate
        self.sudo()._cron_pm_violation_deadlines()
