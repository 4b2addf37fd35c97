# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.pm_base.tools import clock

from .pm_sms_template import EVENTS


class PmSmsOutcome(models.Model):
    """What became of one owner SMS: sent or failed for good, on the day of
    its property's clock. Odoo deletes a sent ``sms.sms``; this row stays, so
    the director counts the SMS of each property by month (issue 23)."""

    _name = "pm.sms.outcome"
    _description = "Owner SMS Outcome"
    _order = "date desc, id desc"
    _rec_name = "event"

    sms_uuid = fields.Char(string="SMS Reference", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    property_id = fields.Many2one("pm.property", index=True, readonly=True)
    event = fields.Selection(EVENTS, readonly=True)
    date = fields.Date(
        required=True,
        index=True,
        readonly=True,
        help="The day on the property's clock the provider took or refused it.",
    )
    state = fields.Selection(
        [("sent", "Sent"), ("failed", "Failed")], required=True, readonly=True
    )
    sent_count = fields.Integer(string="SMS Sent", readonly=True, aggregator="sum")
    failed_count = fields.Integer(string="SMS Failed", readonly=True, aggregator="sum")

    _sms_unique = models.Constraint("unique(sms_uuid)", "Each SMS has one outcome.")

    @api.model
    def _pm_record(self, sms_records, state):
        """Record ``state`` ("sent", "failed") of the owner SMS ``sms_records``
        now: one row per message, a message tried again keeps its one row."""
        sms_records = sms_records.filtered("pm_event")
        if not sms_records:
            return self
        now = fields.Datetime.now()
        existing = {
            outcome.sms_uuid: outcome
            for outcome in self.sudo().search(
                [("sms_uuid", "in", sms_records.mapped("uuid"))]
            )
        }
        to_create = []
        for sms in sms_records:
            tz = sms.pm_property_id.tz or sms.pm_company_id.partner_id.tz
            vals = {
                "date": clock.local_today(tz, now),
                "state": state,
                "sent_count": int(state == "sent"),
                "failed_count": int(state == "failed"),
            }
            if sms.uuid in existing:
                existing[sms.uuid].write(vals)
            else:
                to_create.append(
                    {
                        **vals,
                        "sms_uuid": sms.uuid,
                        "company_id": (sms.pm_company_id or self.env.company).id,
                        "property_id": sms.pm_property_id.id,
                        "event": sms.pm_event,
                    }
                )
        return self.sudo().create(to_create)
