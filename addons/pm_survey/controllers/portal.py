# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# survey.user_input tokens are uuid4 strings: anything else (wildcards such as % or
# *, partial tokens) is refused before any search
TOKEN_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class PmSurveyPortal(CustomerPortal):
    def _pm_open_survey_answers(self):
        """The owner's unanswered online survey forms (R-SUR-3)."""
        partner = request.env.user.partner_id
        lines = (
            request.env["pm.survey.distribution"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.ids),
                    ("state", "!=", "returned"),
                ]
            )
        )
        now = fields.Datetime.now()
        return lines.mapped("user_input_id").filtered(
            lambda a: a.state != "done"
            and a.survey_id.active
            and a.access_token
            and (not a.deadline or a.deadline > now)
        )

    def _pm_published_analyses(self):
        """The approved survey analyses of the properties where the logged-in
        partner's household owns a unit: owners only, published only (R-SUR-9,
        R-APPROVE-1)."""
        commercial = request.env.user.partner_id.commercial_partner_id
        units = (
            request.env["pm.unit"]
            .sudo()
            .search([("owner_ids.commercial_partner_id", "=", commercial.id)])
        )
        if not units:
            return request.env["pm.survey.analysis"].sudo().browse()
        return (
            request.env["pm.survey.analysis"]
            .sudo()
            .search(
                [
                    ("property_id", "in", units.property_id.ids),
                    ("state", "=", "approved"),
                    ("published", "=", True),
                    ("pdf_attachment_id", "!=", False),
                ],
                order="approve_date desc, id desc",
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_survey_count" in counters:
            values["pm_survey_count"] = len(self._pm_open_survey_answers())
        if "pm_survey_result_count" in counters:
            values["pm_survey_result_count"] = len(self._pm_published_analyses())
        return values

    @http.route(["/my/surveys"], type="http", auth="user", website=True)
    def portal_my_surveys(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "answers": self._pm_open_survey_answers(),
                "results": self._pm_published_analyses(),
                "page_name": "pm_survey",
            }
        )
        return request.render("pm_survey.portal_my_surveys", values)

    @http.route(
        ["/my/surveys/results/<int:analysis_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_survey_results(self, analysis_id, **kw):
        """The PDF of a published analysis of one of the owner's properties;
        anything else goes back to the list."""
        analysis = self._pm_published_analyses().filtered(lambda a: a.id == analysis_id)
        if not analysis:
            return request.redirect("/my/surveys")
        attachment = analysis.pdf_attachment_id
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(attachment.raw)),
                (
                    "Content-Disposition",
                    http.content_disposition(attachment.name),
                ),
            ],
        )

    @http.route(["/my/surveys/<string:token>"], type="http", auth="user", website=True)
    def portal_my_survey(self, token, **kw):
        """Open one of the owner's own survey forms; a token that is not exactly one
        of them (wildcards, another owner's) goes back to the list."""
        if not TOKEN_RE.match(token or ""):
            return request.redirect("/my/surveys")
        answer = self._pm_open_survey_answers().filtered(
            lambda a: a.access_token == token
        )
        if not answer:
            return request.redirect("/my/surveys")
        return request.redirect(answer.get_start_url())
