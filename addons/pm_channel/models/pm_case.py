# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# the owner emails of a case whose event also goes by SMS
TEMPLATE_EVENTS = {
    "pm_customer_service.mail_template_pm_case_receipt": "case_acknowledged",
}


class PmCase(models.Model):
    """The owner of a case is told of its events by SMS too, when the company
    has an SMS provider and a template for the event (issue 23): the request
    received, then acknowledged with the promised reply time."""

    _inherit = "pm.case"

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        for case in cases:
            case._pm_owner_sms("case_received")
        return cases

    def _send_template(self, template, partners=None):
        super()._send_template(template, partners=partners)
        if partners is not None or not template:
            return
        if isinstance(template, str):
            xmlid = template
        else:
            xmlid = template.get_external_id().get(template.id)
        event = TEMPLATE_EVENTS.get(xmlid)
        if event:
            for case in self:
                case._pm_owner_sms(event)

    def _pm_owner_sms(self, event):
        """Queue the SMS of ``event`` to the case's owner (nothing without a
        provider, a template for the event or a mobile number)."""
        self.ensure_one()
        company = self.company_id.sudo()
        # the company first: without a provider, the owner is not even read
        if not company or not company._pm_sms_configured():
            return self.env["sms.sms"]
        owner = self.partner_id
        if not owner.phone:
            return self.env["sms.sms"]
        return self.env["pm.sms.template"]._pm_queue_event(
            self.with_context(lang=self._pm_staff_lang()),
            event,
            owner,
            self.with_context(lang=owner.lang or self.env.lang)._pm_sms_values(),
        )

    def _pm_sms_values(self):
        """The values of the case an owner event can put in its template, as the
        owner reads them (times on the property's clock, without seconds)."""
        self.ensure_one()
        prop = self.property_id
        return {
            "case_number": self.name or "",
            "property": prop.name or "",
            "subject": self.subject or "",
            "promised_time": self._get_promised_time(),
            "service_phone": prop._pm_service_phone() or "",
        }
