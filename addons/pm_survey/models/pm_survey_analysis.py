# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The analysis of a closed campaign 客户意见征询分析表 (R-SUR-9) on its way to
the owners: reviewed by the service-centre director, the quality department and
management (seed 001 品质 §四.1(5)④, §四.7; seed 003 §4.1.5), then published on
the owners' portal and announced to each owner once (R-APPROVE-1, R-MAIL-1)."""

import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import approvals, clock, cron, settings
from odoo.addons.pm_base.tools.approvals import GROUP, ApprovalStep
from odoo.addons.pm_base.tools.settings import SURVEY
from odoo.addons.pm_base.tools.write_guard import workflow_action

_logger = logging.getLogger(__name__)

REPORT_XMLID = "pm_survey.action_report_campaign_analysis"
NOTIFY_CRON = "pm_survey.ir_cron_pm_survey_results_notice"
NOTICE_TEMPLATE = "pm_survey.mail_template_survey_results"


class PmSurveyAnalysis(models.Model):
    _name = "pm.survey.analysis"
    _description = "Survey Analysis Review"
    _inherit = [
        "pm.property.derived.mixin",
        "pm.approval.mixin",
        "pm.workflow.guard.mixin",
    ]
    _order = "id desc"
    _pm_protected_fields = ("pdf_attachment_id", "notify_pending", "published")
    _pm_frozen_states = ("approved",)

    name = fields.Char(compute="_compute_name", store=True)
    campaign_id = fields.Many2one(
        "pm.survey.campaign",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    active = fields.Boolean(default=True)
    state = approvals.state_field(
        [
            ("director_reviewed", "Reviewed by the Director"),
            ("quality_reviewed", "Reviewed by Quality"),
            ("approved", "Approved and Published"),
        ],
        readonly=True,
        help="Produced by customer service, reviewed by the service-centre "
        "director, then by the quality department, then approved by management: "
        "approved, it is published to the property's owners.",
    )
    submit_user_id = fields.Many2one(
        "res.users", "Produced By", readonly=True, copy=False
    )
    submit_date = fields.Datetime("Produced On", readonly=True, copy=False)
    director_user_id = fields.Many2one(
        "res.users", "Director Review By", readonly=True, copy=False
    )
    director_date = fields.Datetime("Director Review On", readonly=True, copy=False)
    quality_user_id = fields.Many2one(
        "res.users", "Quality Review By", readonly=True, copy=False
    )
    quality_date = fields.Datetime("Quality Review On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", "Management Review By", readonly=True, copy=False
    )
    approve_date = fields.Datetime("Management Review On", readonly=True, copy=False)
    pdf_attachment_id = fields.Many2one(
        "ir.attachment", "Analysis PDF", readonly=True, copy=False
    )
    published = fields.Boolean(
        readonly=True,
        copy=False,
        help="Shown to the property's owners on their portal.",
    )
    # owners are told one by one by a cron (R-MAIL-1): who has been told
    notify_pending = fields.Boolean(readonly=True, copy=False, index=True)
    notified_partner_ids = fields.Many2many(
        "res.partner",
        "pm_survey_analysis_notified_rel",
        "analysis_id",
        "partner_id",
        string="Owners Told",
        readonly=True,
        copy=False,
    )

    _campaign_unique = models.Constraint(
        "UNIQUE(campaign_id)", "A campaign has one analysis."
    )

    @api.depends("campaign_id.name")
    def _compute_name(self):
        for analysis in self:
            analysis.name = analysis.campaign_id.name

    @api.depends("campaign_id")
    def _compute_property_id(self):
        for analysis in self:
            analysis.property_id = analysis.campaign_id.property_id

    # ------------------------------------------------------------
    # APPROVAL (R-APPROVE-1)
    # ------------------------------------------------------------

    @api.model
    def _pm_approval_steps(self):
        """Produced by customer service, reviewed by the director, then the
        quality department, then approved by management (manager group); sent
        back, the analysis keeps who produced it."""
        return (
            self._pm_approval_submission(
                "submit_user_id", "submit_date", kept_on_reject=True
            ),
            ApprovalStep(
                "director",
                "submitted",
                "director_reviewed",
                GROUP + "director",
                "director_user_id",
                "director_date",
                summary=_("Survey analysis to be reviewed by the director"),
            ),
            ApprovalStep(
                "quality",
                "director_reviewed",
                "quality_reviewed",
                GROUP + "quality",
                "quality_user_id",
                "quality_date",
                summary=_("Survey analysis to be reviewed by the quality department"),
            ),
            ApprovalStep(
                "approve",
                "quality_reviewed",
                "approved",
                GROUP + "manager",
                "approve_user_id",
                "approve_date",
                summary=_("Survey analysis to be reviewed by management"),
            ),
        )

    def action_submit(self):
        """Customer service sends the produced analysis to the director; never
        without its PDF (R-APPROVE-1)."""
        result = self._pm_approval_submit(
            "pdf_attachment_id",
            _("The analysis of %s has no PDF yet: produce it first."),
        )
        self._pm_log_step("submit")
        return result

    def action_director_review(self):
        result = self._pm_approval_advance("director")
        self._pm_log_step("director")
        return result

    def action_quality_review(self):
        result = self._pm_approval_advance("quality")
        self._pm_log_step("quality")
        return result

    def action_approve(self):
        """Management's review, the last step: the analysis is published to the
        property's owners, each told once by email (R-MAIL-1)."""
        result = self._pm_approval_advance("approve")
        self._pm_log_step("approve")
        self._publish()
        return result

    def _pm_log_step(self, step_name):
        """Who took the step and when, as the property's clock reads it
        (R-TZ-1), in the chatter."""
        step = self._pm_approval_step(step_name)
        labels = {
            "submit": _("Produced and sent for review"),
            "director": _("Reviewed by the service-centre director"),
            "quality": _("Reviewed by the quality department"),
            "approve": _("Approved by management and published to the owners"),
        }
        for analysis in self:
            analysis.message_post(
                subtype_xmlid="mail.mt_note",
                body=_(
                    "%(step)s: %(user)s, %(when)s",
                    step=labels[step_name],
                    user=analysis[step.user_field].name,
                    when=clock.local_stamp(
                        analysis[step.date_field], analysis.property_id.tz
                    ),
                ),
            )

    # ------------------------------------------------------------
    # DOCUMENT AND PUBLICATION (R-SUR-9)
    # ------------------------------------------------------------

    @workflow_action
    def _store_pdf(self):
        """Render the campaign's 客户意见征询分析表 and keep it on the analysis;
        the PDF of an analysis sent back stays as its history (R-KEEP-1)."""
        Attachment = self.env["ir.attachment"]
        for analysis in self:
            if analysis.state != "draft":
                raise UserError(
                    _(
                        "The analysis of %s is under review or published: it is "
                        "produced again only once sent back.",
                        analysis.campaign_id.name,
                    )
                )
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(REPORT_XMLID, analysis.campaign_id.ids)
            )
            lang = analysis.company_id.partner_id.lang or self.env.lang
            title = analysis.with_context(lang=lang).env._("Survey Analysis")
            analysis.pdf_attachment_id = Attachment.create(
                {
                    "name": f"{title}-{analysis.campaign_id.name}.pdf",
                    "raw": pdf,
                    "res_model": analysis._name,
                    "res_id": analysis.id,
                    "mimetype": "application/pdf",
                }
            )

    @workflow_action
    def _publish(self):
        self.write({"published": True, "notify_pending": True})
        self.env.ref(NOTIFY_CRON)._trigger()

    def _owners(self):
        """The owners of the units of the analysis' property (commercial
        partners, each once)."""
        self.ensure_one()
        units = (
            self.env["pm.unit"]
            .sudo()
            .search([("property_id", "=", self.property_id.id)])
        )
        return units.owner_ids.commercial_partner_id

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_notify_owners(self, batch_size=None):
        """Tell the owners of each published analysis that the results are on
        their portal: one email per owner through the mail queue (R-MAIL-1),
        never twice (who was told is kept), a batch per run."""
        if batch_size is None:
            batch_size = settings.get(self.env, SURVEY + "invitation_batch_size")
        template = self.env.ref(NOTICE_TEMPLATE)
        sent = 0
        for analysis in self.search([("notify_pending", "=", True)], order="id"):
            owners = (analysis._owners() - analysis.notified_partner_ids).filtered(
                "email"
            )
            batch = owners[: max(batch_size - sent, 0)]
            for owner in batch:
                template.with_context(
                    pm_notice_partner_id=owner.id,
                    pm_notice_lang=owner.lang or analysis.company_id.partner_id.lang,
                ).send_mail(analysis.id)
            analysis.notified_partner_ids = [(4, owner.id) for owner in batch]
            sent += len(batch)
            if batch == owners:
                analysis.notify_pending = False
            if sent >= batch_size:
                break
        remaining = self.search_count(Domain("notify_pending", "=", True))
        if cron.scheduled(self.env):
            cron.commit_progress(self.env, sent, remaining)
        elif remaining:
            self.env.ref(NOTIFY_CRON)._trigger()
        return True

    def action_download_pdf(self):
        self.ensure_one()
        if not self.pdf_attachment_id:
            raise UserError(_("The analysis has no PDF yet."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
            "target": "download",
        }
