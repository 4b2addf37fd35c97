# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The approved minutes on the portal of the owners' committee members: a tile
of /my, the list, the page with the portal chatter, and the signed PDF."""

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_customer_service.controllers.portal import PmPortalForm
from odoo.addons.portal.controllers.portal import CustomerPortal

APPROVED = ("approved", "closed")


class PmCommitteePortal(CustomerPortal, PmPortalForm):
    def _pm_meetings_domain(self):
        """The approved minutes the logged-in member may read: the record rules
        say which (their property's, approved)."""
        return [("state", "in", APPROVED)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_minutes_count" in counters:
            values["pm_minutes_count"] = self._pm_portal_open_count(
                "pm.meeting", self._pm_meetings_domain, []
            )
        return values

    @http.route(["/my/meetings"], type="http", auth="user", website=True)
    def portal_my_meetings(self, **kw):
        Meeting = request.env["pm.meeting"]
        meetings = (
            Meeting.search(self._pm_meetings_domain(), order="date_start desc")
            if Meeting.has_access("read")
            else Meeting
        )
        request.session["my_meetings_history"] = meetings.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({"meetings": meetings.sudo(), "page_name": "pm_meeting"})
        return request.render("pm_committee.portal_my_meetings", values)

    def _pm_meeting_sudo(self, meeting_id):
        """The meeting the member may read, as sudo; 404 for an id no meeting
        has, 403 for a meeting that is not theirs to read."""
        try:
            return self._pm_portal_record("pm.meeting", meeting_id)
        except MissingError as exc:
            raise NotFound() from exc
        except AccessError as exc:
            raise Forbidden() from exc

    @http.route(
        ["/my/meetings/<int:meeting_id>"], type="http", auth="user", website=True
    )
    def portal_my_meeting(self, meeting_id, **kw):
        meeting_sudo = self._pm_meeting_sudo(meeting_id)
        values = {
            "meeting": meeting_sudo,
            "page_name": "pm_meeting",
            "pm_tz": clock.zone_name(meeting_sudo.property_id.tz),
            "is_html_empty": is_html_empty,
            "attendee_type_labels": dict(
                request.env["pm.meeting.attendee"]
                ._fields["attendee_type"]
                ._description_selection(request.env)
            ),
        }
        values = self._get_page_view_values(
            meeting_sudo, None, values, "my_meetings_history", False, **kw
        )
        return request.render("pm_committee.portal_my_meeting", values)

    @http.route(
        ["/my/meetings/<int:meeting_id>/minutes.pdf"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_meeting_pdf(self, meeting_id, **kw):
        meeting_sudo = self._pm_meeting_sudo(meeting_id)
        lang = request.env.user.lang or meeting_sudo.env.lang
        pdf = meeting_sudo.with_context(lang=lang)._pm_minutes_pdf()
        filename = f"{meeting_sudo.name}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
