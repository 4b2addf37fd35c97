# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup, escape

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError


class PmSurveyAnalysis(models.Model):
    _inherit = "pm.survey.analysis"

    notice_ids = fields.One2many("pm.notice", "survey_analysis_id", string="Notices")
    notice_count = fields.Integer(compute="_compute_notice_count")

    def _compute_notice_count(self):
        for analysis in self:
            analysis.notice_count = len(analysis.notice_ids)

    def action_publish_as_notice(self):
        """Customer service drafts the notice of the results of an approved
        analysis (seed 001 品质 §四.1(5)④, §四.6): the summary and the analysis
        PDF, approved and published like any notice."""
        self.ensure_one()
        if not self.env.user.has_group("pm_base.group_pm_agent"):
            raise AccessError(_("Only customer service drafts notices."))
        if self.state != "approved":
            raise UserError(
                _(
                    "The analysis of %s is not approved yet: its results are "
                    "published once management has approved it.",
                    self.campaign_id.name,
                )
            )
        lang = self.company_id.partner_id.lang or self.env.lang
        analysis = self.with_context(lang=lang)
        notice = self.env["pm.notice"].create(
            {
                "name": analysis.env._(
                    "Results of the owner survey %s", self.campaign_id.name
                ),
                "notice_type": "notice",
                "property_id": self.property_id.id,
                "body": analysis._pm_results_summary(),
                "survey_analysis_id": self.id,
            }
        )
        if self.pdf_attachment_id:
            # the notice keeps its own copy: what the owners download with it
            pdf = self.pdf_attachment_id.sudo().copy(
                {"res_model": notice._name, "res_id": notice.id}
            )
            notice.attachment_ids = [fields.Command.set(pdf.ids)]
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.notice",
            "res_id": notice.id,
            "view_mode": "form",
        }

    def _pm_results_summary(self):
        """The body of the results notice: the rates of the campaign, overall
        and per service item, in the context's language."""
        self.ensure_one()
        campaign = self.campaign_id
        rows = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(item)s: %(rate)s",
                item=line.item_id.name,
                rate=line.satisfaction_rate_display,
            )
            for line in campaign.item_line_ids
        )
        return Markup(
            "<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li></ul>"
            "<p>%s</p><ul>%s</ul><p>%s</p>"
        ) % (
            self.env._(
                "Dear owners, thank you for answering our satisfaction survey %s. "
                "Its results:",
                campaign.name,
            ),
            self.env._("Forms returned: %s", campaign.returned_count),
            self.env._("Recovery rate: %s", campaign.recovery_rate_display),
            self.env._(
                "Overall satisfaction rate: %s", campaign.satisfaction_rate_display
            ),
            self.env._("Satisfaction by service item:"),
            rows,
            escape(
                self.env._(
                    "We will correct what you found wanting and tell you what "
                    "was done. The full analysis is attached."
                )
            ),
        )
