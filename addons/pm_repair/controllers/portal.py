# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.pm_base.tools import clock, portal_pages
from odoo.addons.pm_customer_service.controllers.portal import (
    PmCustomerPortal,
    PmPortalForm,
)
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

ORDERS_PER_PAGE = 20
TECHNICIAN_GROUP = "pm_base.group_pm_technician"


def staff_language():
    """A page for a staff member on the phone speaks their language (the
    browser's site language may be another one, e.g. the login page's)."""
    user = request.env.user
    if not user._is_public() and not user.share and user.lang:
        request.update_context(lang=user.lang)


def order_post_route(action, upload=None):
    """The route of a form an owner posts from the page of a repair order,
    logged in or by the order's token link.

    :param upload: for a form that uploads files, the controller method that
        shows the page again with the error of a request too large
    """
    return http.route(
        [f"/my/repairs/<int:order_id>/{action}"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        **(portal_pages.upload_routing(upload) if upload else {}),
    )


# the request form with the repair chosen: the one way an owner asks for a repair
REPAIR_REQUEST_URL = "/my/cases/new?request_type=repair"


class PmRepairPortal(CustomerPortal, PmPortalForm):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_repair_count" in counters:
            values["pm_repair_count"] = self._pm_portal_open_count(
                "pm.repair.order",
                self._pm_repairs_domain,
                [("state", "not in", ("closed", "cancelled"))],
            )
        return values

    def _pm_repairs_domain(self):
        """The repair orders of the logged-in partner's household or company."""
        return [("partner_id", "in", self._pm_portal_household())]

    @http.route(
        ["/my/repairs", "/my/repairs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_repairs(self, page=1, **kw):
        Order = request.env["pm.repair.order"]
        domain = self._pm_repairs_domain()
        pager = portal_pager(
            url="/my/repairs",
            total=Order.search_count(domain),
            page=page,
            step=ORDERS_PER_PAGE,
        )
        # searched with the owner's rights (record rules); read for display only
        # and only what a row shows
        orders = Order.search_fetch(
            domain,
            ["name", "category_id", "unit_id", "location", "amount_total", "state"],
            limit=ORDERS_PER_PAGE,
            offset=pager["offset"],
        )
        request.session["my_repairs_history"] = orders.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "orders": orders.sudo(),
                "requests": self._pm_repair_requests(),
                "page_name": "pm_repair",
                "default_url": "/my/repairs",
                "pager": pager,
            }
        )
        return request.render("pm_repair.portal_my_repairs", values)

    def _pm_repair_requests(self):
        """The household's repair requests still waiting for their order (the
        service centre makes it when it acknowledges): the repairs list shows
        them too, so that a request sent from there is found there."""
        cases = request.env["pm.case"].search_fetch(
            [
                ("partner_id", "in", self._pm_portal_household()),
                ("request_type", "=", "repair"),
                ("state", "!=", "closed"),
            ],
            ["name", "subject", "state", "stage_id", "to_acknowledge"],
            order="intake_date desc, id desc",
            limit=ORDERS_PER_PAGE,
        )
        return cases.sudo().filtered(lambda case: not case.repair_order_ids)

    @http.route(
        ["/my/repairs/<int:order_id>"], type="http", auth="public", website=True
    )
    def portal_my_repair(self, order_id, access_token=None, **kw):
        return self._pm_repair_page(order_id, access_token, **kw)

    def _pm_repair_page(self, order_id, access_token, status=200, **kw):
        """The order's page for the owner (or the holder of the email's link);
        Odoo's portal home for anyone else."""
        try:
            order_sudo = self._pm_portal_record(
                "pm.repair.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "pm_repair.portal_my_repair",
            self._pm_repair_page_values(order_sudo, access_token, **kw),
            status=status,
        )

    def _pm_repair_page_values(self, order_sudo, access_token, error=None, **kw):
        values = {
            "order": order_sudo,
            "progress_steps": order_sudo._pm_portal_progress(),
            **order_sudo._pm_portal_contact(),
            "page_name": "pm_repair",
            "error": error,
            "message": kw.get("message"),
            "pm_tz": clock.zone_name(order_sudo.property_id.tz),
        }
        return self._get_page_view_values(
            order_sudo, access_token, values, "my_repairs_history", False, **kw
        )

    # ------------------------------------------------------------
    # SUBMISSION: ONE WAY IN (R-INTAKE-3)
    # ------------------------------------------------------------

    @http.route(["/my/repairs/new"], type="http", auth="user", website=True)
    def portal_repair_new(self, **kw):
        """An owner asks for a repair with the request form, repair chosen and an
        appointment slot offered: the request waits for the service centre,
        which makes the order (R-INTAKE-3). This address (the button of the
        repairs list, bookmarks of the former repair form) leads there."""
        return request.redirect(REPAIR_REQUEST_URL)

    @http.route(
        ["/my/repairs/submit"], type="http", auth="user", website=True, csrf=False
    )
    def portal_repair_submit(self, **post):
        """The former repair form, left open in a browser (or its address kept):
        nothing is created (and so no CSRF check), the owner is sent to the
        request form."""
        return request.redirect(REPAIR_REQUEST_URL)

    # ------------------------------------------------------------
    # QUOTE AND ACCEPTANCE (R-REP-3, R-REP-4)
    # ------------------------------------------------------------

    def _pm_repair_decision(self, order_id, access_token, decision, post, values=None):
        """R-OWNER-1: an owner's answer posted from the order's page (logged in,
        or through the token link of the email)."""
        message = "rework" if decision == "not_fixed" else "done"
        return self._pm_repair_owner_post(
            order_id,
            access_token,
            post,
            lambda order, partner: order._pm_portal_decide(partner, decision, values),
            message,
        )

    def _pm_repair_owner_post(self, order_id, access_token, post, action, message):
        def page(order_sudo, error):
            return (
                "pm_repair.portal_my_repair",
                self._pm_repair_page_values(order_sudo, access_token, error=error),
            )

        return self._pm_owner_post(
            "pm.repair.order", order_id, access_token, post, action, page, message
        )

    @order_post_route("photos", upload="_pm_repair_photos_too_large")
    def portal_repair_photos(self, order_id, access_token=None, **post):
        """R-REP-4: the owner adds photos of the fault, or of the result, from
        the phone; every image goes through the upload checks."""

        def add_photos(order, partner):
            order._pm_portal_add_photos(partner, self._pm_portal_read_files())

        return self._pm_repair_owner_post(
            order_id, access_token, {}, add_photos, "photos"
        )

    def _pm_repair_photos_too_large(self, order_id, access_token=None, **kw):
        """The order's page again with the error, for photos larger together
        than the form takes (refused before they were read: nothing added);
        the token of the owner's link travels in the form's address."""
        return self._pm_repair_page(
            order_id, access_token, status=413, error=self._pm_portal_too_large_error()
        )

    def _pm_portal_check_owner_link(self, record_sudo):
        """A visitor who is not logged in answers only while the token link of
        the email is still valid."""
        res = super()._pm_portal_check_owner_link(record_sudo)
        if (
            record_sudo._name == "pm.repair.order"
            and request.env.user._is_public()
            and record_sudo._pm_owner_link_expired()
        ):
            raise AccessError(
                _(
                    "This link has expired: log in to the owner portal, or call the "
                    "service centre."
                )
            )
        return res

    @order_post_route("quote")
    def portal_repair_quote(self, order_id, access_token=None, decision=None, **kw):
        """R-REP-3 / R-OWNER-1: the owner accepts or refuses the fee quote."""
        if decision not in ("accept", "refuse"):
            decision = "invalid"
        return self._pm_repair_decision(
            order_id, access_token, f"{decision}_quote", {"decision": decision}
        )

    @order_post_route("not_fixed")
    def portal_repair_not_fixed(self, order_id, access_token=None, comment=None, **kw):
        """R-REP-4 / R-OWNER-1: the owner says the finished repair is not fixed
        (返修): with a comment, the order goes back for a counted rework round."""
        comment = comment if isinstance(comment, str) else ""
        return self._pm_repair_decision(
            order_id,
            access_token,
            "not_fixed",
            {"comment": comment},
            {"note": comment[:2000]},
        )

    @http.route(
        ["/my/repairs/<int:order_id>/sign"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_repair_sign(
        self, order_id, access_token=None, name=None, signature=None
    ):
        """R-REP-4 / R-OWNER-1: the owner accepts the finished repair with a
        signature (a checked PNG or JPEG image); only an owner of the order signs,
        never a staff session."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._pm_portal_record(
                "pm.repair.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": _("Invalid order.")}
        if not signature or not isinstance(signature, str):
            return {"error": _("Signature is missing.")}
        try:
            partner = self._pm_portal_decider(order_sudo)
            self._pm_portal_check_owner_link(order_sudo)
            if not isinstance(name, str):
                raise UserError(_("Write the signer's full name."))
            self._pm_portal_check_text({"name": name})
            with request.env.cr.savepoint():
                order_sudo.with_user(request.env.user)._pm_portal_decide(
                    partner,
                    "accept",
                    {"partner": partner, "name": name, "signature": signature},
                )
        except (AccessError, UserError, ValidationError) as exc:
            return {"error": exc.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": order_sudo.get_portal_url(query_string="&message=signed"),
        }

    # ------------------------------------------------------------
    # ARRIVAL ON SITE (R-REP-2)
    # ------------------------------------------------------------

    @http.route(
        ["/pm/repair/<int:order_id>/arrive"],
        type="http",
        auth="user",
        website=True,
    )
    def repair_scan_arrival(self, order_id, qr=None, **kw):
        """The technician scans the printed work order's QR code on arrival: the
        on-site time is stamped once (R-REP-2); anyone else gets a message."""
        values = {"order": None, "result": None, "error": None}
        status = 200
        user = request.env.user
        staff_language()
        order_id = self._pm_portal_id(order_id)
        order_sudo = request.env["pm.repair.order"].sudo().browse(order_id).exists()
        if not order_sudo or not order_sudo._pm_arrival_check(qr):
            values["error"] = _("This QR code is not the one of a work order.")
            status = 404
        elif user.share or not user.has_group(TECHNICIAN_GROUP):
            values["error"] = _(
                "Log in with your staff account to stamp the arrival on site."
            )
            status = 403
        else:
            values["order"] = order_sudo
            try:
                with request.env.cr.savepoint():
                    values["result"] = order_sudo.with_user(user)._pm_scan_arrival()
            except AccessError as exc:
                values["error"] = exc.args[0]
                status = 403
            except (UserError, ValidationError) as exc:
                values["error"] = exc.args[0]
                status = 400
        return request.render("pm_repair.repair_arrival_page", values, status=status)


class PmRepairPlacePortal(PmCustomerPortal):
    """The QR codes printed at the units and common-area points (the building's
    A4 sheet) open the owners' new request form; scanned by a technician logged
    in on the phone, the same code stamps the arrival on their open orders at
    that place: the stamp proves the technician stood there (R-REP-2, issue 21).
    """

    # ------------------------------------------------------------
    # WHAT NEEDS REPAIRING: THE OWNER CHOOSES THE CATEGORY (issue 21)
    # ------------------------------------------------------------

    def _pm_repair_categories(self, companies):
        """The repair categories an owner chooses from, in the service
        centre's order: the active ones, shared or of the property's company
        (read as the system: an owner has no access to the setup)."""
        return (
            request.env["pm.repair.category"]
            .sudo()
            .search([("company_id", "in", [False, *companies.ids])])
        )

    def _pm_case_form_values(self, error=None, post=None):
        values = super()._pm_case_form_values(error=error, post=post)
        companies = values["units"].property_id.company_id
        values["repair_categories"] = (
            self._pm_repair_categories(companies) if values["units"] else []
        )
        return values

    def _pm_case_type_values(self, post, request_type, where):
        """A repair request says what needs repairing when the owner knows it
        (or nothing, 不确定): the desk's 受理 then makes the order at once."""
        values = super()._pm_case_type_values(post, request_type, where)
        chosen = post.get("repair_category_id")
        if request_type != "repair" or not chosen:
            return values
        prop = request.env["pm.property"].sudo().browse(where["property_id"])
        category = self._pm_repair_categories(prop.company_id).filtered(
            lambda c: c.id == self._pm_portal_id(chosen)
        )
        if not category:
            raise UserError(
                _(
                    "This kind of repair is not offered: choose one of the list, "
                    'or "Not sure".'
                )
            )
        values["repair_category_id"] = category.id
        return values

    @http.route()
    def portal_case_new(self, **kw):
        user = request.env.user
        if (
            not user._is_public()
            and not user.share
            and user.has_group(TECHNICIAN_GROUP)
        ):
            place = self._pm_qr_location(kw)
            if place:
                return self._pm_repair_place_arrival(place)
        return super().portal_case_new(**kw)

    def _pm_repair_place_arrival(self, place):
        staff_language()
        values = {"place": place, "stamped": None, "waiting": None, "error": None}
        status = 200
        try:
            with request.env.cr.savepoint():
                stamped, waiting = request.env["pm.repair.order"]._pm_arrive_at_place(
                    place
                )
            values.update(stamped=stamped, waiting=waiting)
        except (AccessError, UserError, ValidationError) as exc:
            values["error"] = exc.args[0]
            status = 400
        return request.render(
            "pm_repair.repair_place_arrival_page", values, status=status
        )
