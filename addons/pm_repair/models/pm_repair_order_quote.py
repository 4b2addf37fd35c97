# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount

from odoo.addons.pm_base.tools import images
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import repair_rules
from .pm_repair_order import (
    ACCEPTANCE_RESULTS,
    CONTROL_CHARS_RE,
    QUOTE_STATES,
)


class PmRepairOrderQuote(models.Model):
    """Paid service (R-REP-3): fees, the quote and the owner's answer to it; the
    owner's acceptance of the repair, signature and rework rounds (R-REP-4)."""

    _inherit = "pm.repair.order"  # pylint: disable=consider-merging-classes-inherited

    # fees (R-REP-3)
    is_paid = fields.Boolean(
        string="Paid Service", compute="_compute_is_paid", store=True, index=True
    )
    line_ids = fields.One2many(
        "pm.repair.order.line", "order_id", string="Fees and Materials", copy=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        string="Total Fee", compute="_compute_amount_total", store=True
    )
    quote_state = fields.Selection(
        QUOTE_STATES,
        default="none",
        required=True,
        copy=False,
        tracking=True,
        readonly=True,
    )
    quote_sent_date = fields.Datetime(copy=False, readonly=True)
    quote_accepted_date = fields.Datetime(copy=False, readonly=True)
    quote_amount_accepted = fields.Monetary(
        string="Accepted Fee", copy=False, readonly=True
    )
    # owner acceptance (R-REP-4)
    acceptance_result = fields.Selection(
        ACCEPTANCE_RESULTS, copy=False, tracking=True, readonly=True
    )
    signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_partner_id = fields.Many2one(
        "res.partner", string="Signed by Owner", copy=False
    )
    signed_on = fields.Datetime(copy=False, readonly=True)
    acceptance_note = fields.Text(
        copy=False, help="Owner's opinion; the reason when the acceptance fails."
    )
    witness_name = fields.Char(
        copy=False, help="Who witnessed the owner's refusal to sign."
    )
    rework_count = fields.Integer(
        string="Rework Rounds", readonly=True, copy=False, aggregator="sum"
    )
    rework_ids = fields.One2many(
        "pm.repair.rework", "order_id", string="Rework History", readonly=True
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("location_type", "category_id.paid_in_unit", "under_warranty")
    def _compute_is_paid(self):
        for order in self:
            order.is_paid = repair_rules.is_paid(
                order.location_type == "common",
                order.category_id.paid_in_unit,
                order.under_warranty,
            )

    @api.depends("line_ids.subtotal")
    def _compute_amount_total(self):
        for order in self:
            order.amount_total = sum(order.line_ids.mapped("subtotal"))

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("signed_partner_id", "partner_id", "unit_id")
    def _check_signed_partner(self):
        for order in self:
            signer = order.signed_partner_id
            if signer and signer not in order._pm_allowed_signers():
                raise ValidationError(
                    _(
                        "%(signer)s is not the owner of order %(order)s and cannot "
                        "sign its acceptance.",
                        signer=signer.display_name,
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_propose_plan(self):
        """Record the plan (R-REP-2: within 3 minutes of the diagnosis); a paid repair
        then waits for the owner's acceptance of the quote (R-REP-3)."""
        self._pm_check_holder()
        self._pm_first_missing(
            ("diagnosed",),
            "plan",
            _(
                "write the working time, impact, protection, cooperation needed and "
                "charges agreed with the owner, then press Propose Plan"
            ),
        )
        now = fields.Datetime.now()
        self.write({"plan_date": now})
        charged = self.filtered(lambda o: o.is_paid and o.amount_total)
        (self - charged).write({"state": "in_progress", "plan_agreed_date": now})
        charged.action_send_quote()
        return True

    @workflow_action
    def action_send_quote(self):
        """Send the fee quote to the owner (R-REP-3)."""
        template = self.env.ref("pm_repair.mail_template_repair_quote")
        self._pm_check_holder()
        for order in self:
            order._pm_check_state(("diagnosed", "quoted", "in_progress"))
            if not order.is_paid or not order.amount_total:
                raise UserError(_("Order %s has no fee to quote.", order.name))
            if not order.partner_id:
                raise UserError(_("Order %s has no owner to quote.", order.name))
        self.write(
            {
                "state": "quoted",
                "quote_state": "sent",
                "quote_sent_date": fields.Datetime.now(),
            }
        )
        for order in self:
            order._portal_ensure_token()
            order._pm_post_quote(template)
        return True

    def _pm_post_quote(self, template):
        """The quote to the owner: the email links to the order's page, where the
        owner answers; the page's messages show it too (a comment, not a system
        notification)."""
        self.ensure_one()
        return self.message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    @workflow_action
    def _pm_accept_quote(self):
        """The owner accepted the quote: the plan is agreed and work may start."""
        self._pm_check_state(("quoted",))
        now = fields.Datetime.now()
        for order in self:
            order.write(
                {
                    "state": "in_progress",
                    "quote_state": "accepted",
                    "quote_accepted_date": now,
                    "quote_amount_accepted": order.amount_total,
                    "plan_agreed_date": order.plan_agreed_date or now,
                }
            )
        return True

    @workflow_action
    def _pm_refuse_quote(self):
        """The owner refused the fee: nothing is done, nothing is charged."""
        return self._pm_move(
            ("quoted",), {"state": "cancelled", "quote_state": "refused"}
        )

    @workflow_action
    def _pm_acceptance_pass(self):
        """The owner accepted the repair and signed (R-REP-4)."""
        for order in self:
            order._pm_check_state(("done",))
            if not order.signature or not order.signed_by:
                raise UserError(
                    _(
                        "Order %s: the owner's signature and name are needed; if the "
                        "owner refuses to sign, record the refusal with a witness.",
                        order.name,
                    )
                )
            if order.location_type == "unit" and not order.signed_partner_id:
                raise UserError(_("Order %s: choose the owner who signed.", order.name))
        now = fields.Datetime.now()
        self.write(
            {"acceptance_result": "pass", "signed_on": now, "owner_accept_date": now}
        )
        # planned before the state moves: the case that follows the order sees
        # them when it resolves (R-THREAD-1)
        self._pm_plan_return_visits()
        self.write({"state": "return_visit"})
        return True

    @workflow_action
    def _pm_acceptance_refused(self):
        """The owner refused to sign although the repair is done; a witness records
        it, as the industry does (R-REP-4)."""
        self._pm_first_missing(
            ("done",),
            "witness_name",
            _("write who witnessed the refusal to sign"),
        )
        self.write(
            {"acceptance_result": "refused", "owner_accept_date": fields.Datetime.now()}
        )
        self._pm_plan_return_visits()
        self.write({"state": "return_visit"})
        return True

    @workflow_action
    def _pm_acceptance_fail(self):
        """The owner did not accept the repair: rework round (返修, R-REP-4)."""
        self._pm_first_missing(
            ("done",), "acceptance_note", _("write why the owner did not accept")
        )
        self._pm_start_rework("acceptance")
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _pm_check_fee_accepted(self):
        """R-REP-3: nothing is charged without the owner's acceptance of the quote."""
        self.ensure_one()
        if not self.is_paid or not self.amount_total:
            return
        accepted = self.quote_state == "accepted" and (
            float_compare(
                self.amount_total,
                self.quote_amount_accepted,
                precision_rounding=self.currency_id.rounding,
            )
            <= 0
        )
        if not accepted:
            raise UserError(
                _(
                    "Order %(order)s charges %(amount)s that the owner has not "
                    "accepted: send the quote and record the owner's acceptance.",
                    order=self.name,
                    amount=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )

    def _pm_check_lines_editable(self):
        for order in self:
            if order.state in ("done", "return_visit", "closed", "warranty"):
                raise UserError(
                    _(
                        "Order %s is finished: its fees and materials cannot change.",
                        order.name,
                    )
                )

    def _pm_allowed_signers(self):
        self.ensure_one()
        return self.partner_id | self.unit_id.owner_ids

    @workflow_action
    def _pm_sign(self, partner, name, signature):
        """Owner's signature, e.g. from the portal: only the order's owner signs."""
        self.ensure_one()
        self._pm_check_state(("done",))
        if partner not in self._pm_allowed_signers():
            raise ValidationError(
                _(
                    "%(signer)s is not the owner of order %(order)s and cannot sign "
                    "its acceptance.",
                    signer=partner.display_name,
                    order=self.name,
                )
            )
        name = (name or "").strip()
        if not name or len(name) > 100 or CONTROL_CHARS_RE.search(name):
            raise UserError(_("Write the signer's full name (100 characters at most)."))
        self.write(
            {
                "signature": self._pm_check_signature(signature),
                "signed_by": name,
                "signed_partner_id": partner.id,
            }
        )
        return self._pm_acceptance_pass()

    def _pm_check_signature(self, signature):
        """R-REP-4: a signature is a real PNG or JPEG image of bounded size and
        pixel count, decoded before it is stored (never an SVG or a blob).

        :param signature: base64 (str or bytes), as the signature widgets send it
        :return: the base64 value to store
        """
        if isinstance(signature, str):
            signature = signature.encode("ascii", "replace")
        try:
            raw = base64.b64decode(signature or b"", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UserError(_("The signature could not be read.")) from exc
        if not raw:
            raise UserError(_("The signature is missing."))
        raw, _mimetype = images.check_image(
            self.env, raw, _("The signature"), signature=True
        )
        return base64.b64encode(raw)

    @workflow_action
    def _pm_start_rework(self, reason, visit=None):
        """Send orders back for a rework round, keeping the failed round's history."""
        now = fields.Datetime.now()
        self.env["pm.repair.rework"].create(
            [
                {
                    "order_id": order.id,
                    "round": order.rework_count + 1,
                    "reason": reason,
                    "date": now,
                    "done_date": order.done_date,
                    "note": visit.result if visit else order.acceptance_note,
                    "return_visit_id": visit.id if visit else False,
                    "technician_id": order.technician_id.id,
                }
                for order in self
            ]
        )
        for order in self:
            # the failed round's owner answer is cleared by the system (R-OWNER-1)
            order.sudo().write(
                {
                    "rework_count": order.rework_count + 1,
                    "state": "in_progress",
                    "done_date": False,
                    "owner_accept_date": False,
                    "acceptance_result": False,
                    "acceptance_note": False,
                    "signature": False,
                    "signed_by": False,
                    "signed_partner_id": False,
                    "signed_on": False,
                    "witness_name": False,
                    "awaiting_rain": False,
                }
            )
            order.message_post(
                body=_("Rework round %s started.", order.rework_count),
            )
