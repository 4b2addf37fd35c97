# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# R-LAND-1: where each role lands, the most senior role first; a home action
# chosen for the user (Preferences) wins
HOME_ACTIONS = [
    (
        "pm_customer_service.group_pm_director",
        "pm_customer_service.pm_director_dashboard_action",
    ),
    (
        "pm_customer_service.group_pm_agent",
        "pm_customer_service.pm_case_action_to_acknowledge",
    ),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    pm_property_ids = fields.Many2many(
        "pm.property",
        "pm_property_res_users_rel",
        "user_id",
        "property_id",
        string="Assigned Properties",
        help="Properties this user works on; record rules limit staff to them.",
    )

    @api.model
    def _pm_home_actions(self):
        """``[(group xmlid, action xmlid)]``, most senior role first."""
        return list(HOME_ACTIONS)

    def _pm_home_action(self):
        """The action the user lands on after logging in when no home action was
        chosen for them: the director's dashboard, the front desk's queue, the
        technician's orders (R-LAND-1). Resolved at each login from the groups,
        so a user put in a group today lands there tomorrow."""
        self.ensure_one()
        for group, xmlid in self._pm_home_actions():
            if self.has_group(group):
                action = self.env.ref(xmlid, raise_if_not_found=False)
                if action:
                    return action
        return self.env["ir.actions.actions"]

    def write(self, vals):
        res = super().write(vals)
        if "pm_property_ids" in vals:
            self.env.registry.clear_cache()
        return res

    def _on_webclient_bootstrap(self):
        # service staff get no OdooBot onboarding chat ("send me an emoji") on
        # their first login: their work starts on their landing screen
        if self.odoobot_state in (False, "not_initialized") and self.has_group(
            "pm_customer_service.group_pm_technician"
        ):
            self.sudo().odoobot_state = "disabled"
        return super()._on_webclient_bootstrap()
