# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.pm_base.tools.vocabulary import (
    RETURN_VISIT_METHODS,
    SATISFACTION_LEVELS,
    SATISFIED_LEVELS,
)
from odoo.addons.pm_base.tools.write_guard import workflow_action


class PmReturnVisit(models.Model):
    """A return visit (回访) to an owner after a case, repair or rectification (R-RV-1).

    The visited record is a generic reference (``res_model``/``res_id``); models that
    get return visits inherit ``pm.return.visit.mixin`` and react to the outcome in
    ``_pm_on_return_visit_done`` (e.g. reopen when the owner is dissatisfied).
    """

    _name = "pm.return.visit"
    _description = "Return Visit"
    _inherit = [
        "pm.case.source.mixin",
        "pm.owner.visit.mixin",
        "pm.property.record.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "state_order, due_date, id desc"
    _pm_visit_escalation_kind = "return_visit"
    _pm_protected_fields = (
        # set by "Make a Case" only (R-LOOP-1)
        "case_id",
        "state",
        "done_date",
        "state_order",
        "is_satisfied",
        "escalation_level",
        "escalation_next_date",
        "escalation_kind",
    )
    _pm_frozen_states = ("done",)
    # R-CLOCK-1: a return visit not made by its due date escalates
    _pm_escalation_cron_xmlid = "pm_customer_service.ir_cron_pm_return_visit_escalate"

    # what is visited
    res_model = fields.Char(string="Source Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Source ID", model_field="res_model", index=True, readonly=True
    )
    source_name = fields.Char(compute="_compute_source_info", string="Source")
    # what the visitor needs on the phone: whom to call and what it was about
    summary = fields.Char(
        string="Visit Subject",
        compute="_compute_source_info",
        help="What the visited record was about.",
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_source_info",
        help="The number to call: the owner's, else the one given with the request.",
    )
    # how and when
    method = fields.Selection(
        RETURN_VISIT_METHODS, required=True, default="phone", tracking=True
    )
    done_date = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    state_order = fields.Integer(compute="_compute_state_order", store=True)
    # outcome
    satisfaction = fields.Selection(SATISFACTION_LEVELS, tracking=True, copy=False)
    is_satisfied = fields.Boolean(
        compute="_compute_is_satisfied", store=True, string="Satisfied"
    )
    result = fields.Text(copy=False, help="What the owner said about the service.")
    remarks = fields.Text()
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )

    @api.depends("res_model", "res_id", "partner_id.phone")
    def _compute_source_info(self):
        # the sources of a list page are read once per model, not once per visit;
        # the visit is readable, so is what it shows of its source
        ids_by_model = defaultdict(set)
        for visit in self:
            if visit.res_model in self.env and visit.res_id:
                ids_by_model[visit.res_model].add(visit.res_id)
        sources = {}
        for model, ids in ids_by_model.items():
            records = self.env[model].sudo().browse(ids).exists()
            if hasattr(records, "_pm_return_visit_briefs"):
                briefs = records._pm_return_visit_briefs()
            else:
                briefs = {record.id: (record.display_name, False) for record in records}
            for record in records:
                sources[(model, record.id)] = (record.display_name, *briefs[record.id])
        for visit in self:
            name, summary, phone = sources.get(
                (visit.res_model, visit.res_id), (False, False, False)
            )
            visit.source_name = name
            visit.summary = summary
            visit.partner_phone = visit.partner_id.phone or phone or False

    @api.depends("state")
    def _compute_state_order(self):
        order = {"planned": 0, "done": 1, "cancelled": 2}
        for visit in self:
            visit.state_order = order.get(visit.state, 3)

    @api.depends("satisfaction")
    def _compute_is_satisfied(self):
        for visit in self:
            visit.is_satisfied = visit.satisfaction in SATISFIED_LEVELS

    @api.depends("due_date", "state", "property_id.tz")
    def _compute_is_overdue(self):
        # R-TZ-1: due dates end with the day at the property, not the user's
        for visit in self:
            visit.is_overdue = (
                visit.state == "planned"
                and bool(visit.due_date)
                and visit.due_date < visit.property_id.sudo()._pm_today()
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on Overdue."))
        domain = Domain.AND(
            [
                [("state", "=", "planned")],
                self.env["pm.property"]._pm_today_domain("due_date", "<"),
            ]
        )
        positive = (operator == "=") == value
        return domain if positive else ["!", *domain]

    def _pm_retention_kept(self):
        return self.filtered(lambda v: v.state != "planned")

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._pm_escalation_reschedule()
        return visits

    def write(self, vals):
        res = super().write(vals)
        if {"due_date", "state", "property_id"} & set(vals):
            self._pm_escalation_reschedule()
        return res

    # ------------------------------------------------------------
    # ESCALATION (R-CLOCK-1: the return visit within its working days)
    # ------------------------------------------------------------

    @api.model
    def _pm_escalation_kind_label(self, kind):
        if kind == "return_visit":
            return _("Return visit due date")
        return super()._pm_escalation_kind_label(kind)

    def _pm_escalation_end_reason(self, kind):
        self.ensure_one()
        reasons = {
            "done": _("the return visit is made"),
            "cancelled": _("the return visit is cancelled"),
        }
        return reasons.get(self.state) or super()._pm_escalation_end_reason(kind)

    def _pm_escalation_summary(self, kind, level):
        if not level:
            return _("Return visit %s is due today", self.name)
        return _(
            "Return visit %(name)s is overdue - escalated to %(level)s",
            name=self.name,
            level=self._pm_level_label(level),
        )

    def _pm_escalation_template(self, level):
        return "pm_customer_service.mail_template_pm_return_visit_escalation"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_done(self):
        """Record the outcome (R-RV-1) and let the source react (R-FLOW-2, R-REP-5)."""
        for visit in self:
            if visit.state != "planned":
                raise UserError(
                    _("Return visit %s is not planned any more.", visit.name)
                )
            if not visit.satisfaction:
                raise UserError(
                    _(
                        "Record the owner's satisfaction before closing return visit "
                        "%s.",
                        visit.name,
                    )
                )
        self.write({"state": "done", "done_date": fields.Datetime.now()})
        for visit in self:
            source = visit._get_source()
            if source and hasattr(source, "_pm_on_return_visit_done"):
                source._pm_on_return_visit_done(visit)
        return True

    @workflow_action
    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").write({"state": "cancelled"})
        return True

    @workflow_action
    def action_reset(self):
        self.filtered(lambda v: v.state == "cancelled").write({"state": "planned"})
        return True

    def action_open_source(self):
        self.ensure_one()
        source = self._get_source()
        if not source:
            raise UserError(_("This return visit has no source record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": source._name,
            "res_id": source.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_case_values(self):
        """R-LOOP-1: what the owner said becomes a case (seed 003 篇2 §4.1.3):
        a complaint when the owner is dissatisfied, else a request for help."""
        self.ensure_one()
        if self.state == "cancelled":
            raise UserError(_("A cancelled return visit cannot become a case."))
        text = (self.result or "").strip()
        if not text:
            raise UserError(
                _(
                    "Record what the owner said in return visit %s before making a "
                    "case of it.",
                    self.name,
                )
            )
        description = "\n\n".join(
            part for part in (text, (self.remarks or "").strip()) if part
        )
        dissatisfied = bool(self.satisfaction) and not self.is_satisfied
        # the owner called, else the unit's owner, as the intake form takes
        partner = self.partner_id or self.unit_id.owner_ids[:1]
        return {
            "property_id": self.property_id.id,
            "unit_id": self.unit_id.id,
            "partner_id": partner.id,
            "contact_name": partner.name or False,
            "contact_info": self.partner_phone or False,
            "request_type": "complaint" if dissatisfied else "help",
            "channel": "phone" if self.method == "phone" else "visit",
            "subject": self._pm_case_subject(_("Return visit %s", self.name), text),
            "description": description,
        }

    def _get_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists() or None


class PmReturnVisitMixin(models.AbstractModel):
    """Records that get return visits: complaints, repair orders, rectifications."""

    _name = "pm.return.visit.mixin"
    _description = "Return Visit Mixin"

    return_visit_ids = fields.One2many(
        "pm.return.visit",
        "res_id",
        string="Return Visits",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    return_visit_count = fields.Integer(compute="_compute_return_visit_count")

    def _compute_return_visit_count(self):
        counts = dict(
            self.env["pm.return.visit"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.return_visit_count = counts.get(record.id, 0)

    def _pm_return_visit_values(self):
        """Default values of a return visit of this record: the record, and the
        owner, property and unit it is about; extend per model."""
        self.ensure_one()
        values = {"res_model": self._name, "res_id": self.id}
        for name in ("property_id", "unit_id", "partner_id"):
            if name in self._fields:
                values[name] = self[name].id
        return values

    def _pm_return_visit_briefs(self):
        """``{id: (summary, phone)}`` a return visit of each record shows: what
        it was about, and the number given with it (the visit prefers the
        owner's own); extend per model."""
        return {record.id: (record.display_name, False) for record in self}

    def _pm_create_return_visit(self, **values):
        """Plan one return visit per record; ``values`` override the defaults."""
        vals_list = [
            dict(record._pm_return_visit_values(), **values) for record in self
        ]
        return self.env["pm.return.visit"].create(vals_list)

    @workflow_action
    def _pm_on_return_visit_done(self, visit):
        """Called when a return visit of this record is done: a record waiting
        for the owner's answer (``_pm_awaits_return_visit``) moves on when the
        owner is satisfied and goes back to work when not."""
        self.ensure_one()
        if not self._pm_awaits_return_visit(visit):
            return True
        if visit.is_satisfied:
            self._pm_return_visit_satisfied(visit)
        else:
            self._pm_return_visit_dissatisfied(visit)
        return True

    def _pm_awaits_return_visit(self, visit):
        """Whether the outcome of ``visit`` moves this record; per model."""
        return False

    def _pm_return_visit_satisfied(self, visit):
        """The owner is satisfied at ``visit``; per model."""

    def _pm_return_visit_dissatisfied(self, visit):
        """The owner is not satisfied at ``visit``; per model."""

    def action_view_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_customer_service.pm_return_visit_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {
            "default_res_model": self._name,
            "default_res_id": self.id,
            **{
                f"default_{key}": value
                for key, value in self._pm_return_visit_values().items()
                if key not in ("res_model", "res_id")
            },
        }
        return action
