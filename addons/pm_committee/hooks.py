# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The symposium records the survey app kept before this addon become meetings:
one record of a meeting, ``pm.meeting`` (R-SUR-10)."""

from odoo.addons.pm_base.tools.write_guard import workflow_writes


def post_init_hook(env):
    symposiums = env["pm.survey.symposium"].sudo().with_context(active_test=False)
    carried = env["pm.meeting"].sudo().search([("symposium_id", "!=", False)])
    todo = symposiums.search([("id", "not in", carried.symposium_id.ids)])
    if not todo:
        return
    values = []
    for symposium in todo:
        attendees = [
            (
                0,
                0,
                {"attendee_type": "owner", "partner_id": p.id, "attendance": "present"},
            )
            for p in symposium.attendee_ids
        ] + [
            (0, 0, {"attendee_type": "staff", "user_id": u.id, "attendance": "present"})
            for u in symposium.staff_ids
        ]
        values.append(
            {
                "name": symposium.name,
                "kind": "symposium",
                "property_id": symposium.property_id.id,
                "campaign_id": symposium.campaign_id.id,
                "symposium_id": symposium.id,
                "date_start": symposium.date,
                "location": symposium.location,
                "agenda": symposium.topics,
                "minutes": symposium.minutes,
                "attendee_ids": attendees,
                # held: the minutes were written in the survey app, not approved
                "state": "held" if attendees else "draft",
            }
        )
    with workflow_writes():
        env["pm.meeting"].sudo().create(values)
