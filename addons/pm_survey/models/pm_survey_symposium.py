# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.pm_base.tools import staff


class PmSurveySymposium(models.Model):
    """An owner symposium 业主座谈会 (R-SUR-10): when, who attended, the topics, and
    the opinions to follow up."""

    _name = "pm.survey.symposium"
    _description = "Owner Symposium"
    _inherit = ["mail.thread", "mail.activity.mixin", "pm.property.derived.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(string="Topic", required=True, tracking=True)
    campaign_id = fields.Many2one(
        "pm.survey.campaign",
        index=True,
        ondelete="set null",
        domain="[('property_id', '=', property_id)]",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    location = fields.Char()
    attendee_ids = fields.Many2many(
        "res.partner",
        "pm_survey_symposium_partner_rel",
        "symposium_id",
        "partner_id",
        string="Owners Attending",
    )
    staff_ids = staff.users(
        "pm_survey_symposium_user_rel", "symposium_id", "Staff Attending"
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    topics = fields.Html()
    minutes = fields.Html()
    opinion_ids = fields.One2many("pm.survey.opinion", "symposium_id", "Follow-ups")

    @api.depends("campaign_id")
    def _compute_property_id(self):
        for symposium in self:
            if symposium.campaign_id:
                symposium.property_id = symposium.campaign_id.property_id

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for symposium in self:
            symposium.attendee_count = len(symposium.attendee_ids)
