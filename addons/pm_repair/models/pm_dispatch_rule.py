# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PmDispatchRule(models.Model):
    """Dispatch rules also take new repair orders, by repair category
    (R-DISPATCH-2); technicians of the rule's team may grab (抢单) an order
    during the rule's grab window, after which the rule assigns it."""

    _inherit = "pm.dispatch.rule"

    target = fields.Selection(
        selection_add=[("repair", "Repair Orders")], ondelete={"repair": "cascade"}
    )
    category_id = fields.Many2one(
        "pm.repair.category", string="Repair Category", ondelete="cascade"
    )
    grab_minutes = fields.Float(
        string="Grab Window (min)",
        default=0.0,
        help="Technicians of the team may grab a new work order during this many "
        "minutes; then the rule assigns it. Emergencies are assigned at once. 0: "
        "the rule assigns every order at once.",
    )

    @api.constrains("grab_minutes", "target")
    def _check_grab_minutes(self):
        limit = self.env["pm.repair.order"]._pm_target_params()["dispatch"]
        for rule in self:
            if rule.grab_minutes < 0 or (
                rule.target == "repair" and rule.grab_minutes >= limit
            ):
                raise ValidationError(
                    _(
                        "The grab window of rule %(rule)s must be at least 0 and "
                        "shorter than the dispatch target (%(limit)s min), so that "
                        "the rule still dispatches in time when nobody grabs.",
                        rule=rule.name,
                        limit=limit,
                    )
                )

    def _pm_criteria(self):
        criteria = super()._pm_criteria()
        criteria["category_id"] = self.category_id.id
        return criteria

    def _pm_apply(self, model_name, vals, user_field):
        if model_name != "pm.repair.order":
            return super()._pm_apply(model_name, vals, user_field)
        vals["dispatch_rule_id"] = self.id
        if self.grab_minutes and vals.get("urgency") != "emergency":
            # open for grabbing: the team, no technician until grabbed or the
            # window closes
            vals["team_id"] = self.team_id.id
            vals["grab_deadline"] = fields.Datetime.now() + timedelta(
                minutes=self.grab_minutes
            )
            return
        super()._pm_apply(model_name, vals, user_field)
