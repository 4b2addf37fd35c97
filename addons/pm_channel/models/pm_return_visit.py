# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class PmReturnVisit(models.Model):
    """The owner is told on the owner's channel that a return visit of the
    request is due (R-CHANNEL-1); the visitor keeps the email of the visit to
    make. A door visit is arranged in person; a supervisor's sample call checks
    the agent and is not announced."""

    _inherit = "pm.return.visit"

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits:
            if visit._pm_owner_announced():
                visit._pm_notify_owner("return_visit_due")
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
