# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.pm_base.tools import clock


class PmOwnerVisitMixin(models.AbstractModel):
    """What visits (走访) and return visits (回访) record alike, besides what
    every property record has (the unit among them): the owner visited, who
    visits and by when; a planned visit not made by the end of its due date
    at the property escalates (R-CLOCK-1): to the visitor, then the leader of
    the property's customer-service team, then the director."""

    _name = "pm.owner.visit.mixin"
    _description = "Visit to an Owner"
    # a visit is followed in its chatter, where its fields are tracked, and
    # escalates there when overdue
    _inherit = ["pm.escalation.mixin"]
    # the key of the deadline a planned visit is watched on
    _pm_visit_escalation_kind = None

    partner_id = fields.Many2one("res.partner", string="Owner", index=True)
    visitor_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
    )
    due_date = fields.Date(index=True, tracking=True)

    def _pm_escalation_watch(self):
        self.ensure_one()
        if self.state != "planned" or not self.due_date:
            return False, False
        return self._pm_visit_escalation_kind, clock.to_utc(
            self.due_date, self.property_id.tz, clock.END_OF_DAY
        )

    def _pm_escalation_responsible(self):
        self.ensure_one()
        return self.visitor_id

    def _pm_escalation_team_leader(self):
        self.ensure_one()
        return self.property_id.team_id.leader_id
