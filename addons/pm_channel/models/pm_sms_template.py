# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import sms_rules

# the product's events an owner is told of (issue 23)
EVENTS = [
    ("case_received", "Request Received"),
    ("case_acknowledged", "Request Acknowledged"),
    ("dispatched", "Technician Dispatched"),
    ("appointment_changed", "Appointment Changed"),
    ("resolved", "Request Resolved"),
    ("quote", "Quote to Accept"),
    ("return_visit_due", "Return Visit Due"),
    ("survey_invitation", "Survey Invitation"),
    ("notice", "Notice Published"),
    ("violation", "Violation Notice"),
]
# what an event can put in its template's variables
VALUES = [
    ("case_number", "Request Number"),
    ("property", "Property"),
    ("subject", "Request Subject"),
    ("promised_time", "Promised Reply Time"),
    ("technician", "Technician"),
    ("arrival_window", "Arrival Window"),
    ("appointment_time", "Appointment Time"),
    ("rating_link", "Rating Link"),
    ("quote_link", "Quote Link"),
    ("return_visit_date", "Return Visit Date"),
    ("survey_link", "Survey Link"),
    ("service_phone", "Service Phone"),
    ("notice_title", "Notice Title"),
    ("notice_link", "Notice Link"),
    ("violation_deadline", "Rectification Deadline"),
    ("violation_link", "Violation Notice Link"),
]
EVENT_VALUES = {
    "case_received": ["case_number", "property", "subject", "service_phone"],
    "case_acknowledged": [
        "case_number",
        "property",
        "subject",
        "promised_time",
        "service_phone",
    ],
    "dispatched": ["case_number", "technician", "arrival_window", "service_phone"],
    "appointment_changed": ["case_number", "appointment_time", "service_phone"],
    "resolved": ["case_number", "rating_link"],
    "quote": ["case_number", "quote_link"],
    "return_visit_due": ["case_number", "return_visit_date", "service_phone"],
    "survey_invitation": ["property", "survey_link"],
    "notice": ["property", "notice_title", "notice_link"],
    "violation": ["property", "violation_deadline", "violation_link"],
}
# the variables a new mapping starts with (the names of the template's ${...})
EVENT_DEFAULTS = {
    "case_received": [("code", "case_number")],
    "case_acknowledged": [("code", "case_number"), ("time", "promised_time")],
    "dispatched": [
        ("code", "case_number"),
        ("name", "technician"),
        ("time", "arrival_window"),
    ],
    "appointment_changed": [("code", "case_number"), ("time", "appointment_time")],
    "resolved": [("code", "case_number"), ("link", "rating_link")],
    "quote": [("code", "case_number"), ("link", "quote_link")],
    "return_visit_due": [("code", "case_number"), ("date", "return_visit_date")],
    "survey_invitation": [("name", "property"), ("link", "survey_link")],
    "notice": [("title", "notice_title"), ("link", "notice_link")],
    "violation": [("date", "violation_deadline"), ("link", "violation_link")],
}


# context key of a message sent to many owners at once (a notice): no chatter
# message per owner on the record
MASS_CONTEXT = "pm_sms_mass"
# Odoo's SMS queue
QUEUE_CRON = "sms.ir_cron_sms_scheduler_action"

# a value of these keys (and any other ending so) is a link an owner opens: the
# SMS carries it as a short link of the company's own site
LINK_SUFFIX = "_link"


def check_event_values(templates, lines_field):
    """Refuse a provider template (SMS or WeChat) whose lines (``lines_field``,
    each with a ``value`` of ``VALUES``) put in a value its event does not
    have."""
    if not templates:
        return
    lines_model = templates[lines_field]
    labels = dict(lines_model._fields["value"]._description_selection(templates.env))
    events = dict(templates._fields["event"]._description_selection(templates.env))
    for template in templates:
        allowed = EVENT_VALUES.get(template.event, [])
        for line in template[lines_field]:
            if line.value not in allowed:
                raise ValidationError(
                    templates.env._(
                        "The event %(event)s has no %(value)s.",
                        event=events[template.event],
                        value=labels[line.value],
                    )
                )


def template_params(provider, lines, values):
    """The template's parameters for the provider, as stored on the message:
    Alibaba Cloud names its variables (a JSON object), Tencent Cloud numbers
    them (a JSON list in the lines' order). ``lines`` are ``(name, value key)``;
    a value the event does not know is empty."""
    if provider == "tencent":
        params = [str(values.get(key) or "") for _name, key in lines]
    else:
        params = {name: str(values.get(key) or "") for name, key in lines}
    return json.dumps(params, ensure_ascii=False)


