# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models

# orders a technician still has to work on (least-load dispatch)
OPEN_STATES = (
    "new",
    "dispatched",
    "taken",
    "on_site",
    "diagnosed",
    "quoted",
    "in_progress",
)


class PmRepairOrder(models.Model):
    """Dispatch rules at intake (R-DISPATCH-2): a new order without a technician
    gets the team and the technician of the first matching rule; sending it to
    the technician stays the Dispatch button."""

    _inherit = "pm.repair.order"

    @api.model_create_multi
    def create(self, vals_list):
        rules = [self._pm_dispatch_by_rule(vals) for vals in vals_list]
        orders = super().create(vals_list)
        for order, rule in zip(orders, rules, strict=True):
            if rule:
                order.message_post(
                    body=_("Dispatched by rule %s.", rule.name),
                    subtype_xmlid="mail.mt_note",
                )
        return orders

    @api.model
    def _pm_dispatch_by_rule(self, vals):
        Rule = self.env["pm.dispatch.rule"]
        if vals.get("technician_id") or not vals.get("property_id"):
            return Rule
        prop = self.env["pm.property"].sudo().browse(vals["property_id"])
        unit = self.env["pm.unit"].sudo().browse(vals.get("unit_id"))
        values = {
            "property_id": prop.id,
            "building_id": unit.building_id.id,
            "category_id": vals.get("category_id"),
        }
        rule = Rule._pm_find(
            "repair", prop.company_id.id, values, vals.get("description")
        )
        if rule:
            vals["team_id"] = rule.team_id.id
            user = rule._pm_pick_user(self._name)
            if user:
                vals["technician_id"] = user.id
        return rule

    @api.model
    def _pm_dispatch_loads(self, users):
        """{user id: open orders of the technician}"""
        return {
            user.id: count
            for user, count in self.sudo()._read_group(
                [("technician_id", "in", users.ids), ("state", "in", OPEN_STATES)],
                ["technician_id"],
                ["__count"],
            )
        }
