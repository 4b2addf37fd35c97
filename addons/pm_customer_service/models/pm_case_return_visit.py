# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models

from odoo.addons.pm_base.tools.write_guard import workflow_action


class PmCase(models.Model):
    """Resolution, return visit and second processing of a case
    (R-RV-*, R-FLOW-2)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # RESOLUTION, RETURN VISIT AND SECOND PROCESSING
    # ------------------------------------------------------------

    def _return_visit_required(self):
        self.ensure_one()
        if self.sla_policy_id:
            return self.sla_policy_id.return_visit_required
        terms = self.env["pm.sla.policy"]._get_terms(
            self.request_type, self.severity, self.company_id.id
        )
        return terms["return_visit_required"] if terms else True

    @workflow_action
    def _reopen(self, reason):
        """R-FLOW-2: back to processing for a second round, counted."""
        stage = self.env["pm.case.stage"]._for_state("processing")
        now = fields.Datetime.now()
        for case in self:
            values = {
                "stage_id": stage.id,
                "reopen_count": case.reopen_count + 1,
                "resolved_date": False,
                "closed_date": False,
            }
            # the new round gets a full resolution time from now, so that its
            # escalation ladder starts afresh instead of firing at once
            terms = self.env["pm.sla.policy"]._get_terms(
                case.request_type, case.severity, case.company_id.id
            )
            if terms:
                deadline = case._sla_deadlines(case.property_id, terms, now).get(
                    "resolve_deadline"
                )
                if deadline and (
                    not case.resolve_deadline or deadline > case.resolve_deadline
                ):
                    values["resolve_deadline"] = deadline
            case.write(values)
            case.message_post(
                body=_(
                    "Second processing round %(round)s: %(reason)s",
                    round=case.reopen_count,
                    reason=reason,
                )
            )

    def _pm_awaits_return_visit(self, visit):
        """R-FLOW-2 / R-RV-2: a case waits for the owner's answer once resolved."""
        return self.state in ("confirmation", "return_visit") or (
            self.request_type != "complaint" and self.state != "closed"
        )

    @workflow_action
    def _pm_on_return_visit_done(self, visit):
        """R-FLOW-2 / R-RV-2: satisfied → closed, dissatisfied → reopened."""
        self.ensure_one()
        followed_up = self._pm_awaits_return_visit(visit)
        # the return visit records the owner's answer (R-OWNER-1)
        self.sudo().write(
            {
                "satisfaction": visit.satisfaction,
                "return_visit_done": self.return_visit_done
                or (followed_up and visit.is_satisfied),
            }
        )
        return super()._pm_on_return_visit_done(visit)

    def _pm_return_visit_satisfied(self, visit):
        self._move_to("closed")

    def _pm_return_visit_dissatisfied(self, visit):
        self._reopen(_("Dissatisfied at return visit %s.", visit.name))

    def _pm_return_visit_values(self):
        values = super()._pm_return_visit_values()
        values["visitor_id"] = self.first_contact_user_id.id
        return values

    def _pm_return_visit_briefs(self):
        return {
            case.id: (
                case.subject,
                case.contact_info if case.contact_method == "phone" else False,
            )
            for case in self
        }

    def _plan_resolution_visit(self):
        """R-RV-2: a return visit due within N working days of the resolution;
        a case that follows work orders gets theirs, by their rules (one return
        visit for one problem, R-THREAD-1)."""
        self.ensure_one()
        if self._pm_follows_work_orders():
            return
        # a supervisor's sample call checks the agent: not the owner's visit
        if self.return_visit_ids.filtered(
            lambda v: v.state == "planned" and v.kind != "sample"
        ):
            return
        policy = self.sla_policy_id
        days = policy.return_visit_days if policy else 3
        visit = self._pm_create_return_visit(
            method="phone", due_date=self._working_days_after(self.resolved_date, days)
        )
        template = self.env.ref(
            "pm_customer_service.mail_template_pm_return_visit_due",
            raise_if_not_found=False,
        )
        if template and visit.visitor_id:
            template.send_mail(
                visit.id,
                force_send=False,
                email_layout_xmlid="mail.mail_notification_light",
            )
