# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PmSurveyCampaign(models.Model):
    """The meetings held on a campaign (its owners' symposiums, R-SUR-10) are
    meetings of the property like any other: one record, ``pm.meeting``."""

    _inherit = "pm.survey.campaign"

    meeting_ids = fields.One2many("pm.meeting", "campaign_id", "Meetings")
    meeting_count = fields.Integer(compute="_compute_meeting_count")

    @api.depends("meeting_ids")
    def _compute_meeting_count(self):
        for campaign in self:
            campaign.meeting_count = len(campaign.meeting_ids)

    def action_open_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_committee.pm_meeting_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {
            "default_campaign_id": self.id,
            "default_property_id": self.property_id.id,
            "default_kind": "symposium",
        }
        return action
