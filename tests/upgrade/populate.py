# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: F821 (odoo-bin shell gives env)
# rename_case: keep  (runs on the code of before and after the renaming of pm.complaint)
"""Records the demo data lacks, added to the database of the old code before it is
upgraded (run in ``odoo-bin shell``, ``env`` given): messages with attachments,
attachments of a case, an activity, a follower, a rating, a tracked change, an
archived case, repair orders linked to cases, a user's saved filter and settings
changed from their defaults. Cases of every state come from the demo data."""

import base64

# the names of the old code: before the renaming of pm.complaint, or after it
CASE = "pm.complaint" if "pm.complaint" in env else "pm.case"
CASE_LINK = "complaint_id" if CASE == "pm.complaint" else "case_id"
Case = env[CASE].with_context(tracking_disable=False, mail_notrack=False)
cases = Case.with_context(active_test=False).search([], order="id")
admin = env.ref("base.user_admin")
states = set(cases.mapped("state"))
all_states = {key for key, _label in env[CASE + ".stage"]._fields["state"].selection}
assert states == all_states, f"demo cases lack the states {all_states - states}"

attachment = env["ir.attachment"].create(
    {
        "name": "upgrade-photo.txt",
        "datas": base64.b64encode(b"a photo of the leak, kept by the upgrade"),
        "res_model": CASE,
        "res_id": cases[0].id,
    }
)
cases[0].attachment_ids = [(4, attachment.id)]
cases[0].message_post(
    body="Upgrade check: a note with a file",
    attachment_ids=[attachment.id],
    message_type="comment",
    subtype_xmlid="mail.mt_note",
)
cases[1].message_post(
    body="Upgrade check: a second note",
    attachments=[("second.txt", b"second file")],
    message_type="comment",
    subtype_xmlid="mail.mt_note",
)
cases[2].activity_schedule(
    "mail.mail_activity_data_todo", summary="Upgrade check: call back", user_id=admin.id
)
cases[3].message_subscribe(partner_ids=[admin.partner_id.id])
cases[4].with_user(admin).write({"subject": "Upgrade check: subject tracked"})
cases[-1].action_archive()

# repair orders that come from a case (the field that points at the case)
orders = env["pm.repair.order"].search([], order="id", limit=2)
for order, case in zip(orders, cases.filtered(lambda c: c.active)[5:7], strict=False):
    order.property_id = case.property_id
    order[CASE_LINK] = case

env["ir.filters"].create(
    {
        "name": "Upgrade check: my open cases",
        "model_id": CASE,
        "domain": "[('state', '!=', 'closed'), ('stage_id.state', '!=', 'closed')]",
        "user_ids": [(6, 0, admin.ids)],
    }
)
env["ir.filters"].create(
    {
        "name": "Upgrade check: orders from cases",
        "model_id": "pm.repair.order",
        "domain": f"[('{CASE_LINK}', '!=', False)]",
        "user_ids": [(6, 0, admin.ids)],
    }
)
env["res.config.settings"].create({"pm_escalation_interval_hours": 36}).execute()
env["ir.config_parameter"].set_param("pm_customer_service.reminder_hours", "6")
env["ir.config_parameter"].set_param("pm_repair.target_dispatch", "2.5")
env.cr.commit()
print("populated:", len(cases), "cases in states", sorted(states))
