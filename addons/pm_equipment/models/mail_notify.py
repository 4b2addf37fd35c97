# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
def view_button(records, groups, model_description):
    """The button of a notification email about equipment or a maintenance
    request reads "查看…" (open the record), as on the property-service
    records, not Odoo's Chinese "视图…" (a view, as of a screen layout)."""
    title = (
        records.env._("View %s", model_description)
        if model_description
        else records.env._("View")
    )
    for _name, _match, group_data in groups:
        group_data.setdefault("button_access", {}).setdefault("title", title)
