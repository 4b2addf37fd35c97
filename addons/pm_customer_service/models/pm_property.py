# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo import fields, models

from odoo.addons.pm_base.tools import settings, staff

from . import visit_rules


class PmProperty(models.Model):
    """The service centre's side of a property: who acknowledges its cases, the
    email alias that turns mail into cases and the director's own visits."""

    # the alias turns emails to the property's address into cases (R-INTAKE-4)
    _inherit = "pm.property"

    # front desk (R-INTAKE-3): who acknowledges the cases no staff member recorded
    front_desk_team_id = fields.Many2one(
        "pm.team",
        domain="[('property_id', 'in', [id, False])]",
        help="Team whose leader acknowledges cases from the portal, email or QR "
        "code when nobody is on duty. Empty: the customer service team.",
    )
    duty_user_ids = staff.users(
        "pm_property_duty_user_rel",
        "property_id",
        "On Duty",
        help="Staff on duty at the front desk: each case waiting for "
        "acknowledgement goes to the one with the fewest waiting cases.",
    )
    # R-RV-3: the director's own owner visits and return visits this month
    director_visit_quota = fields.Integer(compute="_compute_director_visits")
    director_visit_count = fields.Integer(
        string="Director Visits This Month", compute="_compute_director_visits"
    )
    director_visit_shortfall = fields.Integer(compute="_compute_director_visits")

    def _compute_director_visits(self):
        quota = settings.get(self.env, "pm_customer_service.director_monthly_visits")
        directors = self.director_id.ids
        counts = {}
        # this month at each property, from its local midnight of the 1st (R-TZ-1)
        by_start = {}
        for prop in self:
            start = prop._pm_utc(prop._pm_today().replace(day=1))
            by_start.setdefault(start, []).append(prop.id)
        for start, property_ids in by_start.items():
            for model, date_field, states in (
                ("pm.visit", "visit_date", ("done", "signed")),
                ("pm.return.visit", "done_date", ("done",)),
            ):
                for prop, user, count in self.env[model]._read_group(
                    [
                        ("property_id", "in", property_ids),
                        ("visitor_id", "in", directors),
                        ("state", "in", states),
                        (date_field, ">=", start),
                    ],
                    ["property_id", "visitor_id"],
                    ["__count"],
                ):
                    counts[prop, user] = counts.get((prop, user), 0) + count
        for prop in self:
            done = counts.get((prop, prop.director_id), 0)
            prop.director_visit_quota = quota
            prop.director_visit_count = done
            prop.director_visit_shortfall = visit_rules.quota_shortfall(done, quota)

    # ------------------------------------------------------------
    # FRONT DESK AND EMAIL (R-INTAKE-3, R-INTAKE-4)
    # ------------------------------------------------------------

    def _pm_front_desk_team(self):
        self.ensure_one()
        return self.front_desk_team_id or self.team_id

    def _pm_front_desk_assignee(self):
        """The user who gets the next case to acknowledge: the active on-duty user
        with the fewest cases waiting for them, else the front desk team leader,
        else the director."""
        self.ensure_one()
        on_duty = self.duty_user_ids.filtered(lambda u: u.active and u._is_internal())
        if not on_duty:
            return self._pm_front_desk_team().leader_id or self.director_id
        # the cached xmlid lookup: env.ref would check the record exists each time
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "pm_customer_service.mail_activity_type_pm_acknowledge",
            raise_if_not_found=False,
        )
        waiting = dict(
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "pm.case"),
                    ("activity_type_id", "=", activity_type_id),
                    ("user_id", "in", on_duty.ids),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return min(on_duty, key=lambda u: (waiting.get(u, 0), u.id))

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("pm.case")
        values["alias_force_thread_id"] = False
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(
                self.alias_defaults or "{}"
            )
            defaults["property_id"] = self.id
        return values

    def action_view_director_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_customer_service.pm_visit_action"
        )
        action["domain"] = [
            ("property_id", "=", self.id),
            ("visitor_id", "=", self.director_id.id),
        ]
        action["context"] = {
            "default_property_id": self.id,
            "default_visitor_id": self.director_id.id,
        }
        return action
