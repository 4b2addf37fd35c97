# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

VISIT_TEMPLATE = "pm_channel.mail_template_pm_return_visit_owner"


class PmReturnVisit(models.Model):
    """The owner is told on the owner's channel that a return visit of the
    request is due (R-CHANNEL-1); the visitor keeps the email of the visit to
    make. A door visit is arranged in person; a supervisor's sample call checks
    the agent and is not announced."""

    _inherit = "pm.return.visit"

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        template = self.env.ref(VISIT_TEMPLATE, raise_if_not_found=False)
        if self.env.context.get("pm_visit_with_resolution"):
            # planned at the resolution: its email is the owner's email of it
            template = None
        for visit in visits:
            if visit._pm_owner_announced():
                visit._pm_notify_owner("return_visit_due", template)
        return visits

    def _pm_owner_announced(self):
        self.ensure_one()
        return (
            bool(self.partner_id)
            and self.state == "planned"
            and self.method != "door"
            and getattr(self, "kind", False) != "sample"
        )

    def _pm_notify_owner(self, event, template=None):
        self.ensure_one()
        return self.env["pm.owner.notify"]._pm_notify(
            self,
            event,
            self.partner_id,
            values=lambda: self._pm_sms_values(event),
            email_template=template,
        )

    def _pm_owner_source_link(self):
        """The full link of the owner's page of the visited record (its
        token), or "" when it has none."""
        self.ensure_one()
        if self.res_model not in self.env or not self.res_id:
            return ""
        source = self.env[self.res_model].sudo().browse(self.res_id).exists()
        if not source or not hasattr(source, "get_portal_url"):
            return ""
        return source.get_base_url() + source.get_portal_url()

    def _pm_sms_values(self, event=None):
        self.ensure_one()
        visit = self.sudo().with_context(
            lang=self.sudo().partner_id.lang or self.env.lang
        )
        prop = visit.property_id
        return {
            "case_number": visit.source_name or visit.name or "",
            "property": prop.name or "",
            "return_visit_date": prop._pm_local_text(visit.due_date, date_only=True)
            if visit.due_date
            else "",
            "service_phone": prop._pm_service_phone() or "",
        }
