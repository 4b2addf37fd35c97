# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.pm_customer_service.controllers.portal import PmPortalForm
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PER_PAGE = 20
OPEN_STATES = ("notified", "rectifying", "follow_up", "escalated")
# the owner sees a violation once notified
SHOWN = [("state", "not in", ("recorded", "cancelled"))]


class PmViolationPortal(CustomerPortal, PmPortalForm):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_violation_count" in counters:
            values["pm_violation_count"] = self._pm_portal_open_count(
                "pm.violation", lambda: SHOWN, [("state", "in", OPEN_STATES)]
            )
        return values

    @http.route(
        ["/my/violations", "/my/violations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_violations(self, page=1, **kw):
        Violation = request.env["pm.violation"]
        if not Violation.has_access("read"):
            return request.redirect("/my")
        # searched with the owner's rights (record rules: their own unit)
        pager = portal_pager(
            url="/my/violations",
            total=Violation.search_count(SHOWN),
            page=page,
            step=PER_PAGE,
        )
        violations = Violation.search(SHOWN, limit=PER_PAGE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "violations": violations.sudo(),
                "page_name": "pm_violation",
                "default_url": "/my/violations",
                "pager": pager,
            }
        )
        return request.render("pm_violation.portal_my_violations", values)

    def _pm_violation(self, violation_id):
        """The violation of the URL, readable by the logged-in owner, or None."""
        try:
            violation = self._pm_portal_record("pm.violation", violation_id)
        except (AccessError, MissingError):
            return None
        return violation if violation.state not in ("recorded", "cancelled") else None

    @http.route(
        ["/my/violations/<int:violation_id>"], type="http", auth="user", website=True
    )
    def portal_my_violation(self, violation_id, message=None, **kw):
        violation = self._pm_violation(violation_id)
        if violation is None:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "violation": violation,
                "inspections": violation.inspection_ids,
                "page_name": "pm_violation",
                "message": message,
            }
        )
        return request.render("pm_violation.portal_my_violation", values)

    @http.route(
        ["/my/violations/<int:violation_id>/acknowledge"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_violation_acknowledge(self, violation_id, **kw):
        violation = self._pm_violation(violation_id)
        if violation is None:
            raise NotFound()
        url = f"/my/violations/{violation.id}"
        try:
            violation._pm_acknowledge(request.env.user.partner_id)
        except UserError:
            return request.redirect(url + "?message=done")
        return request.redirect(url + "?message=acknowledged")

    @http.route(
        ["/my/violations/<int:violation_id>/notice"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_violation_notice(self, violation_id, **kw):
        violation = self._pm_violation(violation_id)
        if violation is None:
            raise NotFound()
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "pm_violation.action_report_pm_violation_notice", violation.ids
            )
        )
        name = _("Rectification Notice - %s", violation.name)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    http.content_disposition(f"{name}.pdf"),
                ),
            ],
        )
