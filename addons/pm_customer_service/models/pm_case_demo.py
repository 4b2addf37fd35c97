# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo cases in every stage, some overdue (loaded by demo/pm_case_demo.xml)."""

from datetime import timedelta

from odoo import fields

XMLID = "pm_case_demo_{}"
# (subject, type, channel, severity, unit number, days ago, target state, team)
DEMO_CASES = [
    (
        "厨房天花板渗水",
        "complaint",
        "phone",
        "general",
        "101",
        0,
        "received",
        "eng",
    ),
    (
        "电梯停运两天无人维修",
        "complaint",
        "front_desk",
        "important",
        "201",
        3,
        "received",
        "eng",
    ),
    (
        "晚上8点后仍有装修噪音",
        "complaint",
        "phone",
        "general",
        "305",
        2,
        "investigating",
        "cs",
    ),
    (
        "停车场道闸损坏",
        "complaint",
        "portal",
        "general",
        "402",
        1,
        "investigating",
        "cs",
    ),
    (
        "小区庭院灯不亮",
        "complaint",
        "email",
        "general",
        "503",
        4,
        "decided",
        "eng",
    ),
    (
        "前台代收快递丢失",
        "complaint",
        "front_desk",
        "important",
        "604",
        5,
        "processing",
        "cs",
    ),
    (
        "楼道一周未清扫",
        "complaint",
        "head_office",
        "general",
        "705",
        1,
        "processing",
        "cs",
    ),
    (
        "自来水水压太低",
        "complaint",
        "phone",
        "general",
        "801",
        2,
        "confirmation",
        "eng",
    ),
    (
        "门岗保安态度生硬",
        "complaint",
        "visit",
        "general",
        "902",
        6,
        "return_visit",
        "cs",
    ),
    (
        "门禁卡无法开门",
        "help",
        "phone",
        "general",
        "1003",
        8,
        "closed",
        "cs",
    ),
    (
        "如何在线缴纳物业费",
        "consultation",
        "phone",
        "general",
        "102",
        1,
        "closed",
        "cs",
    ),
    (
        "建议增加非机动车停车位",
        "suggestion",
        "suggestion_box",
        "general",
        "203",
        0,
        "received",
        "cs",
    ),
    (
        "庭院排水沟堵塞",
        "complaint",
        "patrol",
        "general",
        "304",
        35,
        "processing",
        "eng",
    ),
]
DEMO_DESCRIPTION = "业主来电反映：{subject}，请尽快处理。"
STATE_ORDER = [
    "received",
    "investigating",
    "decided",
    "processing",
    "confirmation",
    "return_visit",
    "closed",
]


def create_demo(env):
    """Create the demo cases once; a module update finds them and does nothing."""
    if env.ref("pm_customer_service." + XMLID.format(0), raise_if_not_found=False):
        return env["pm.case"]
    # the demo speaks the language of its users (chatter notes, default texts)
    env = env(context=dict(env.context, lang=env["res.lang"]._pm_demo_lang()))
    Complaint = env["pm.case"].with_context(mail_create_nolog=True)
    teams = {
        "cs": env.ref("pm_customer_service.pm_team_cs_demo"),
        "eng": env.ref("pm_customer_service.pm_team_engineering_demo"),
    }
    agent = env.ref("pm_customer_service.res_users_agent_demo")
    now = fields.Datetime.now()
    cases = env["pm.case"]
    xmlids = []
    for index, row in enumerate(DEMO_CASES):
        subject, rtype, channel, severity, number, days, state, team = row
        building = "lsg-b1" if index % 2 else "lsg-b3"
        unit = env.ref(f"pm_customer_service.pm_unit_demo_{building}_{number}")
        case = Complaint.with_user(agent).create(
            {
                "subject": subject,
                "description": DEMO_DESCRIPTION.format(subject=subject),
                "request_type": rtype,
                "channel": channel,
                "severity": severity,
                "property_id": unit.property_id.id,
                "unit_id": unit.id,
                "partner_id": unit.owner_ids[:1].id,
                "intake_date": now - timedelta(days=days, hours=index),
                "team_id": teams[team].id,
                "user_id": teams[team].leader_id.id,
            }
        )
        _advance(case, state)
        cases |= case
        xmlids.append(
            {
                "xml_id": "pm_customer_service." + XMLID.format(index),
                "record": case,
                "noupdate": True,
            }
        )
    env["ir.model.data"]._update_xmlids(xmlids)
    # overdue demo cases show their escalation right away
    cases._pm_escalate()
    return cases


def _advance(case, state):
    target = STATE_ORDER.index(state)
    case = case.sudo()
    if target >= 1:
        case.action_acknowledge()
    if target >= 2:
        case.write(
            {
                "investigation_facts": "已与业主一起到现场查看，情况属实。",
                "investigation_cause": "设备老化磨损。",
                "proposed_solution": "更换损坏的部件。",
            }
        )
        if case.request_type == "complaint":
            case.action_decide()
    if target >= 3:
        case.write(
            {
                "decision_measures": "由工程部更换损坏部件，完成后通知业主验收。",
                "decision_deadline": fields.Date.today() + timedelta(days=2),
            }
        )
        case.action_start_processing()
    if target >= 4:
        case.action_resolve()
    if target >= 5:
        case._pm_owner_satisfied()
    if target >= 6:
        visit = case.return_visit_ids.filtered(lambda v: v.state == "planned")[:1]
        visit.write({"satisfaction": "4", "result": "业主对处理结果表示满意。"})
        visit.action_done()
