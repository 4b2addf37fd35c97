# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import uuid
from contextlib import contextmanager
from urllib.parse import quote_plus, urlencode

import psycopg2

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.pm_base.tools import clock, images, portal_pages
from odoo.addons.pm_base.tools.vocabulary import SATISFIED_LEVELS
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.mail_thread import VISITOR_CTX

MAX_FILES = portal_pages.MAX_FILES
FORM_KEY_RE = re.compile(r"^[0-9a-f]{32}$")
# what an owner can ask for, in the order the form offers it: 报事 (report an
# issue, a help request), 报修, consultation, complaint, suggestion
PORTAL_REQUEST_TYPES = ("help", "repair", "consultation", "complaint", "suggestion")
# NUL and the other control characters (tab and line breaks are text)
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# ids are PostgreSQL integers: anything else is no record at all
MAX_ID = 2**31 - 1
CASES_PER_PAGE = 20
# what a row of the owner's request list shows (portal_my_cases)
PORTAL_LIST_FIELDS = [
    "name",
    "subject",
    "unit_id",
    "intake_date",
    "property_id",
    "state",
    "stage_id",
    "to_acknowledge",
    "acknowledged_date",
]
# a mainland China mobile number: 11 digits, 1 then 3-9
CN_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


class PmPortalForm:
    """Helpers shared by the owner's submission forms (cases here, repairs in
    pm_repair): the partner's units, the attachment checks and the form key that
    makes a double submit give one record (SPEC §10)."""

    def _pm_portal_partner(self):
        return request.env.user.partner_id

    def _pm_portal_household(self):
        """The partners of the logged-in partner's household or company (those
        sharing its commercial partner), as an SQL subquery for a domain: one
        indexed lookup inside the search instead of walking the contacts' tree
        (``child_of``) before each one; the record rules narrow the result as
        before."""
        commercial = self._pm_portal_partner().commercial_partner_id
        return (
            request.env["res.partner"]
            .sudo()
            ._search([("commercial_partner_id", "=", commercial.id)])
        )

    def _pm_portal_units(self):
        """Units the logged-in partner owns (as the commercial partner) or rents."""
        partner = self._pm_portal_partner()
        household = self._pm_portal_household()
        return (
            request.env["pm.unit"]
            .sudo()
            .search(
                [
                    "|",
                    ("owner_ids", "in", household),
                    ("tenant_ids", "in", partner.ids),
                ],
                order="property_id, building_id, floor, number",
            )
        )

    def _pm_portal_open_count(self, model, own_domain, open_domain):
        """The counter of the portal home: the partner's open records, searched
        with their rights; 0 for a user who may not read the model.

        :param own_domain: the method that gives the partner's records of the
            model (as the portal lists them); called only for a user who may read
        :param open_domain: the records still open
        """
        Model = request.env[model]
        if not Model.has_access("read"):
            return 0
        return Model.search_count([*own_domain(), *open_domain])

    @staticmethod
    def _pm_portal_id(value):
        """A record id from a form or URL, or 0 when it is not one (non-digits,
        NUL bytes, numbers PostgreSQL cannot hold)."""
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and value.isascii() and value.isdigit():
            number = int(value)
        else:
            return 0
        return number if 0 < number <= MAX_ID else 0

    def _pm_portal_check_text(self, values):
        """Refuse NUL bytes and control characters in any submitted text: they
        cannot be stored and are never typed by a person (SPEC §10)."""
        for value in values.values():
            if isinstance(value, str) and CONTROL_CHARS_RE.search(value):
                raise UserError(
                    _(
                        "The text you sent contains control characters: remove them "
                        "and try again."
                    )
                )

    def _pm_portal_record(self, model, record_id, access_token=None):
        """``_document_check_access`` that first refuses ids no record can have."""
        if not self._pm_portal_id(record_id):
            raise MissingError(_("This document does not exist."))
        return self._document_check_access(model, record_id, access_token=access_token)

    def _pm_portal_decider(self, record_sudo):
        """R-OWNER-1: the partner giving an owner's decision on ``record_sudo``.

        Only the owner (or the tenant the SOP allows) decides, logged in on the
        portal or through the token link; a staff session never does: staff record
        a decision given by phone or on paper with the tracked wizard.

        :raise AccessError: staff user, or a portal user who is not the owner
        """
        user = request.env.user
        if not user.share:
            raise AccessError(
                _(
                    "Only the owner answers here. Staff record an answer the owner "
                    "gave by phone, on paper or in person with 'Record Owner "
                    "Decision' on the record."
                )
            )
        partner = record_sudo.partner_id if user._is_public() else user.partner_id
        if not record_sudo._pm_is_owner_decider(partner):
            raise AccessError(
                _("Only the owner of %s can give this answer.", record_sudo.name)
            )
        return partner

    def _pm_owner_post(
        self, model, record_id, access_token, post, action, page, message="done"
    ):
        """R-OWNER-1: an owner's answer posted from a record's page (logged in, or
        through the token link of an email): ``action(record, partner)`` runs as
        the visitor (the chatter shows who acted) in a savepoint. A refusal renders
        the page again, ``page(record_sudo, error)`` giving its template and
        values, with a translated message (403: not the owner's to answer, 400:
        the answer is refused) and changes nothing."""
        try:
            record_sudo = self._pm_portal_record(
                model, record_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            partner = self._pm_portal_decider(record_sudo)
            self._pm_portal_check_owner_link(record_sudo)
            self._pm_portal_check_text(post)
            with request.env.cr.savepoint():
                action(record_sudo.with_user(request.env.user), partner)
        except AccessError as exc:
            return request.render(*page(record_sudo, exc.args[0]), status=403)
        except (UserError, ValidationError) as exc:
            return request.render(*page(record_sudo, exc.args[0]), status=400)
        return request.redirect(
            record_sudo.get_portal_url(query_string=f"&message={message}")
        )

    def _pm_portal_check_owner_link(self, record_sudo):
        """Hook: refuse (AccessError) an answer through a link no longer valid."""
        return

    def _pm_portal_unit(self, unit_id):
        """The unit of a submitted form, only among the partner's own units."""
        unit_id = self._pm_portal_id(unit_id)
        unit = self._pm_portal_units().filtered(lambda u: u.id == unit_id)
        if not unit:
            raise UserError(_("Choose one of your units."))
        return unit

    def _pm_portal_max_bytes(self):
        return images.upload_max_bytes(request.env)

    def _pm_portal_too_large_error(self):
        """The error of an upload form whose request is larger than the form
        takes (its files together)."""
        return _(
            "The files you sent are too large together: attach at most %(count)s "
            "files of %(size)s MB each.",
            count=MAX_FILES,
            size=round(self._pm_portal_max_bytes() / 1024 / 1024, 1),
        )

    def _pm_portal_read_files(self):
        """Read and check the uploaded files before anything is created.

        :return: list of (name, data, mimetype)
        :raise UserError: too many, too large or not an image or a PDF
        """
        files = [
            f for f in request.httprequest.files.getlist("attachments") if f.filename
        ]
        if len(files) > MAX_FILES:
            raise UserError(_("Attach at most %s files.", MAX_FILES))
        limit = self._pm_portal_max_bytes()
        result = []
        for upload in files:
            self._pm_portal_check_text({"name": upload.filename})
            data = upload.read(limit + 1)
            if len(data) > limit:
                raise UserError(
                    _(
                        "File %(name)s is larger than %(size)s MB.",
                        name=upload.filename,
                        size=round(limit / 1024 / 1024, 1),
                    )
                )
            mimetype = images.upload_mimetype(data)
            if not mimetype:
                raise UserError(
                    _(
                        "File %s is not accepted: attach photos (PNG, JPEG, GIF, "
                        "WebP) or PDF documents.",
                        upload.filename,
                    )
                )
            if mimetype.startswith("image/"):
                # bombs refused from the header, big photos downscaled once
                data, mimetype = images.check_image(request.env, data, upload.filename)
            result.append((upload.filename, data, mimetype))
        return result

    def _pm_portal_attach(self, record, files):
        return (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                    for name, data, mimetype in files
                ]
            )
        )

    def _pm_portal_form_key(self, post):
        key = post.get("form_key") or ""
        if not FORM_KEY_RE.match(key):
            raise UserError(_("The form is outdated: reload the page and try again."))
        return key

    def _pm_portal_existing(self, model, key):
        """The record a former submit of the same form created, if any."""
        return (
            request.env[model]
            .sudo()
            .search(
                [
                    ("portal_submit_key", "=", key),
                    ("create_uid", "=", request.env.uid),
                ],
                limit=1,
            )
        )

    @contextmanager
    def _pm_portal_savepoint(self):
        """Nothing is half-saved; a concurrent double submit of one form hits the
        unique form key and is told so instead of failing with a server error."""
        try:
            with request.env.cr.savepoint():
                yield
        except psycopg2.IntegrityError as exc:
            raise UserError(_("This form was already submitted.")) from exc

    @staticmethod
    def _pm_new_form_key():
        return uuid.uuid4().hex


