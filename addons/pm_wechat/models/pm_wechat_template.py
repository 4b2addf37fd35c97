# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.pm_channel.models.pm_sms_template import (
    EVENTS,
    VALUES,
    check_event_values,
)

# the data keys a new mapping starts with: WeChat's industry templates of
# property services name their fields keyword1, keyword2... in this order
EVENT_DEFAULTS = {
    "case_received": [("keyword1", "case_number"), ("keyword2", "subject")],
    "case_acknowledged": [
        ("keyword1", "case_number"),
        ("keyword2", "subject"),
        ("keyword3", "promised_time"),
    ],
    "dispatched": [
        ("keyword1", "case_number"),
        ("keyword2", "technician"),
        ("keyword3", "arrival_window"),
    ],
    "appointment_changed": [
        ("keyword1", "case_number"),
        ("keyword2", "appointment_time"),
    ],
    "resolved": [("keyword1", "case_number")],
    "quote": [("keyword1", "case_number")],
    "return_visit_due": [
        ("keyword1", "case_number"),
        ("keyword2", "return_visit_date"),
    ],
    "survey_invitation": [("keyword1", "property")],
}


class PmWechatTemplate(models.Model):
    """Which template message of the company's WeChat Official Account an
    owner event sends (issue 23), and what goes in its data fields. The message
    opens the page of the request it is about."""

    _name = "pm.wechat.template"
    _description = "WeChat Message Template"
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
    template_id = fields.Char(
        string="Template ID",
        required=True,
        help="The ID of the template added to the account (模板消息 › 我的模板), "
        "e.g. ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY.",
    )
    line_ids = fields.One2many(
        "pm.wechat.template.line",
        "template_id",
        string="Data Fields",
        copy=True,
        default=lambda self: self._default_line_ids(),
    )
    active = fields.Boolean(default=True)

    _event_unique = models.Constraint(
        "unique(company_id, event)",
        "Each event has one WeChat template per company.",
    )

    @api.model
    def _default_line_ids(self):
        event = self.env.context.get("default_event")
        return self._lines_of(event)

    @api.model
    def _lines_of(self, event):
        return [
            fields.Command.create({"sequence": index, "key": key, "value": value})
            for index, (key, value) in enumerate(EVENT_DEFAULTS.get(event, []))
        ]

    @api.onchange("event")
    def _onchange_event(self):
        if self.event and not self.line_ids:
            self.line_ids = self._lines_of(self.event)

    @api.constrains("event", "line_ids")
    def _check_values(self):
        check_event_values(self, "line_ids")

    @api.depends("event", "template_id")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for template in self:
            template.display_name = events.get(template.event, "")


class PmWechatTemplateLine(models.Model):
    _name = "pm.wechat.template.line"
    _description = "WeChat Message Template Field"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "pm.wechat.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    key = fields.Char(
        string="Field",
        required=True,
        help="The field's name in the template ({{keyword1.DATA}} is keyword1).",
    )
    value = fields.Selection(VALUES, required=True)
