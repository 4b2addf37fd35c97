# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, models
from odoo.exceptions import UserError


class PmSurveyDistribution(models.Model):
    """The survey invitation reaches the owner on the owner's channel
    (R-CHANNEL-1): the personal link of the unit's form by SMS or WeChat, else
    the invitation email."""

    _inherit = "pm.survey.distribution"

    def _pm_invitation_reachable(self):
        self.ensure_one()
        owner = self.partner_id
        return bool(owner) and bool(owner._pm_owner_channels(self._pm_company()))

    def _pm_company(self):
        return self.company_id or self.env.company

    def _pm_send_invitation_message(self, template):
        """Nothing half-done: an invitation no channel takes (no email, no SMS
        template for it) is refused, the line left as it was."""
        self.ensure_one()
        channel = self.env["pm.owner.notify"]._pm_notify(
            self,
            "survey_invitation",
            self.partner_id,
            values=self._pm_sms_values,
            email_template=template,
        )
        if not channel:
            raise UserError(
                _(
                    "The owner of unit %s cannot be reached: no email address, "
                    "and no SMS template for the survey invitation.",
                    self.unit_id.display_name,
                )
            )
        return channel

    def _pm_owner_email(self, template, partner):
        """The email channel: the invitation email as it goes today."""
        self.ensure_one()
        return template.send_mail(self.id)

    def _pm_sms_values(self, event=None):
        self.ensure_one()
        line = self.with_context(lang=self.partner_id.lang or self.env.lang)
        prop = line.property_id
        return {
            "property": prop.name or "",
            "survey_link": line.survey_url or "",
            "service_phone": prop._pm_service_phone() or "",
        }