class PmSmsTemplate(models.Model):
    """Which approved template of the company's SMS provider an owner event
    sends, and what goes in its variables."""

    _name = "pm.sms.template"
    _description = "Owner SMS Template"
    _order = "company_id, event"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    event = fields.Selection(EVENTS, required=True)
    template_code = fields.Char(
        required=True,
        help="The code of the approved template at the provider: e.g. SMS_123456789 "
        "(Alibaba Cloud) or 1234567 (Tencent Cloud).",
    )
    param_ids = fields.One2many(
        "pm.sms.template.param",
        "template_id",
        string="Variables",
        copy=True,
        default=lambda self: self._default_param_ids(),
    )
    active = fields.Boolean(default=True)
    event_summary = fields.Html(
        string="Events of the Company",
        compute="_compute_event_summary",
        sanitize=False,
    )

    _event_unique = models.Constraint(
        "unique(company_id, event)",
        "Each event has one SMS template per company.",
    )

    @api.model
    def _pm_event_table(self, company):
        """Each owner event: mapped to a template of the provider (its code) or
        not (the owner gets the email only), as the staff read it."""
        mapped = {
            template.event: template.template_code
            for template in self.env["pm.sms.template"]
            .sudo()
            .search([("company_id", "=", company.id)])
        }
        labels = dict(
            self.env["pm.sms.template"]
            ._fields["event"]
            ._description_selection(self.env)
        )
        yes = Markup('<span class="badge text-bg-success">%s</span>') % self.env._(
            "Mapped"
        )
        no = Markup('<span class="badge text-bg-secondary">%s</span>') % self.env._(
            "Not mapped: email only"
        )
        head = Markup(
            '<tr><th class="text-nowrap">%s</th><th>%s</th><th>%s</th></tr>'
        ) % (
            self.env._("Event"),
            self.env._("SMS"),
            self.env._("Template Code"),
        )
        rows = Markup("").join(
            Markup(
                '<tr><td class="text-nowrap">%s</td>'
                '<td class="text-nowrap">%s</td><td>%s</td></tr>'
            )
            % (
                labels[event],
                yes if event in mapped else no,
                mapped.get(event) or "",
            )
            for event, _label in EVENTS
        )
        table = Markup(
            '<table class="table table-sm w-100 mb-0"><thead>%s</thead>%s</table>'
        ) % (head, rows)
        if company._pm_sms_configured():
            return table
        # mapped or not, nothing goes by SMS before the account is complete
        note = Markup('<p class="text-warning mb-1">%s</p>') % self.env._(
            "No SMS provider yet: owners get emails only."
        )
        return note + table

    @api.model
    def _default_param_ids(self):
        event = self.env.context.get("default_event")
        return [
            fields.Command.create({"sequence": index, "name": name, "value": value})
            for index, (name, value) in enumerate(EVENT_DEFAULTS.get(event, []))
        ]

    @api.onchange("event")
    def _onchange_event(self):
        if self.event and not self.param_ids:
            self.param_ids = [
                fields.Command.create({"sequence": index, "name": name, "value": value})
                for index, (name, value) in enumerate(EVENT_DEFAULTS[self.event])
            ]

    @api.constrains("event", "param_ids")
    def _check_values(self):
        check_event_values(self, "param_ids")

    @api.depends("company_id")
    def _compute_event_summary(self):
        for template in self:
            template.event_summary = self._pm_event_table(
                template.company_id or self.env.company
            )

    @api.depends("event", "template_code")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for template in self:
            template.display_name = (
                f"{events.get(template.event, '')} ({template.template_code or ''})"
            )

    # ------------------------------------------------------------
    # SENDING (the one way an owner event reaches the SMS queue)
    # ------------------------------------------------------------

    @api.model
    def _pm_queue_event(self, record, event, partners, values):
        """Queue the SMS of ``event`` of ``record`` for each of ``partners``
        (one per owner with a mainland mobile number) in Odoo's SMS queue, never
        sending it now. Nothing when the record's company has no provider or
        has not mapped the event. ``values`` are the event's values (``VALUES``
        keys), as the owners read them. Returns the ``sms.sms`` queued."""
        sms_model = self.env["sms.sms"].sudo()
        company = self._pm_company_of(record)
        if not company or not company._pm_sms_configured():
            return sms_model
        template = self.sudo().search(
            [("company_id", "=", company.id), ("event", "=", event)], limit=1
        )
        partners = partners.sudo().filtered("phone")
        if not template or not partners:
            return sms_model
        lines = [(line.name, line.value) for line in template.param_ids]
        values = self._pm_short_links(record, values)
        params = template_params(company.pm_sms_provider, lines, values)
        body = template.with_context(lang=record.env.lang)._pm_preview(values)
        if record.env.context.get(MASS_CONTEXT):
            # one message to many owners (a notice): queued without a message
            # in the record's chatter per owner
            queued = sms_model.create(
                [
                    {
                        "partner_id": partner.id,
                        "number": partner.phone_sanitized or partner.phone,
                        "body": body,
                        "state": "outgoing",
                    }
                    for partner in partners
                ]
            )
            self.env.ref(QUEUE_CRON)._trigger()
        else:
            message = record.sudo()._message_sms(
                body,
                partner_ids=partners.ids,
                author_id=self.env.ref("base.partner_root").id,
                put_in_queue=True,
            )
            queued = sms_model.search([("mail_message_id", "=", message.id)])
        queued.write(
            {
                "pm_company_id": company.id,
                "pm_property_id": self._pm_property_of(record).id,
                "pm_event": event,
                "pm_template_code": template.template_code,
                "pm_template_params": params,
            }
        )
        problem = sms_rules.too_long(
            company.pm_sms_provider,
            [(name, str(values.get(key) or "")) for name, key in lines],
            company.pm_sms_sign_name,
        )
        if problem:
            # the provider would refuse it: failed now, told to the staff
            queued._pm_record_refusal(
                company.pm_sms_provider,
                sms_rules.TEMPLATE,
                False,
                self.with_context(lang=record.env.lang)._pm_too_long_text(*problem),
            )
        return queued

    @api.model
    def _pm_property_of(self, record):
        """The property the SMS is about (counted under it)."""
        if "property_id" in record._fields and record.property_id:
            return record.property_id
        return self.env["pm.property"]

    @api.model
    def _pm_too_long_text(self, name, length, limit):
        if name is None:
            return self.env._(
                "The message would be %(length)s characters long; the provider "
                "takes %(limit)s at most.",
                length=length,
                limit=limit,
            )
        return self.env._(
            "The value of the variable %(name)s is %(length)s characters long; "
            "the provider takes %(limit)s at most per variable.",
            name=name,
            length=length,
            limit=limit,
        )

    @api.model
    def _pm_short_links(self, record, values):
        """``values`` with each link (a key ending in ``_link``) replaced by a
        short link of the company's own site (``<site>/r/<code>``, Odoo's link
        tracker), which sends the owner to the full link. One short link per
        full link, used again by every SMS that carries it."""
        base = record.get_base_url().rstrip("/")
        links = {
            key: value if "://" in value else f"{base}/{value.lstrip('/')}"
            for key, value in values.items()
            if key.endswith(LINK_SUFFIX) and isinstance(value, str) and value
        }
        if not links:
            return values
        trackers = (
            self.env["link.tracker"]
            .sudo()
            .search_or_create(
                # the title given: the tracker does not fetch the page
                [{"url": url, "title": url} for url in links.values()]
            )
        )
        short = {
            key: f"{base}/r/{tracker.code}"
            for key, tracker in zip(links, trackers, strict=True)
        }
        return {**values, **short}

    @api.model
    def _pm_company_of(self, record):
        if "company_id" in record._fields and record.company_id:
            return record.company_id
        return self.env.company

    def _pm_preview(self, values):
        """What the chatter shows of the message: the event and its values."""
        self.ensure_one()
        events = dict(self._fields["event"]._description_selection(self.env))
        labels = dict(
            self.env["pm.sms.template.param"]
            ._fields["value"]
            ._description_selection(self.env)
        )
        parts = [
            self.env._(
                "%(label)s: %(value)s",
                label=labels[line.value],
                value=values.get(line.value) or "",
            )
            for line in self.param_ids
        ]
        return Markup("%s<br/>%s") % (
            self.env._("SMS to the owner: %s", events[self.event]),
            Markup("<br/>").join(parts),
        )


class PmSmsTemplateParam(models.Model):
    _name = "pm.sms.template.param"
    _description = "Owner SMS Template Variable"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "pm.sms.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Variable",
        required=True,
        help="The variable's name in the Alibaba Cloud template (code for ${code}); "
        "Tencent Cloud numbers its variables {1}, {2}... in this order.",
    )
    value = fields.Selection(VALUES, required=True)
