# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from odoo.addons.pm_base.tools import portal_pages, settings

from . import repair_rules

# R-OWNER-1: written only by an owner's decision (portal, token link, or the
# tracked wizard staff use for an answer given by phone, on paper or in person)
OWNER_DECISION_FIELDS = (
    "quote_accepted_date",
    "quote_amount_accepted",
    "owner_accept_date",
    "acceptance_result",
    "acceptance_note",
    "signature",
    "signed_by",
    "signed_partner_id",
    "signed_on",
    "witness_name",
)
OWNER_QUOTE_STATES = ("accepted", "refused")
# an owner adds photos while the order is open; from completion on they show
# the result ("after")
PHOTO_CLOSED_STATES = ("closed", "cancelled", "warranty")
PHOTO_AFTER_STATES = ("done", "return_visit")
OWNER_DECISIONS = (
    "accept_quote",
    "refuse_quote",
    "accept",
    "not_fixed",
    "refused_to_sign",
)
# staff work on an order: never readable by the owner, not even over JSON-RPC
STAFF = "pm_base.group_pm_technician"
# days a token link (quote or completion email) lets an owner answer without login
LINK_DAYS_PARAM = "pm_repair.owner_link_days"


class PmRepairOrder(models.Model):
    """Repair requests submitted on the owner portal and the owner's decisions on
    them: quote, acceptance with signature, rework (SPEC §10, R-REP-3, R-REP-4,
    R-OWNER-1)."""

    _name = "pm.repair.order"
    _inherit = ["pm.repair.order", "pm.portal.submission.mixin"]
    # the owner's answers: guarded by the write guard of the order
    _pm_owner_decision_fields = OWNER_DECISION_FIELDS
    _pm_owner_decision_wizard = "pm.repair.owner.decision"
    _pm_owner_decision_wizard_field = "order_id"

    # internal fields: staff only (the portal reads what it shows with sudo)
    return_visit_ids = fields.One2many(groups=STAFF)
    return_visit_count = fields.Integer(groups=STAFF)
    technician_id = fields.Many2one(groups=STAFF)
    team_id = fields.Many2one(groups=STAFF)
    diagnosis = fields.Text(groups=STAFF)
    is_quality_fault = fields.Boolean(groups=STAFF)
    under_warranty = fields.Boolean(groups=STAFF)
    warranty_partner_id = fields.Many2one(groups=STAFF)
    warranty_notified_date = fields.Datetime(groups=STAFF)
    target_dispatch = fields.Selection(groups=STAFF)
    target_on_site = fields.Selection(groups=STAFF)
    target_contact = fields.Selection(groups=STAFF)
    target_arrival = fields.Selection(groups=STAFF)
    target_plan = fields.Selection(groups=STAFF)
    target_completion = fields.Selection(groups=STAFF)
    target_overdue = fields.Boolean(groups=STAFF)
    kpi_timely = fields.Float(groups=STAFF)
    kpi_first_pass = fields.Float(groups=STAFF)
    kpi_return_visited = fields.Float(groups=STAFF)
    kpi_satisfaction = fields.Float(groups=STAFF)
    kpi_timely_measured = fields.Integer(groups=STAFF)
    kpi_first_pass_measured = fields.Integer(groups=STAFF)
    kpi_return_visited_measured = fields.Integer(groups=STAFF)
    kpi_satisfaction_measured = fields.Integer(groups=STAFF)
    work_minutes = fields.Float(groups=STAFF)
    witness_name = fields.Char(groups=STAFF)
    rework_ids = fields.One2many(groups=STAFF)
    awaiting_rain = fields.Boolean(groups=STAFF)
    rainstorm_id = fields.Many2one(groups=STAFF)
    # the activity mixin's fields computed from the activities, which only
    # employees read (``activity_ids``): employees' too, so that a portal read
    # of the record leaves them out instead of failing on the activities
    activity_exception_decoration = fields.Selection(groups="base.group_user")
    activity_exception_icon = fields.Char(groups="base.group_user")
    activity_type_icon = fields.Char(groups="base.group_user")

    # ------------------------------------------------------------
    # OWNER DECISIONS (R-OWNER-1, R-REP-3, R-REP-4)
    # ------------------------------------------------------------

    @api.model
    def _pm_is_owner_answer(self, vals):
        """R-OWNER-1 / R-REP-3: the owner's answers are the quote's answer, the
        acceptance and the signature."""
        return super()._pm_is_owner_answer(vals) or (
            vals.get("quote_state") in OWNER_QUOTE_STATES
        )

    def _pm_is_owner_decider(self, partner):
        """The order's owner (or an owner of its unit): who answers the quote and
        accepts the repair."""
        self.ensure_one()
        return bool(partner) and partner in self._pm_allowed_signers()

    def _pm_portal_add_photos(self, partner, files):
        """The owner's photos from the repair page (R-REP-4): before the work
        while it waits, after it once it is finished (e.g. what is still wrong).

        :param files: list of (name, data, mimetype), images checked by
            ``images`` already
        :return: the kind of the photos, ``before`` or ``after``
        """
        self.ensure_one()
        order = self.sudo()
        if not order._pm_is_owner_decider(partner):
            raise AccessError(_("Only the owner of %s can add photos.", order.name))
        if order.state in PHOTO_CLOSED_STATES:
            raise UserError(
                _("Order %s is finished: photos cannot be added any more.", order.name)
            )
        if not files:
            raise UserError(_("Choose the photos to add."))
        if any(not mimetype.startswith("image/") for _n, _d, mimetype in files):
            raise UserError(_("Add photos only (PNG, JPEG, GIF or WebP)."))
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": data,
                        "mimetype": mimetype,
                        "res_model": order._name,
                        "res_id": order.id,
                    }
                    for name, data, mimetype in files
                ]
            )
        )
        kind = "after" if order.state in PHOTO_AFTER_STATES else "before"
        order[f"photo_{kind}_ids"] = [(4, a.id) for a in attachments]
        order.message_post(
            body=_("The owner added %s photos.", len(attachments))
            if kind == "before"
            else _("The owner added %s photos after the work.", len(attachments)),
            author_id=partner.id,
            attachment_ids=attachments.ids,
        )
        return kind

    def _pm_owner_link_expired(self, now=None):
        """R-OWNER-1: a token link answers the question the order asks now (the
        quote, the finished repair) for a limited number of days after it was
        asked; later the owner logs in or calls the service centre."""
        self.ensure_one()
        days = settings.get(self.env, LINK_DAYS_PARAM)
        asked = self.quote_sent_date if self.state == "quoted" else self.done_date
        if not asked or days <= 0:
            return False
        now = now or fields.Datetime.now()
        return now > fields.Datetime.add(asked, days=days)

    def _pm_portal_decide(self, partner, decision, values=None):
        """The owner's own answer from the portal or the token link; the chatter
        shows the owner as its author."""
        self.ensure_one()
        order = self.sudo()
        if not order._pm_is_owner_decider(partner):
            raise AccessError(
                _("Only the owner of %s can give this answer.", order.name)
            )
        return order._pm_owner_decide(decision, partner, values)

    def _pm_owner_decide(self, decision, author, values=None, recorded=""):
        """Apply an owner's decision; runs with superuser rights, called by the
        portal (``author`` is the owner) or by the owner decision wizard
        (``author`` is the staff member, ``recorded`` says how the owner gave it).

        :param values: ``partner``, ``name``, ``signature`` to accept; ``note`` for
            a repair not accepted; ``witness`` for a refusal to sign
        """
        self.ensure_one()
        values = values or {}
        if decision not in OWNER_DECISIONS:
            raise UserError(_("Choose the owner's answer."))
        self._track_set_author(author)
        if decision in ("accept_quote", "refuse_quote"):
            if self.state != "quoted" or self.quote_state != "sent":
                raise UserError(
                    _("The quote of %s is not waiting for an answer.", self.name)
                )
            if decision == "accept_quote":
                self._pm_accept_quote()
                body = _(
                    "The owner accepted the quote of %s.",
                    format_amount(self.env, self.amount_total, self.currency_id),
                )
            else:
                self._pm_refuse_quote()
                body = _("The owner refused the quote.")
        elif decision == "accept":
            signer = values.get("partner") or self.partner_id
            self._pm_sign(signer, values.get("name"), values.get("signature"))
            body = _("The owner accepted the repair, signed by %s.", self.signed_by)
        elif decision == "not_fixed":
            self._pm_check_state(("done",))
            note = (values.get("note") or "").strip()
            if not note:
                raise UserError(_("Write why the repair is not accepted."))
            self.write({"acceptance_note": note})
            self._pm_acceptance_fail()
            body = _("The owner did not accept the repair: %s", note)
        else:
            self._pm_check_state(("done",))
            self.write({"witness_name": (values.get("witness") or "").strip()})
            self._pm_acceptance_refused()
            body = _(
                "The owner refused to sign the finished repair (witness: %s).",
                self.witness_name,
            )
        self.message_post(
            body=body + (f" {recorded}" if recorded else ""), author_id=author.id
        )
        return True

    # ------------------------------------------------------------
    # PORTAL PAGE: PROGRESS
    # ------------------------------------------------------------

    def _pm_portal_progress(self):
        """Steps of the order (受理 → 派单 → 上门 → 完成 → 验收) from its real dates,
        in the property's local time; an order made for an owner's request shows
        the request's one timeline (R-THREAD-1)."""
        self.ensure_one()
        case = self.case_id.sudo()
        if case and case._pm_follows_work_orders():
            return case._pm_thread_progress(self)

        def when(value):
            return self.property_id._pm_local_text(value, short=True)

        steps = [
            (_("Receipt"), when(self.intake_date), True),
            *self._pm_progress_work_steps(when),
        ]
        return portal_pages.progress_steps(steps)

    def _pm_progress_work_steps(self, when):
        """The steps of the work in an owner's progress bar, the order's own or
        its request's timeline: dispatch, on-site visit, finish, acceptance.

        :param when: the function writing a step's date for the owner
        :return: ``(label, date text, done)`` per step
        """
        return [
            (_("Dispatch"), when(self.dispatch_date), bool(self.dispatch_date)),
            (_("On-site visit"), when(self.arrival_date), bool(self.arrival_date)),
            (_("Finish"), when(self.done_date), bool(self.done_date)),
            (
                _("Acceptance"),
                when(self.owner_accept_date),
                self.state in repair_rules.ACCEPTED_STATES,
            ),
        ]

    def _pm_portal_contact(self):
        self.ensure_one()
        phone = self.property_id._pm_service_phone()
        return {
            "handler": self.technician_id.name or "",
            "phone": phone,
            "phone_href": portal_pages.phone_href(phone),
        }
