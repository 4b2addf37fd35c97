# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .pm_owner_notify import EMAIL_LAYOUT

# the owner emails of a case that are events an owner is told of on the
# owner's channel; the others go by email only (their event has no SMS)
TEMPLATE_EVENTS = {
    "pm_customer_service.mail_template_pm_case_receipt": "case_acknowledged",
    "pm_customer_service.mail_template_pm_case_rating": "resolved",
}
# the new date of a request follows the repair booked with the owner: the
# appointment changed, told once (the order does not tell it again)
DEADLINE_TEMPLATE = "pm_customer_service.mail_template_pm_case_deadline_change"


class PmCase(models.Model):
    """The owner of a case is told of its events once, on the owner's channel
    (R-CHANNEL-1): the request received, acknowledged with the promised reply
    time, resolved with the link to rate it; the other owner emails go by email
    when the event has no SMS. The portal keeps every message."""

    _inherit = "pm.case"

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        for case in cases:
            # No owner email of this event: the front desk acknowledges a case
            # it records on the spot (the SOP's 立即受理), and the receipt
            # (case_acknowledged) is the owner's email; a second one seconds
            # earlier would break one message per event. An owner told by email
            # hears of a request with its receipt.
            case._pm_notify_owner("case_received")
        return cases

    def _plan_resolution_visit(self):
        """The return visit planned at the resolution: an owner told by email
        has the resolution's email (the rating) at that moment, and no second
        one of the visit; the other channels keep the event."""
        return super(
            PmCase, self.with_context(pm_visit_with_resolution=True)
        )._plan_resolution_visit()

    def _pm_notify_owner(self, event, template=None):
        """Tell the case's owner of ``event`` on the owner's channel (the email
        ``template`` on the email channel); the channel used, or False."""
        self.ensure_one()
        owner = self.partner_id
        if not owner:
            return False
        return self.env["pm.owner.notify"]._pm_notify(
            self,
            event,
            owner,
            values=lambda: self._pm_sms_values(event) if event else {},
            email_template=template,
        )

    def _pm_send_owner_template(self, template):
        """The owner email of the case goes through the router: an owner told by
        SMS or WeChat gets no email, the portal still shows the message, and it
        counts as the update of the owner it is."""
        self.ensure_one()
        if not self.partner_id:
            return super()._pm_send_owner_template(template)
        xmlid = template.get_external_id().get(template.id)
        event = TEMPLATE_EVENTS.get(xmlid)
        if xmlid == DEADLINE_TEMPLATE and self.env.context.get(
            "pm_deadline_owner_booked"
        ):
            event = "appointment_changed"
            told = self.env.context.get("pm_appointment_told")
            if told is not None:
                told.update(self._pm_thread_orders().ids)
        channel = self._pm_notify_owner(event, template)
        if channel and channel != "email":
            self._pm_post_for_portal(template)
        if channel:
            self._pm_owner_email_sent(template)
        return channel

    def _pm_owner_email(self, template, partner):
        """The email channel of the router: the case's owner email as it goes
        today, shown on the portal (a fallback after a refused SMS was shown
        already)."""
        self.ensure_one()
        mails = self._pm_queue_template(
            template, partner, email_layout_xmlid=EMAIL_LAYOUT
        )
        if not self.env.context.get("pm_notify_fallback"):
            self._pm_show_on_portal(template, mails)
        return mails

    def _pm_post_for_portal(self, template):
        """The owner's message on the portal, without an email: a public
        comment nobody is notified of."""
        self.ensure_one()
        body = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        message = self.sudo()._message_log(body=body, message_type="comment")
        message.write(
            {
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "is_internal": False,
            }
        )
        return message

    def _pm_sms_values(self, event=None):
        """The values of the case an owner event can put in its template, as the
        owner reads them (times on the property's clock, without seconds)."""
        self.ensure_one()
        case = self.with_context(lang=self.partner_id.lang or self.env.lang)
        prop = case.property_id
        values = {
            "case_number": case.name or "",
            "property": prop.name or "",
            "subject": case.subject or "",
            "promised_time": case._get_promised_time(),
            "service_phone": prop._pm_service_phone() or "",
        }
        if event == "appointment_changed":
            booked = (
                case._pm_thread_orders()
                .filtered("appointment_stop")
                .sorted("appointment_stop")[-1:]
            )
            values["appointment_time"] = booked._pm_appointment_text() if booked else ""
        if event == "resolved":
            # the owner's page of the request, where the owner answers
            values["rating_link"] = case._pm_owner_link()
        return values

    def _pm_owner_link(self):
        """The full link of the owner's page of the record (with its token)."""
        self.ensure_one()
        record = self.sudo()
        return record.get_base_url() + record.get_portal_url()