class PmCustomerPortal(CustomerPortal, PmPortalForm):
    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "pm_case_count" in counters:
            values["pm_case_count"] = self._pm_portal_open_count(
                "pm.case", self._pm_cases_domain, [("state", "!=", "closed")]
            )
        return values

    def _pm_cases_domain(self):
        """The requests of the logged-in partner's household or company."""
        return [("partner_id", "in", self._pm_portal_household())]

    # ------------------------------------------------------------
    # LIST AND DETAIL
    # ------------------------------------------------------------

    @http.route(
        ["/my/cases", "/my/cases/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_cases(self, page=1, sortby=None, filterby=None, **kw):
        Case = request.env["pm.case"]
        searchbar_sortings = {
            "date": {"label": _("Newest"), "order": "intake_date desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "stage": {"label": _("Stage"), "order": "stage_id, id desc"},
        }
        searchbar_filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("state", "!=", "closed")]},
            "closed": {"label": _("Closed"), "domain": [("state", "=", "closed")]},
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        domain = self._pm_cases_domain() + searchbar_filters[filterby]["domain"]
        total = Case.search_count(domain)
        pager = portal_pager(
            url="/my/cases",
            url_args={"sortby": sortby, "filterby": filterby},
            total=total,
            page=page,
            step=CASES_PER_PAGE,
        )
        # searched with the owner's rights (record rules); read for display only,
        # and only what a row shows (a case has some seventy stored columns)
        cases = Case.search_fetch(
            domain,
            PORTAL_LIST_FIELDS,
            order=searchbar_sortings[sortby]["order"],
            limit=CASES_PER_PAGE,
            offset=pager["offset"],
        )
        request.session["my_cases_history"] = cases.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases.sudo(),
                "page_name": "pm_case",
                "default_url": "/my/cases",
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "searchbar_filters": searchbar_filters,
                "sortby": sortby,
                "filterby": filterby,
            }
        )
        return request.render("pm_customer_service.portal_my_cases", values)

    @http.route(["/my/cases/<int:case_id>"], type="http", auth="public", website=True)
    def portal_my_case(self, case_id, access_token=None, **kw):
        try:
            case_sudo = self._pm_portal_record(
                "pm.case", case_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return request.render(
            "pm_customer_service.portal_my_case",
            self._pm_case_page_values(case_sudo, access_token, **kw),
        )

    def _pm_case_page_values(self, case_sudo, access_token, error=None, **kw):
        values = {
            "case": case_sudo,
            "progress_steps": case_sudo._pm_portal_progress(),
            **case_sudo._pm_portal_contact(),
            "page_name": "pm_case",
            "satisfaction_levels": case_sudo._fields[
                "satisfaction"
            ]._description_selection(request.env),
            "error": error,
            "message": kw.get("message"),
            "pm_tz": clock.zone_name(case_sudo.property_id.tz),
        }
        return self._get_page_view_values(
            case_sudo, access_token, values, "my_cases_history", False, **kw
        )

    # ------------------------------------------------------------
    # SUBMISSION
    # ------------------------------------------------------------

    def _pm_case_request_types(self):
        """The kinds of request as an owner reads them."""
        return [
            ("help", _("Report an issue (e.g. a light out in the stairs)")),
            ("repair", _("Repair in my home")),
            ("consultation", _("Question")),
            ("complaint", _("Complaint")),
            ("suggestion", _("Suggestion")),
        ]

    def _pm_case_form_values(self, error=None, post=None):
        Case = request.env["pm.case"]
        units = self._pm_portal_units()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pm_case_new",
                "units": units,
                # a repair at home, and its appointment, are for one's own unit:
                # not offered to a visitor reporting a common area
                "request_types": [
                    rtype
                    for rtype in self._pm_case_request_types()
                    if units or rtype[0] != "repair"
                ],
                "appointment_windows": Case._fields[
                    "appointment_window"
                ]._description_selection(request.env),
                "appointment_min": clock.local_stamp(
                    fields.Datetime.now(), units[:1].property_id.tz, "%Y-%m-%d"
                ),
                **self._pm_case_location_values(post or {}, units),
                # the scanned QR code travels in the address: a request too
                # large to be read still knows its place
                "form_action": "/my/cases/submit" + self._pm_qr_query(post or {}),
                "form_key": (post or {}).get("form_key") or self._pm_new_form_key(),
                "max_mb": round(self._pm_portal_max_bytes() / 1024 / 1024, 1),
                "error": error,
                "post": post or {},
            }
        )
        return values

    @http.route(["/my/cases/new"], type="http", auth="public", website=True)
    def portal_case_new(self, **kw):
        """The new request form; a scanned QR code fills in the place. A visitor
        who is not logged in may only report for a common area, from its QR code
        (R-INTAKE-2, R-INTAKE-3)."""
        qr_location = self._pm_qr_location(kw)
        if request.env.user._is_public() and not self._pm_qr_area(kw):
            return self._pm_login_redirect()
        error = None
        if kw.get("qr") and not qr_location:
            error = _(
                "This QR code is not valid any more: choose the place below, or "
                "tell the service centre."
            )
        prefill = self._pm_qr_prefill(qr_location)
        # the kind asked for by the link that opened the form (新建报修 of the
        # repairs list: a repair)
        if kw.get("request_type") in PORTAL_REQUEST_TYPES:
            prefill["request_type"] = kw["request_type"]
        return request.render(
            "pm_customer_service.portal_case_new",
            self._pm_case_form_values(error=error, post=prefill),
        )

    @portal_pages.owner_form_route(
        "/my/cases/submit", upload="_pm_case_submit_too_large"
    )
    def portal_case_submit(self, **post):
        """Create a case from the owner's form (R-INTAKE-*); invalid input creates
        nothing and shows a translated error (SPEC §10)."""
        if request.env.user._is_public() and not self._pm_qr_area(post):
            return self._pm_login_redirect()
        try:
            case = self._pm_case_create(post)
        except (UserError, ValidationError) as exc:
            status = 429 if getattr(exc, "pm_rate_limited", False) else 400
            return request.render(
                "pm_customer_service.portal_case_new",
                self._pm_case_form_values(error=exc.args[0], post=post),
                status=status,
            )
        if request.env.user._is_public():
            # the visitor has no portal account: the reference is the receipt
            return request.render(
                "pm_customer_service.portal_case_received", {"case": case.sudo()}
            )
        return request.redirect(case.get_portal_url(query_string="&message=sent"))

    def _pm_case_submit_too_large(self, **query):
        """The request form again with its error, for a request larger than the
        form takes (refused before it was read: nothing is created). A visitor
        keeps the place of the scanned QR code, which the form's address
        carries."""
        if request.env.user._is_public() and not self._pm_qr_area(query):
            return self._pm_login_redirect()
        prefill = self._pm_qr_prefill(self._pm_qr_location(query))
        return request.render(
            "pm_customer_service.portal_case_new",
            self._pm_case_form_values(
                error=self._pm_portal_too_large_error(), post=prefill
            ),
            status=413,
        )

    def _pm_login_redirect(self):
        return request.redirect(
            "/web/login?redirect=" + quote_plus(request.httprequest.full_path)
        )

    def _pm_case_create(self, post):
        key = self._pm_portal_form_key(post)
        existing = self._pm_portal_existing("pm.case", key)
        if existing:
            return existing
        with self._pm_portal_savepoint():
            self._pm_portal_check_text(post)
            where = self._pm_case_location(post)
            request_type = post.get("request_type")
            if request_type not in PORTAL_REQUEST_TYPES:
                raise UserError(
                    _("Tell us what you need: choose the kind of your request.")
                )
            subject = (post.get("subject") or "").strip()
            description = (post.get("description") or "").strip()
            if not subject or not description:
                raise UserError(_("Write a subject and describe the problem."))
            if len(subject) > 200:
                raise UserError(_("The subject is too long (200 characters at most)."))
            if request_type == "repair" and not where.get("unit_id"):
                raise UserError(
                    _(
                        "A repair at home is asked for one of your units: choose "
                        "your unit, or report the problem of the common area as an "
                        "issue."
                    )
                )
            # someone comes to the door of a unit; a common area needs no
            # appointment (the form does not offer one there)
            appointment = {}
            if where.get("unit_id"):
                appointment = self._pm_case_appointment(
                    post, request.env["pm.property"].sudo().browse(where["property_id"])
                )
            files = self._pm_portal_read_files()
            partner = self._pm_portal_partner()
            vals = {
                "subject": subject,
                "description": description,
                "request_type": request_type,
                "channel": "portal",
                "partner_id": partner.id,
                "contact_name": partner.name,
                "contact_method": "email" if partner.email else "phone",
                "contact_info": partner.email or partner.phone,
                "portal_submit_key": key,
                **appointment,
            }
            vals.update(where)
            vals.update(self._pm_case_type_values(post, request_type, where))
            Case = request.env["pm.case"].sudo()
            visitor = None
            if request.env.user._is_public():
                # the visitor, not Odoo's public user, is who reported: the
                # messages the report posts are theirs, nobody follows it
                visitor = self._pm_visitor_partner(vals)
                Case = Case.with_context(
                    mail_create_nosubscribe=True, **{VISITOR_CTX: visitor.id}
                )
            case = Case.create(vals)
            attachments = self._pm_portal_attach(case, files)
            if attachments:
                case.attachment_ids = [(6, 0, attachments.ids)]
            if visitor:
                case.message_post(
                    body=_(
                        "Reported from the QR code of %(place)s by %(name)s, mobile "
                        "%(phone)s.",
                        place=case.common_area_id.display_name,
                        name=case.contact_name,
                        phone=case.contact_info,
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            else:
                case.message_subscribe(partner_ids=partner.ids)
        return case

    def _pm_case_type_values(self, post, request_type, where):
        """Values of the new request that belong to its kind, read from the
        form and checked (a UserError creates nothing); the addons that add
        questions for a kind of request (the repair's category) extend it."""
        return {}

    def _pm_visitor_partner(self, vals):
        """Who reported a common area without logging in, as staff read it: a
        contact found by the mobile number given, or made with it and the name
        given; never Odoo's public user."""
        phone = vals["contact_info"]
        Partner = request.env["res.partner"].sudo()
        # only a contact made for a former report: an owner's or a user's
        # partner is never taken from a number anybody can type
        partner = Partner.search(
            [
                ("phone", "=", phone),
                ("user_ids", "=", False),
                ("pm_is_owner", "=", False),
                ("pm_is_tenant", "=", False),
            ],
            limit=1,
        )
        return partner or Partner.create(
            {
                "name": vals.get("contact_name") or phone,
                "phone": phone,
                "lang": request.env.lang,
                "company_id": request.env["pm.property"]
                .sudo()
                .browse(vals["property_id"])
                .company_id.id,
            }
        )

    def _pm_case_appointment(self, post, prop):
        """The optional appointment slot of the form (R-INTAKE-2): a day and a
        time window, not in the past, in the property's time zone (R-TZ-1)."""
        day_text = (post.get("appointment_day") or "").strip()
        window = post.get("appointment_window") or ""
        if not day_text and not window:
            return {}
        if not day_text or not window:
            raise UserError(
                _("Choose both the day and the time of the appointment, or neither.")
            )
        try:
            day = fields.Date.to_date(day_text)
        except ValueError:
            day = None
        if not day:
            raise UserError(_("The appointment day is not a valid date."))
        start, _stop, error = portal_pages.appointment_slot(
            day, window, prop.tz, fields.Datetime.now()
        )
        if error == "window":
            raise UserError(_("Choose one of the proposed appointment times."))
        if error == "past":
            raise UserError(_("The appointment cannot be in the past."))
        return {"appointment_date": start, "appointment_window": window}

    # ------------------------------------------------------------
    # WHERE: UNIT OR COMMON AREA, QR CODES (R-INTAKE-2, R-INTAKE-3)
    # ------------------------------------------------------------

    def _pm_qr_location(self, values):
        """The unit or common-area point of a scanned QR code (its URL carries
        ``unit`` or ``area`` and the signature ``qr``), or an empty recordset."""
        QrMixin = request.env["pm.location.qr.mixin"]
        for key in ("area", "unit"):
            if values.get(key):
                return QrMixin._pm_qr_location(key, values[key], values.get("qr"))
        return request.env["pm.unit"].sudo().browse()

    @staticmethod
    def _pm_qr_query(values):
        """The query string of the scanned QR code among ``values`` (``?unit=…``
        or ``?area=…`` with the signature ``qr``), or ``""``."""
        params = {
            key: values[key]
            for key in ("unit", "area", "qr")
            if isinstance(values.get(key), str) and values[key]
        }
        return f"?{urlencode(params)}" if params else ""

    def _pm_qr_area(self, values):
        """The common-area point of a scanned QR code, or an empty recordset."""
        location = self._pm_qr_location(values)
        if location._name != "pm.common.area":
            return request.env["pm.common.area"].sudo().browse()
        return location

    def _pm_qr_prefill(self, location):
        if not location:
            return {}
        if location._name == "pm.common.area":
            return {
                "location_type": "area",
                "common_area_id": str(location.id),
                "area": str(location.id),
                "qr": location._pm_qr_signature(),
            }
        return {
            "location_type": "unit",
            "unit_id": str(location.id),
            "unit": str(location.id),
            "qr": location._pm_qr_signature(),
        }

    def _pm_portal_common_areas(self, post, units=None):
        """Common-area points the visitor may report for: those of the
        properties of the owner's units (``units`` when the caller has them
        already), and the one of a scanned QR code."""
        areas = request.env["pm.common.area"].sudo().browse()
        if not request.env.user._is_public():
            if units is None:
                units = self._pm_portal_units()
            properties = units.property_id
            if properties:
                areas = areas.search([("property_id", "in", properties.ids)])
        return areas | self._pm_qr_area(post)

    def _pm_case_location_values(self, post, units=None):
        areas = self._pm_portal_common_areas(post, units)
        return {
            "common_areas": areas,
            "location_type": "area" if post.get("location_type") == "area" else "unit",
            "anonymous": request.env.user._is_public(),
        }

    def _pm_case_location(self, post):
        """The place of a submitted request, checked: one of the owner's units,
        or a common-area point the visitor may report for.

        :return: the case values of the place (and of the visitor's contact
            when not logged in)
        :raise UserError: another place, or a visitor without a valid phone
            number or over the hourly limit
        """
        location = (post.get("location") or "").strip()
        if len(location) > 200:
            raise UserError(_("Describe the spot in 200 characters at most."))
        qr_location = self._pm_qr_location(post)
        if request.env.user._is_public():
            return self._pm_visitor_values(post, self._pm_qr_area(post), location)
        channel = "qr_code" if qr_location else "portal"
        if post.get("location_type") == "area":
            area_id = self._pm_portal_id(post.get("common_area_id"))
            area = self._pm_portal_common_areas(post).filtered(
                lambda a: a.id == area_id
            )
            if not area:
                raise UserError(_("Choose the common area of the problem."))
            return {
                "property_id": area.property_id.id,
                "common_area_id": area.id,
                "location": location,
                "channel": channel,
            }
        unit = self._pm_portal_unit(post.get("unit_id"))
        return {
            "property_id": unit.property_id.id,
            "unit_id": unit.id,
            "location": location,
            "channel": channel,
        }

    def _pm_visitor_values(self, post, area, location):
        """A visitor not logged in reports for the common area of the QR code
        they scanned, with a mobile number, a few times an hour at most."""
        phone = re.sub(r"[\s-]", "", post.get("phone") or "")
        if phone.startswith("+86"):
            phone = phone[3:]
        if not CN_MOBILE_RE.match(phone):
            raise UserError(
                _("Write your mobile number (11 digits) so that we can call you back.")
            )
        name = (post.get("contact_name") or "").strip()[:100]
        ip = request.httprequest.remote_addr or ""
        self._pm_qr_check_rate(phone, ip)
        return {
            "property_id": area.property_id.id,
            "common_area_id": area.id,
            "location": location,
            "channel": "qr_code",
            "partner_id": False,
            "contact_name": name or phone,
            "contact_method": "phone",
            "contact_info": phone,
            "reporter_ip": ip,
        }

    def _pm_qr_check_rate(self, phone, ip):
        """Refuse a visitor's report over the hourly limits, before anything is
        created (see ``pm.case._pm_visitor_check_rate``)."""
        try:
            request.env["pm.case"].sudo()._pm_visitor_check_rate(phone, ip)
        except UserError as error:
            error.pm_rate_limited = True
            raise

    # ------------------------------------------------------------
    # CONFIRMATION, REOPENING, RATING (R-FLOW-2, R-RV-1)
    # ------------------------------------------------------------

    def _pm_case_action(self, case_id, access_token, method, post, *args):
        def page(case_sudo, error):
            return (
                "pm_customer_service.portal_my_case",
                self._pm_case_page_values(case_sudo, access_token, error=error),
            )

        return self._pm_owner_post(
            "pm.case",
            case_id,
            access_token,
            post,
            lambda case, partner: getattr(case, method)(partner, *args),
            page,
        )

    @portal_pages.owner_form_route("/my/cases/<int:case_id>/confirm")
    def portal_case_confirm(self, case_id, access_token=None, **post):
        return self._pm_case_action(
            case_id,
            access_token,
            "_pm_portal_confirm",
            post,
            post.get("satisfaction"),
            post.get("comment"),
        )

    @portal_pages.owner_form_route("/my/cases/<int:case_id>/reopen")
    def portal_case_reopen(self, case_id, access_token=None, **post):
        return self._pm_case_action(
            case_id, access_token, "_pm_portal_reopen", post, post.get("reason")
        )

    # ------------------------------------------------------------
    # RATING LINKS OF THE EMAILS (R-OWNER-1, R-FLOW-2, R-RV-1)
    # ------------------------------------------------------------

    def _pm_rating_check(self, token):
        """The rating and case of a link, and why it cannot be used (None when
        it can): see ``pm.case._pm_rating_from_token``; a staff session
        never answers for the owner (R-OWNER-1)."""
        user = request.env.user
        partner = user.partner_id if user.share and not user._is_public() else None
        rating, case, refusal = request.env["pm.case"]._pm_rating_from_token(
            token, partner
        )
        if not refusal and not user.share:
            refusal = "staff"
        return rating, case, refusal

    def _pm_rating_render(self, token, case, level, refusal=None, status=200, **kw):
        levels = dict(
            request.env["pm.case"]
            ._fields["satisfaction"]
            ._description_selection(request.env)
        )
        if refusal:
            status = 404 if refusal == "invalid" else 403
        elif level not in levels:
            refusal, status = "invalid", 404
        values = {
            "token": token,
            "case": case,
            "level": level,
            "level_label": levels.get(level, ""),
            "dissatisfied": level in levels and level not in SATISFIED_LEVELS,
            "refusal": refusal,
            "recorded": levels.get(case.satisfaction, "") if case else "",
            "error": kw.get("error"),
            "comment": kw.get("comment") or "",
            "thanks": kw.get("thanks"),
        }
        return request.render(
            "pm_customer_service.portal_case_rate", values, status=status
        )

    def _pm_rating_lang(self, case):
        # a visitor of the link reads the page in the owner's language
        if case and request.env.user._is_public() and case.partner_id.lang:
            request.update_context(lang=case.partner_id.lang)

    @http.route(
        ["/my/cases/rate/<string:token>/<int:level>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_case_rate(self, token, level, **kw):
        """A link of a rating email: shows the chosen level with a comment box and
        a button; opening the link records nothing (mail scanners open links
        too)."""
        _rating, case, refusal = self._pm_rating_check(token)
        self._pm_rating_lang(case)
        return self._pm_rating_render(token, case, str(level), refusal)

    @portal_pages.owner_form_route("/my/cases/rate/<string:token>/submit")
    def portal_case_rate_submit(self, token, level=None, comment=None, **post):
        """Record the owner's answer of a rating link, once (R-FLOW-2). Odoo's
        rating form (``/rate/<token>/submit_feedback``, sent on here by
        controllers/rating.py) names the level ``rate`` and the comment
        ``feedback``."""
        if level is None:
            level = post.get("rate")
        if comment is None:
            comment = post.get("feedback")
        rating, case, refusal = self._pm_rating_check(token)
        self._pm_rating_lang(case)
        if refusal:
            return self._pm_rating_render(token, case, level, refusal)
        try:
            self._pm_portal_check_text({"comment": comment or ""})
            with request.env.cr.savepoint():
                applied = case.sudo()._pm_rating_apply(rating, level, comment)
        except (UserError, ValidationError) as exc:
            return self._pm_rating_render(
                token, case, level, error=exc.args[0], comment=comment, status=400
            )
        if not applied:
            return self._pm_rating_render(token, case, level, "done")
        return self._pm_rating_render(token, case, level, thanks=True)
