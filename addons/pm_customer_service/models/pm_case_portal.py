# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.pm_base.tools import portal_pages, settings
from odoo.addons.pm_base.tools.vocabulary import CASE_STATES, SATISFIED_LEVELS
from odoo.addons.pm_base.tools.write_guard import workflow_action

# the cases an owner may still confirm or send back (R-FLOW-2)
PORTAL_CONFIRM_STATES = ("confirmation", "return_visit")
# R-OWNER-1: written only by the owner's decision (portal, token link, or the
# tracked wizard staff use for a decision given by phone or on paper)
OWNER_DECISION_FIELDS = ("satisfaction",)
# staff work on a case: the portal shows the owner what concerns them (decision
# measures, deadline), never these, not even over JSON-RPC (SPEC §10)
STAFF = "pm_base.group_pm_technician"
# the states where the result can be rated from the emailed links
RATING_STATES = ("confirmation", "return_visit", "closed")
RATING_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
RATING_DAYS_PARAM = "pm_customer_service.rating_link_days"


class PmCase(models.Model):
    """Owner portal access to cases: token links in e-mails, confirmation, reopening
    and rating by the owner (R-FLOW-2, R-RV-1, SPEC §10)."""

    _name = "pm.case"
    _inherit = ["pm.case", "portal.mixin", "pm.portal.submission.mixin"]
    # the owner's answers: guarded by the write guard of the case
    _pm_owner_decision_fields = OWNER_DECISION_FIELDS
    _pm_owner_decision_wizard = "pm.case.owner.decision"
    _pm_owner_decision_wizard_field = "case_id"

    # the front desk's queue says what the owner reads (issue 21)
    owner_status = fields.Char(
        string="Owner Sees",
        compute="_compute_owner_status",
        help="The status the owner reads on the portal.",
    )
    # network address of a visitor who reported without logging in (QR code of a
    # common area): the hourly limits count by it (a small index: staff-made
    # cases have none)
    reporter_ip = fields.Char(
        string="Reporter's Network Address",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups=STAFF,
    )
    # internal fields: staff only (the portal reads what it shows with sudo)
    return_visit_ids = fields.One2many(groups=STAFF)
    return_visit_count = fields.Integer(groups=STAFF)
    partner_warning = fields.Char(groups=STAFF)
    investigation_facts = fields.Text(groups=STAFF)
    investigation_cause = fields.Text(groups=STAFF)
    proposed_solution = fields.Text(groups=STAFF)
    door_visit_required = fields.Boolean(groups=STAFF)
    door_visit_reason = fields.Char(groups=STAFF)
    door_visit_reason_keys = fields.Char(groups=STAFF)
    escalation_level = fields.Selection(groups=STAFF)
    escalation_next_date = fields.Datetime(groups=STAFF)
    escalation_kind = fields.Char(groups=STAFF)
    escalation_kind_label = fields.Char(groups=STAFF)
    auto_major_date = fields.Datetime(groups=STAFF)
    sla_policy_id = fields.Many2one(groups=STAFF)
    # the activity mixin's fields computed from the activities, which only
    # employees read (``activity_ids``): employees' too, so that a portal read
    # of the record leaves them out instead of failing on the activities
    activity_exception_decoration = fields.Selection(groups="base.group_user")
    activity_exception_icon = fields.Char(groups="base.group_user")
    activity_type_icon = fields.Char(groups="base.group_user")

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/cases/{case.id}"
        return res

    # ------------------------------------------------------------
    # OWNER DECISIONS (R-OWNER-1, R-FLOW-2, R-RV-1)
    # ------------------------------------------------------------

    def _pm_is_owner_decider(self, partner):
        """The owner of the case (their company's contacts) or the tenant who
        raised it: who may confirm, rate or reopen it."""
        self.ensure_one()
        return bool(
            partner
            and self.partner_id
            and partner.commercial_partner_id == self.partner_id.commercial_partner_id
        )

    def _pm_check_owner_decider(self, partner):
        self.ensure_one()
        if not self._pm_is_owner_decider(partner):
            raise AccessError(
                _("Only the owner of %s can give this answer.", self.name)
            )

    def _pm_portal_can_confirm(self):
        """Each round of processing waits for the owner's answer at confirmation;
        at the return visit, only while the owner has not rated yet. The owner of
        a case that follows work orders answers on them (accepts and signs, or
        sends the work back), not a second time on the case (R-THREAD-1)."""
        self.ensure_one()
        if self._pm_follows_work_orders():
            return False
        return self.state == "confirmation" or (
            self.state == "return_visit" and not self.satisfaction
        )

    def _pm_portal_confirm(self, partner, satisfaction, comment=""):
        """The owner's own rating from the portal or the token link; authored by
        the owner's partner."""
        self.sudo()._pm_check_owner_decider(partner)
        return self.sudo()._pm_owner_confirm(satisfaction, comment, partner)

    def _pm_portal_reopen(self, partner, reason):
        """The owner sends the case back from the portal or the token link."""
        self.sudo()._pm_check_owner_decider(partner)
        return self.sudo()._pm_owner_reopen(reason, partner)

    def _pm_owner_confirm(self, satisfaction, comment, author, recorded=""):
        """R-FLOW-2 / R-RV-1: the owner rates the result on five levels; satisfied
        moves on to the return visit, dissatisfied reopens for second processing.

        :param author: partner the chatter shows: the owner, or the staff member
            who records an answer given by phone or on paper (``recorded`` then
            says how)
        """
        self.ensure_one()
        levels = dict(self._fields["satisfaction"]._description_selection(self.env))
        if satisfaction not in levels:
            raise UserError(_("Choose how satisfied you are with the result."))
        if not self._pm_portal_can_confirm():
            raise UserError(
                _("Case %s is not waiting for your confirmation.", self.name)
            )
        comment = (comment or "").strip()
        if satisfaction not in SATISFIED_LEVELS and not comment:
            raise UserError(_("Tell us what is still wrong, so that we can fix it."))
        self._track_set_author(author)
        self.message_post(
            body=_(
                "Owner's rating: %(level)s. %(comment)s",
                level=levels[satisfaction],
                comment=comment,
            )
            + (f" {recorded}" if recorded else ""),
            author_id=author.id,
        )
        if satisfaction in SATISFIED_LEVELS:
            self.sudo().write({"satisfaction": satisfaction})
            if self.state == "confirmation":
                self._pm_owner_satisfied()
        else:
            self._reopen(comment)
        return True

    def _pm_owner_reopen(self, reason, author, recorded=""):
        """R-FLOW-2: the owner sends the case back with a reason."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason why the case is not resolved."))
        if self.state not in PORTAL_CONFIRM_STATES:
            raise UserError(_("Case %s cannot be reopened now.", self.name))
        self._track_set_author(author)
        self.message_post(
            body=_("The owner reopened the case: %s", reason)
            + (f" {recorded}" if recorded else ""),
            author_id=author.id,
        )
        self._reopen(reason)
        return True

    def _pm_owner_satisfied(self):
        """The owner confirmed the result: on to the return visit."""
        return self._move_to("return_visit")

    # ------------------------------------------------------------
    # PORTAL PAGE: STATUS AND PROGRESS
    # ------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("to_acknowledge", "state", "acknowledged_date", "stage_id.name")
    def _compute_owner_status(self):
        for case in self:
            case.owner_status = case._pm_portal_status()

    def _pm_portal_status(self):
        """What the owner reads as the status: "Waiting" until a staff member
        acknowledged the case (R-INTAKE-3), then the stage."""
        self.ensure_one()
        if self.to_acknowledge or (
            self.state == "received" and not self.acknowledged_date
        ):
            return _("Waiting")
        return self.stage_id.name

    def _pm_portal_tracked_dates(self):
        """Times the case entered each state and got its first responsible,
        from the tracking of the chatter (one query): ``({state: datetime},
        datetime or None)``; a state reached several times keeps the latest."""
        self.ensure_one()
        rows = (
            self.env["mail.tracking.value"]
            .sudo()
            .search_read(
                [
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                    ("field_id.name", "in", ("stage_id", "user_id")),
                    ("field_id.model", "=", self._name),
                ],
                ["field_id", "new_value_integer", "create_date"],
                order="id",
            )
        )
        user_field = self.env["ir.model.fields"]._get(self._name, "user_id").id
        stages = {
            stage.id: stage.state
            for stage in self.env["pm.case.stage"].sudo().search([])
        }
        entered, dispatched = {}, None
        for row in rows:
            if row["field_id"][0] == user_field:
                if row["new_value_integer"] and not dispatched:
                    dispatched = row["create_date"]
            elif row["new_value_integer"] in stages:
                entered[stages[row["new_value_integer"]]] = row["create_date"]
        return entered, dispatched

    def _pm_portal_progress(self):
        """Steps of the case for the owner (受理 → 派单 → 处理 → 完成), with the local
        times they were reached."""
        self.ensure_one()
        entered, dispatched = self._pm_portal_tracked_dates()
        order = [code for code, _label in CASE_STATES]
        index = order.index(self.state)
        if self.user_id and not dispatched:
            # given a responsible when it was recorded: no tracking of that
            dispatched = self.acknowledged_date or self.intake_date

        def when(value):
            return self._get_local_text(value)

        processing = index >= order.index("processing")
        steps = [
            (_("Submission"), when(self.intake_date), True),
            (
                _("Acknowledgement"),
                when(self.acknowledged_date),
                bool(self.acknowledged_date),
            ),
            (
                _("Dispatch"),
                when(dispatched),
                bool(self.user_id and self.acknowledged_date),
            ),
            (_("Handling"), when(entered.get("processing")), processing),
            (
                _("Finish"),
                when(self.resolved_date),
                bool(self.resolved_date) and index >= order.index("confirmation"),
            ),
            (_("Closing"), when(self.closed_date), self.state == "closed"),
        ]
        return portal_pages.progress_steps(steps)

    def _get_local_text(self, value):
        return self.property_id._pm_local_text(value, short=True)

    def _pm_portal_contact(self):
        """Who handles the case and the number the owner can call."""
        self.ensure_one()
        phone = self.property_id._pm_service_phone()
        return {
            "handler": self.user_id.name or self.first_contact_user_id.name or "",
            "phone": phone,
            "phone_href": portal_pages.phone_href(phone),
        }

    def _pm_portal_appointment(self):
        """The booked appointment as the owner chose it, in local time."""
        self.ensure_one()
        if not self.appointment_date:
            return ""
        prop = self.property_id
        if not self.appointment_window:
            return prop._pm_local_text(self.appointment_date)
        windows = dict(
            self._fields["appointment_window"]._description_selection(self.env)
        )
        day = prop._pm_local_text(self.appointment_date, date_only=True)
        return f"{day} {windows[self.appointment_window]}"

    # ------------------------------------------------------------
    # VISITORS' HOURLY LIMITS (R-INTAKE-2)
    # ------------------------------------------------------------

    @api.model
    def _pm_visitor_check_rate(self, phone, ip):
        """Refuse a visitor's report from a common-area QR code over the hourly
        limits, per phone number and per network address, before anything is
        created; call it in the transaction that then creates the case.

        Simultaneous reports with one key wait for each other: a transaction
        lock per key is held until the report is committed or dropped, and the
        reports of the last hour are counted on a cursor of their own, which
        sees what was committed while waiting (the request's own snapshot is
        older). Keys are locked in one order, so two reports never wait for
        each other crosswise.

        :raise UserError: a limit is reached
        """
        checks = {
            "contact_info": (phone, "pm_customer_service.qr_reports_per_phone_hour"),
            "reporter_ip": (ip, "pm_customer_service.qr_reports_per_ip_hour"),
        }
        keys = sorted(
            f"pm.case.qr:{fname}:{value}" for fname, (value, _x) in checks.items()
        )
        for key in keys:
            self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        since = fields.Datetime.now() - timedelta(hours=1)
        with self.env.registry.cursor() as cr:
            for fname, (value, param) in checks.items():
                cr.execute(
                    SQL(
                        """SELECT count(*) FROM pm_case
                            WHERE channel = 'qr_code' AND create_date >= %s
                              AND reporter_ip IS NOT NULL AND %s = %s""",
                        since,
                        SQL.identifier(fname),
                        value,
                    )
                )
                if cr.fetchone()[0] >= settings.get(self.env, param):
                    raise UserError(
                        _(
                            "Too many reports were sent from this phone number or "
                            "network in the last hour: please try again later, or "
                            "call the service centre."
                        )
                    )

    # ------------------------------------------------------------
    # RATING LINKS (R-OWNER-1, R-FLOW-2, R-RV-1)
    # ------------------------------------------------------------

    def _pm_rating_open(self):
        """The result waits for the owner's rating: resolved, and no answer of
        this round recorded yet (at confirmation the previous round's answer
        does not count)."""
        self.ensure_one()
        if self.state not in RATING_STATES or not self.resolved_date:
            return False
        return self.state == "confirmation" or not self.satisfaction

    def _pm_rating_visit(self):
        """The planned return visit the owner's answer through a rating link
        records (a door visit is made in person); empty when none is planned."""
        self.ensure_one()
        return self.return_visit_ids.filtered(
            # the supervisor's sample call is theirs to make
            lambda v: v.state == "planned" and v.method != "door" and v.kind != "sample"
        )[:1]

    def _pm_rating_links(self):
        """The five links of the rating emails: ``[(level, label, url)]``, best
        first; one ``rating.rating`` token of the owner per round."""
        self.ensure_one()
        if not self.partner_id:
            return []
        token = self.sudo()._rating_get_access_token(self.partner_id)
        base = self.get_base_url()
        return [
            (level, label, f"{base}/my/cases/rate/{token}/{level}")
            for level, label in self._fields["satisfaction"]._description_selection(
                self.env
            )
        ]

    @api.model
    def _pm_rating_from_token(self, token, partner=None):
        """The rating and case a link's token stands for, checked.

        :param partner: the logged-in owner, or None for a visitor of the link
        :return: ``(rating, case, error)``; ``error`` is None, or one of
            ``invalid`` (unknown or malformed token), ``other_owner``, ``expired``,
            ``done`` (already answered), ``not_resolved``
        """
        Rating = self.env["rating.rating"].sudo()
        if not isinstance(token, str) or not RATING_TOKEN_RE.match(token):
            return Rating, self.browse(), "invalid"
        rating = Rating.search(
            [("access_token", "=", token), ("res_model", "=", self._name)], limit=1
        )
        case = self.sudo().browse(rating.res_id).exists() if rating else self.browse()
        if not case:
            return Rating, self.browse(), "invalid"
        if not case._pm_is_owner_decider(rating.partner_id) or (
            partner is not None and not case._pm_is_owner_decider(partner)
        ):
            return rating, case, "other_owner"
        if rating.consumed:
            return rating, case, "done"
        days = settings.get(self.env, RATING_DAYS_PARAM)
        if rating.create_date < fields.Datetime.now() - timedelta(days=days):
            return rating, case, "expired"
        if case.state in RATING_STATES and case.resolved_date:
            if not case._pm_rating_open():
                return rating, case, "done"
            return rating, case, None
        return rating, case, "not_resolved"

    @workflow_action
    def _pm_rating_apply(self, rating, level, comment=""):
        """R-FLOW-2 / R-RV-1: the owner's answer through a rating link is the
        result of the return visit: satisfied closes the case, dissatisfied
        reopens it for second processing. A second tap of a link changes
        nothing (the token is used once).

        :param rating: the link's ``rating.rating`` (checked by
            ``_pm_rating_from_token``)
        :return: False when the link was used meanwhile
        """
        self.ensure_one()
        levels = dict(self._fields["satisfaction"]._description_selection(self.env))
        if level not in levels:
            raise UserError(_("Choose how satisfied you are with the result."))
        comment = (comment or "").strip()
        if level not in SATISFIED_LEVELS and not comment:
            raise UserError(_("Tell us what is still wrong, so that we can fix it."))
        # used once, even by two taps at the same moment
        self.env.cr.execute(
            "UPDATE rating_rating SET consumed = TRUE "
            "WHERE id = %s AND consumed IS NOT TRUE RETURNING id",
            [rating.id],
        )
        if not self.env.cr.fetchone():
            return False
        rating.invalidate_recordset(["consumed"])
        rating.write({"rating": float(level), "feedback": comment, "consumed": True})
        partner = rating.partner_id
        self.message_post(
            body=_(
                "Owner's rating through the emailed link: %(level)s. %(comment)s",
                level=levels[level],
                comment=comment,
            ),
            author_id=partner.id,
            rating_id=rating.id,
        )
        visit = self._pm_rating_visit() or self._pm_create_return_visit(
            method="letter", due_date=self.property_id._pm_today()
        )
        was_closed = self.state == "closed"
        visit.write(
            {
                "method": "letter",
                "satisfaction": level,
                "result": comment or levels[level],
                "remarks": _("Answered by the owner through the emailed link."),
            }
        )
        visit.action_done()
        if was_closed and level not in SATISFIED_LEVELS:
            self._reopen(comment)
        return True
