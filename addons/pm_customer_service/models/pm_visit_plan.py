# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.pm_base.tools import approvals, staff
from odoo.addons.pm_base.tools.approvals import GROUP, ApprovalStep
from odoo.addons.pm_base.tools.write_guard import workflow_action

from .pm_visit import VISIT_METHODS, VISIT_TYPES


class PmVisitPlan(models.Model):
    """A visit plan (走访计划) with its three-step approval (R-VIS-2)."""

    _name = "pm.visit.plan"
    _description = "Visit Plan"
    _inherit = [
        "pm.property.bound.mixin",
        "pm.approval.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "date_start desc, id desc"
    # R-VIS-2 / R-APPROVE-1: each step is recorded by its action only (the
    # approval engine guards the state and the fields of its steps)
    _pm_frozen_states = ("done",)

    name = fields.Char(required=True, tracking=True)
    property_id = fields.Many2one(tracking=True)
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", required=True, tracking=True)
    visit_type = fields.Selection(
        VISIT_TYPES,
        required=True,
        default="periodic",
    )
    method = fields.Selection(
        VISIT_METHODS,
        required=True,
        default="door",
    )
    visitor_ids = staff.users("pm_visit_plan_res_users_rel", "plan_id", "Visitors")
    unit_ids = fields.Many2many(
        "pm.unit",
        "pm_visit_plan_unit_rel",
        "plan_id",
        "unit_id",
        string="Target Units",
        domain="[('property_id', '=', property_id)]",
    )
    content = fields.Html(help="Purpose and topics of the visits.")
    state = approvals.state_field(
        [("reviewed", "Reviewed"), ("approved", "Approved"), ("done", "Done")]
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(tracking=True)
    visit_ids = fields.One2many("pm.visit", "plan_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_progress")
    visit_done_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")

    @api.depends("visit_ids.state", "unit_ids")
    def _compute_progress(self):
        data = {}
        for plan, state, count in self.env["pm.visit"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id", "state"], ["__count"]
        ):
            data.setdefault(plan.id, {})[state] = count
        for plan in self:
            counts = data.get(plan.id, {})
            plan.visit_count = sum(counts.values())
            plan.visit_done_count = counts.get("done", 0) + counts.get("signed", 0)
            target = len(plan.unit_ids) or plan.visit_count
            plan.progress = 100.0 * plan.visit_done_count / target if target else 0.0

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        plan = self.filtered(lambda p: p.date_end < p.date_start)[:1]
        if plan:
            message = _(
                "The plan %(plan)s ends (%(end)s) before it starts (%(start)s)."
            )
            raise ValidationError(
                message
                % {"plan": plan.name, "end": plan.date_end, "start": plan.date_start}
            )

    @api.constrains("unit_ids", "property_id")
    def _check_units(self):
        for plan in self:
            foreign = plan.unit_ids.filtered(
                lambda u, p=plan: u.property_id != p.property_id
            )
            if foreign:
                raise ValidationError(
                    _(
                        "Units %(units)s are not in property %(property)s.",
                        units=", ".join(foreign.mapped("display_name")),
                        property=plan.property_id.display_name,
                    )
                )

    def _pm_retention_kept(self):
        return self.filtered(lambda plan: plan.state != "draft")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """R-VIS-2 / R-APPROVE-1: a plan without target units cannot be
        submitted."""
        return self._pm_approval_submit(
            "unit_ids",
            _(
                "Visit plan %s has no target units: add the units to visit before "
                "submitting it."
            ),
        )

    def action_review(self):
        return self._pm_approval_advance("review")

    def action_approve(self):
        self._pm_approval_advance("approve")
        self._create_planned_visits()
        return True

    @workflow_action
    def action_done(self):
        if any(plan.state != "approved" for plan in self):
            raise UserError(_("Only approved plans can be marked done."))
        self.write({"state": "done"})
        return True

    def action_load_open_issues(self):
        """R-VIS-6: issues still open from earlier visits of the property become
        targets of this plan."""
        for plan in self:
            issues = self.env["pm.visit.issue"].search(
                [
                    ("property_id", "=", plan.property_id.id),
                    ("state", "=", "open"),
                    ("visit_id.plan_id", "!=", plan.id),
                ]
            )
            plan.unit_ids = [fields.Command.link(u.id) for u in issues.unit_id]
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _pm_approval_steps(self):
        """R-VIS-2: drafted by the office, reviewed by the office manager
        (director), approved by head office (quality department); a director may
        send it back at either approval."""
        return (
            self._pm_approval_submission("submitted_by_id", "submitted_on"),
            ApprovalStep(
                "review",
                "submitted",
                "reviewed",
                GROUP + "director",
                "reviewed_by_id",
                "reviewed_on",
                summary=_("Review the visit plan"),
            ),
            ApprovalStep(
                "approve",
                "reviewed",
                "approved",
                GROUP + "quality",
                "approved_by_id",
                "approved_on",
                summary=_("Approve the visit plan"),
                reject_group=GROUP + "director",
            ),
        )

    def _create_planned_visits(self):
        vals_list = []
        for plan in self:
            visited = set(plan.visit_ids.unit_id.ids)
            visitors = plan.visitor_ids
            for index, unit in enumerate(
                plan.unit_ids.filtered(lambda u, v=visited: u.id not in v)
            ):
                vals_list.append(
                    {
                        "plan_id": plan.id,
                        "property_id": plan.property_id.id,
                        "unit_id": unit.id,
                        "partner_id": unit.owner_ids[:1].id,
                        "visit_type": plan.visit_type,
                        "method": plan.method,
                        "visitor_id": visitors[index % len(visitors)].id
                        if visitors
                        else False,
                        "due_date": plan.date_end,
                    }
                )
        return self.env["pm.visit"].create(vals_list)
