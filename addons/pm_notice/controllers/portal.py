# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.pm_notice import is_live


class PmNoticePortal(CustomerPortal):
    def _pm_live_notices(self):
        """The notices on the logged-in owner's portal today: published to
        them (the record rules say which) and between their publication and
        expiry days at their property (R-TZ-1)."""
        Notice = request.env["pm.notice"]
        partner = request.env.user.partner_id
        notices = Notice.search(Notice._pm_audience_domain(partner))
        return notices.filtered("is_live")

    def _pm_unread(self, notices):
        partner = request.env.user.partner_id
        read = (
            request.env["pm.notice.read"]
            .sudo()
            .search([("notice_id", "in", notices.ids), ("partner_id", "=", partner.id)])
        )
        return notices - read.notice_id

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_notice_unread_count" in counters:
            values["pm_notice_unread_count"] = len(
                self._pm_unread(self._pm_live_notices())
            )
        return values

    @http.route(["/my/notices"], type="http", auth="user", website=True)
    def portal_my_notices(self, **kw):
        notices = self._pm_live_notices()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "notices": notices.sudo(),
                "unread": self._pm_unread(notices).sudo(),
                "page_name": "pm_notices",
                "lang_code": request.env.lang or "en_US",
            }
        )
        return request.render("pm_notice.portal_my_notices", values)

    @http.route(["/my/notices/<int:notice_id>"], type="http", auth="user", website=True)
    def portal_my_notice(self, notice_id, **kw):
        """One notice of the owner: another property's is forbidden (403), one
        that does not exist or is off the portal (draft, expired) is not found
        (404). Opening it records that the owner read it."""
        # exists() reads no field: it says nothing of a record the owner may not see
        notice = request.env["pm.notice"].browse(notice_id).exists()
        if not notice:
            raise NotFound()
        try:
            notice.check_access("read")
        except AccessError as exc:
            if notice.sudo().state == "published":
                raise Forbidden() from exc
            raise NotFound() from exc
        today = notice.sudo().property_id._pm_today()
        if notice.state != "published" or not is_live(
            notice.publish_date, notice.expiry_date, today
        ):
            raise NotFound()
        partner = request.env.user.partner_id
        request.env["pm.notice.read"].sudo()._pm_mark_read(notice.sudo(), partner)
        attachments = notice.sudo().attachment_ids
        for attachment in attachments:
            attachment.generate_access_token()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "notice": notice.sudo(),
                "attachments": attachments,
                "page_name": "pm_notice",
                "lang_code": request.env.lang or "en_US",
            }
        )
        return request.render("pm_notice.portal_my_notice", values)
