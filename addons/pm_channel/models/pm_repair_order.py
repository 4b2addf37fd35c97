# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.pm_base.tools import portal_pages

from .pm_owner_notify import EMAIL_LAYOUT

APPOINTMENT_FIELDS = {"appointment_date", "appointment_window"}
# an appointment changed in these states is told to the owner
TOLD_STATES = ("new", "dispatched", "taken", "on_site", "diagnosed", "quoted")
QUOTE_TEMPLATE = "pm_repair.mail_template_repair_quote"
# the owner email of an event, for an owner told by email
EVENT_TEMPLATES = {
    "dispatched": "pm_channel.mail_template_pm_repair_dispatched",
    "appointment_changed": "pm_channel.mail_template_pm_repair_appointment_changed",
}


class PmRepairOrder(models.Model):
    """The owner of a repair order is told on the owner's channel
    (R-CHANNEL-1): the technician dispatched (name and arrival window), the
    appointment changed, the fee quote to accept (its link)."""

    _inherit = "pm.repair.order"

    def _pm_dispatch(self, method):
        res = super()._pm_dispatch(method)
        for order in self:
            order._pm_notify_owner("dispatched", order._pm_event_template("dispatched"))
        return res

    def action_grab(self):
        res = super().action_grab()
        for order in self:
            order._pm_notify_owner("dispatched", order._pm_event_template("dispatched"))
        return res

    def write(self, vals):
        if not APPOINTMENT_FIELDS & set(vals):
            return super().write(vals)
        before = {o.id: (o.appointment_date, o.appointment_window) for o in self}
        # the orders whose new appointment the case's owner notice told already
        told = set()
        res = super(PmRepairOrder, self.with_context(pm_appointment_told=told)).write(
            vals
        )
        for order in self:
            old = before[order.id]
            if (
                order.id in told
                or not old[0]
                or old == (order.appointment_date, order.appointment_window)
                or order.state not in TOLD_STATES
            ):
                continue
            order._pm_notify_owner(
                "appointment_changed", order._pm_event_template("appointment_changed")
            )
        return res

    def _pm_plan_return_visits(self):
        """The return visit planned when the owner accepts the work: an owner
        told by email has the resolution's email then, and no second one of
        the visit; the other channels keep the event."""
        return super(
            PmRepairOrder, self.with_context(pm_visit_with_resolution=True)
        )._pm_plan_return_visits()

    def _pm_notify_owner(self, event, template=None):
        """Tell the order's owner of ``event`` on the owner's channel; the
        channel used, or False."""
        self.ensure_one()
        owner = self.sudo().partner_id
        if not owner:
            return False
        return self.env["pm.owner.notify"]._pm_notify(
            self,
            event,
            owner,
            values=lambda: self._pm_sms_values(event),
            email_template=template,
        )

    def _pm_post_quote(self, template):
        """The quote goes to the owner on the owner's channel; the order's page
        and its followers (the technician) keep the message."""
        self.ensure_one()
        owner = self.partner_id
        if not owner:
            return super()._pm_post_quote(template)
        channel = self._pm_notify_owner("quote", template)
        if channel == "email":
            return channel
        # told another way (or not at all): the message without the owner
        super(
            PmRepairOrder, self.with_context(pm_notify_skip=owner.ids)
        )._pm_post_quote(template)
        return channel

    def _pm_event_template(self, event):
        """The owner email of ``event`` (the email channel's message)."""
        return self.env.ref(EVENT_TEMPLATES[event], raise_if_not_found=False)

    def _pm_owner_email(self, template, partner):
        """The email channel: the quote posted as it is today (the owner a
        recipient); the other owner emails queued to the owner alone and shown
        on the order's page; after a refused SMS, the email alone."""
        self.ensure_one()
        fallback = self.env.context.get("pm_notify_fallback")
        quote = template.get_external_id().get(template.id) == QUOTE_TEMPLATE
        if quote and not fallback:
            return super()._pm_post_quote(template)
        mails = self._pm_queue_template(
            template, partner, email_layout_xmlid=EMAIL_LAYOUT
        )
        if mails and not quote and not fallback:
            # the owner reads it on the order's page: a public comment
            body = template._render_field("body_html", self.ids, compute_lang=True)
            mails.mail_message_id.sudo().write(
                {
                    "body": body[self.id],
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "is_internal": False,
                }
            )
        return mails

    def _pm_appointment_text(self):
        """The booked slot as the owner reads it: day and window."""
        self.ensure_one()
        if not self.appointment_date:
            return ""
        prop = self.property_id.sudo()
        day = prop.with_env(self.env)._pm_local_text(
            self.appointment_date, date_only=True
        )
        window = dict(portal_pages.APPOINTMENT_WINDOWS).get(self.appointment_window)
        if window:
            return f"{day} {window}"
        return prop.with_env(self.env)._pm_local_text(self.appointment_date)

    def _pm_sms_values(self, event=None):
        """The values of the order an owner event can put in its template, in
        the owner's language, times on the property's clock."""
        self.ensure_one()
        order = self.sudo().with_context(
            lang=self.sudo().partner_id.lang or self.env.lang
        )
        prop = order.property_id
        values = {
            "case_number": order.case_id.name or order.name or "",
            "property": prop.name or "",
            "subject": order.case_id.subject or order.category_id.name or "",
            "service_phone": prop._pm_service_phone() or "",
            "technician": order.technician_id.name or "",
            "appointment_time": order._pm_appointment_text(),
        }
        if event == "dispatched":
            values["arrival_window"] = order._pm_arrival_text()
        if event == "quote":
            values["quote_link"] = order.get_base_url() + order.get_portal_url()
        return values

    def _pm_arrival_text(self):
        """When the technician comes: the booked slot, else before the on-site
        target of the order."""
        self.ensure_one()
        if self.appointment_date:
            return self._pm_appointment_text()
        deadlines = self._pm_running_deadlines()
        deadline = deadlines.get("on_site") or deadlines.get("arrival")
        if not deadline:
            return ""
        return self.env._(
            "before %s", self.property_id._pm_local_text(deadline, short=True)
        )
