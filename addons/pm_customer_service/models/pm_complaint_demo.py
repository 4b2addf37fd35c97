# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo cases in every stage, some overdue (loaded by demo/pm_complaint_demo.xml)."""

from datetime import timedelta

from odoo import fields

XMLID = "pm_complaint_demo_{}"
# (subject, type, channel, severity, unit number, days ago, target state, team)
DEMO_CASES = [
    (
        "Water leaking from the ceiling",
        "complaint",
        "phone",
        "general",
        "101",
        0,
        "received",
        "eng",
    ),
    (
        "Lift out of order for two days",
        "complaint",
        "front_desk",
        "important",
        "201",
        3,
        "received",
        "eng",
    ),
    (
        "Noise from renovation after 20:00",
        "complaint",
        "phone",
        "general",
        "305",
        2,
        "investigating",
        "cs",
    ),
    (
        "Car park barrier broken",
        "complaint",
        "portal",
        "general",
        "402",
        1,
        "investigating",
        "cs",
    ),
    (
        "Garden lights not working",
        "complaint",
        "email",
        "general",
        "503",
        4,
        "decided",
        "eng",
    ),
    (
        "Parcel lost at the front desk",
        "complaint",
        "front_desk",
        "important",
        "604",
        5,
        "processing",
        "cs",
    ),
    (
        "Corridor not cleaned for a week",
        "complaint",
        "head_office",
        "general",
        "705",
        1,
        "processing",
        "cs",
    ),
    (
        "Water pressure too low",
        "complaint",
        "phone",
        "general",
        "801",
        2,
        "confirmation",
        "eng",
    ),
    (
        "Security guard impolite",
        "complaint",
        "visit",
        "general",
        "902",
        6,
        "return_visit",
        "cs",
    ),
    (
        "Door access card not working",
        "help",
        "phone",
        "general",
        "1003",
        8,
        "closed",
        "cs",
    ),
    (
        "How to pay the property fee online",
        "consultation",
        "phone",
        "general",
        "102",
        1,
        "closed",
        "cs",
    ),
    (
        "Please add more bicycle parking",
        "suggestion",
        "suggestion_box",
        "general",
        "203",
        0,
        "received",
        "cs",
    ),
    (
        "Drain blocked in the courtyard",
        "complaint",
        "patrol",
        "general",
        "304",
        35,
        "processing",
        "eng",
    ),
]
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
        return env["pm.complaint"]
    Complaint = env["pm.complaint"].with_context(mail_create_nolog=True)
    teams = {
        "cs": env.ref("pm_customer_service.pm_team_cs_demo"),
        "eng": env.ref("pm_customer_service.pm_team_engineering_demo"),
    }
    agent = env.ref("pm_customer_service.res_users_agent_demo")
    now = fields.Datetime.now()
    cases = env["pm.complaint"]
    xmlids = []
    for index, row in enumerate(DEMO_CASES):
        subject, rtype, channel, severity, number, days, state, team = row
        building = "lsg-b1" if index % 2 else "lsg-b3"
        unit = env.ref(f"pm_customer_service.pm_unit_demo_{building}_{number}")
        case = Complaint.with_user(agent).create(
            {
                "subject": subject,
                "description": subject + ". Reported by the owner.",
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
                "investigation_facts": "Checked on site with the owner.",
                "investigation_cause": "Wear of the equipment.",
                "proposed_solution": "Replace the faulty part.",
            }
        )
        if case.request_type == "complaint":
            case.action_decide()
    if target >= 3:
        case.write(
            {
                "decision_measures": "Engineering replaces the part.",
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
        visit.write({"satisfaction": "4", "result": "Owner satisfied."})
        visit.action_done()
