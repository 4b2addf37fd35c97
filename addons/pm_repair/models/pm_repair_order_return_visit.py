# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import repair_rules


class PmRepairOrderReturnVisit(models.Model):
    """The return visits of accepted orders (R-REP-RV, R-REP-5)."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # RETURN VISITS (R-REP-RV, R-REP-5)
    # ------------------------------------------------------------

    def _pm_return_visit_briefs(self):
        return {
            order.id: (
                " · ".join(
                    part for part in (order.category_id.name, order.description) if part
                ),
                order.contact_phone,
            )
            for order in self
        }

    @workflow_action
    def _pm_plan_return_visits(self):
        """Plan the return visit of accepted orders by the rule of their kind.

        Rework → the engineering supervisor in person within N days; otherwise the
        category: N days after completion, or after the next heavy rainstorm (the
        order waits for a ``pm.rainstorm`` record).
        """
        rework_days = self._pm_rework_visit_days()
        for order in self:
            done_day = order._pm_local_date(order.owner_accept_date)
            category = order.category_id
            if order.rework_count:
                order._pm_create_return_visit(
                    method="door",
                    # the owner's own acceptance runs as the owner: never a visitor
                    visitor_id=(
                        order.team_id.leader_id
                        or self.env.user.filtered(lambda u: not u.share)
                        or order.technician_id
                    ).id,
                    due_date=repair_rules.return_visit_due(done_day, rework_days),
                )
            elif category.return_visit_rule == "after_rainstorm":
                order.awaiting_rain = True
            else:
                order._pm_create_return_visit(
                    method=category.return_visit_method,
                    # accepted by the owner on the portal: the visit is the
                    # front desk's who recorded the order, never the owner's
                    visitor_id=(
                        self.env.user.filtered(lambda u: not u.share)
                        or order.create_uid.filtered(lambda u: not u.share)
                    ).id,
                    due_date=repair_rules.return_visit_due(
                        done_day, category.return_visit_delay_days
                    ),
                )

    def _pm_awaits_return_visit(self, visit):
        """R-REP-5: satisfied → closed; dissatisfied → reopened for rework."""
        return self.state == "return_visit"

    def _pm_return_visit_satisfied(self, visit):
        if not self.return_visit_ids.filtered(lambda v: v.state == "planned"):
            self.state = "closed"

    def _pm_return_visit_dissatisfied(self, visit):
        self._pm_start_rework("return_visit", visit=visit)
