# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# ruff: noqa: F821 (odoo-bin shell gives env)
# rename_case: keep  (works before and after the renaming of pm.complaint)
"""The upgraded database works (run in ``odoo-bin shell``, ``env`` given): the views
of every property-service model load, their records read, and a new case is made,
numbered, staged and commented. Nothing is kept (rolled back)."""

admin = env.ref("base.user_admin")
case_model = "pm.case" if "pm.case" in env else "pm.complaint"
checked = []
for name in sorted(env.registry.models):
    Model = env[name]
    if not name.startswith("pm.") or Model._abstract:
        continue
    views = Model.with_user(admin).get_views(
        [(False, kind) for kind in ("list", "form", "search")]
    )
    assert set(views["views"]) == {"list", "form", "search"}, name
    if not Model._transient:
        stored = [f for f, field in Model._fields.items() if field.store]
        Model.with_context(active_test=False).search([], limit=20).read(stored)
    checked.append(name)
print(f"views and records of {len(checked)} models load")

for xmlid in ("action", "action_to_acknowledge"):
    action = env.ref(
        f"pm_customer_service.{case_model.replace('.', '_')}_{xmlid}",
        raise_if_not_found=False,
    )
    assert action and action.res_model == case_model, xmlid
    action.with_user(admin).read()

Case = env[case_model].with_user(admin)
template = Case.search([("state", "=", "received")], limit=1)
defaults = Case.default_get(list(Case._fields))
values = {
    name: field.convert_to_write(template[name], template)
    for name, field in Case._fields.items()
    if field.required
    and field.store
    and not field.compute
    and not field.related
    and name not in defaults
}
values.update(
    {
        "subject": "Upgrade smoke: a new case",
        "description": "Made on the upgraded database",
        "property_id": template.property_id.id,
        "unit_id": template.unit_id.id,
        "partner_id": template.partner_id.id,
    }
)
case = Case.create(values)
assert case.name and case.name != "/", case.name
assert case.stage_id and case.state == "received", case.state
case.message_post(body="Upgrade smoke: a note")
assert case.message_ids, "no message"
env.flush_all()
print(f"new case {case.name} ({case_model}) in state {case.state}")
env.cr.rollback()
print("SMOKE OK")
