# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools.vocabulary import REQUEST_TYPES, SEVERITIES


class PmSlaPolicy(models.Model):
    """Deadlines of a kind of case (R-SLA-1..5).

    The most specific active policy wins: request type and severity, then request
    type alone, then a policy without both (the company default).
    """

    _name = "pm.sla.policy"
    _description = "SLA Policy"
    _inherit = ["pm.list.entry.mixin"]
    _order = "sequence, id"

    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: every company."
    )
    request_type = fields.Selection(REQUEST_TYPES, help="Empty: every request type.")
    severity = fields.Selection(SEVERITIES, help="Empty: every severity.")
    time_mode = fields.Selection(
        [("calendar", "Calendar Time"), ("working", "Working Time")],
        required=True,
        default="calendar",
        help="Working time counts only the hours of the property's working "
        "calendar; calendar time counts every hour.",
    )
    acknowledge_hours = fields.Float(
        string="Acknowledge within (h)", default=24.0, required=True
    )
    reply_hours = fields.Float(string="First Reply within (h)", default=24.0)
    resolve_hours = fields.Float(
        string="Resolve within (h)", default=48.0, required=True
    )
    resolve_same_day = fields.Boolean(
        string="Resolve the Same Day",
        help="Resolution deadline at the end of the day of intake (end of the "
        "working day on working time) instead of a number of hours.",
    )
    return_visit_required = fields.Boolean(
        default=True,
        help="A case cannot be closed before a return visit is done.",
    )
    return_visit_days = fields.Integer(
        string="Return Visit within (working days)",
        default=3,
        help="Due date of the return visit planned when the case is resolved.",
    )

    _hours_positive = models.Constraint(
        "CHECK(acknowledge_hours > 0 AND resolve_hours > 0 "
        "AND reply_hours >= 0 AND return_visit_days >= 0)",
        "SLA durations must be positive.",
    )

    @api.constrains("acknowledge_hours", "reply_hours", "resolve_hours")
    def _check_order(self):
        for policy in self:
            if policy.resolve_hours < policy.acknowledge_hours:
                raise ValidationError(
                    _(
                        "Policy %s: a case cannot have to be resolved before it is "
                        "acknowledged.",
                        policy.name,
                    )
                )

    @api.model
    def _find(self, request_type, severity, company):
        """The policy that applies to a case (R-SLA-1..3)."""
        policies = self.search(
            [
                ("company_id", "in", [company.id, False]),
                ("request_type", "in", [request_type, False]),
                ("severity", "in", [severity, False]),
            ]
        )
        if not policies:
            return policies

        def score(policy):
            return (
                -bool(policy.request_type) * 2 - bool(policy.severity),
                -bool(policy.company_id),
                policy.sequence,
                policy.id,
            )

        return min(policies, key=score)

    @api.model
    @tools.ormcache("request_type", "severity", "company_id")
    def _get_terms(self, request_type, severity, company_id):
        """Terms of the applicable policy as plain values, cached: every intake
        reads them. Empty dict when no policy applies."""
        company = self.env["res.company"].browse(company_id)
        policy = self.sudo()._find(request_type, severity, company)
        if not policy:
            return {}
        return {
            "id": policy.id,
            "time_mode": policy.time_mode,
            "acknowledge_hours": policy.acknowledge_hours,
            "reply_hours": policy.reply_hours,
            "resolve_hours": policy.resolve_hours,
            "resolve_same_day": policy.resolve_same_day,
            "return_visit_required": policy.return_visit_required,
            "return_visit_days": policy.return_visit_days,
        }

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
