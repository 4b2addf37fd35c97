# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize, html2plaintext, parse_contact_from_email

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.write_guard import workflow_action

from .mail_thread import SENDER_FAILURE_CTX

DESK_GROUP = "pm_base.group_pm_agent"


class PmCase(models.Model):
    """Emails of a case: incoming (mail gateway), assignment and owner notices
    (R-INTAKE-4, R-MAIL-1, R-TZ-2)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # MESSAGING
    # ------------------------------------------------------------

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("pm_customer_service.mt_pm_case_stage")
        return super()._track_subtype(init_values)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """R-INTAKE-4: an email to a property's address becomes a case in the
        front desk's queue. The sender is matched to an owner or tenant by email
        (whose only unit of the property becomes the case's unit); an unknown
        sender is recorded as the contact, never dropped.

        A sender the mail servers did not vouch for (``mail_rules``) is matched
        to nobody: the case waits as an unverified sender's until the desk
        confirms the sender (``action_confirm_sender``). Only the files the
        portal accepts are kept; the others are listed for the staff."""
        values = dict(custom_values or {})
        failure = self.env.context.get(SENDER_FAILURE_CTX)
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        prop = self.env["pm.property"].browse(values.get("property_id"))
        partner = self.env["res.partner"]
        if failure:
            # the email is not the owner's words: posted without an author
            msg_dict["author_id"] = False
        else:
            partner = self._pm_match_sender(email, prop)
        units = partner.pm_owned_unit_ids | partner.pm_rented_unit_ids
        if prop:
            units = units.filtered(lambda u: u.property_id == prop)
        elif len(units.property_id) == 1:
            prop = units.property_id
        if not prop:
            raise UserError(_("This address does not belong to a property."))
        refused = self._pm_mail_keep_accepted_files(msg_dict)
        subject = (msg_dict.get("subject") or "").strip()
        description = html2plaintext(msg_dict.get("body") or "").strip()
        values.update(
            {
                # the gateway names new records after the subject: keep the number
                "name": "/",
                "property_id": prop.id,
                "subject": subject or _("Email from %s", name or email),
                "description": description or subject or _("(empty email)"),
                "channel": "email",
                "partner_id": partner.id,
                "unit_id": units.id if len(units) == 1 else False,
                "contact_name": partner.name or name or email,
                "contact_method": "email",
                "contact_info": email,
                "sender_unverified": bool(failure),
            }
        )
        case = super().message_new(msg_dict, custom_values=values)
        if partner:
            case.message_subscribe(partner_ids=partner.ids)
        if failure:
            staff = case.with_context(lang=case._pm_staff_lang())
            case._pm_note_for_staff(
                staff.env._(
                    "The sender's address could not be verified: %(reason)s. The "
                    "case is attributed to no owner and no unit until the front "
                    "desk confirms the sender with 'Confirm Sender'.",
                    reason=staff._pm_sender_failure_text(failure),
                )
            )
        case._pm_note_refused_files(email, refused)
        return case

    def message_update(self, msg_dict, update_vals=None):
        """R-INTAKE-4: a reply threads into its case (the gateway posts it for the
        followers, see mail_thread.message_update for who may write on it); the
        alias defaults never overwrite the case."""
        return super().message_update(msg_dict, update_vals=None)

    def _pm_takes_part(self, email):
        """The contact of the case also takes part in it (e.g. the stranger whose
        email opened it)."""
        if super()._pm_takes_part(email):
            return True
        normalized = email_normalize(email or "")
        return bool(normalized) and (
            self.contact_method == "email"
            and normalized == email_normalize(self.contact_info or "")
        )

    def _pm_mail_reviewer(self):
        """The case's responsible, else the front desk."""
        return self.user_id or self._pm_front_desk_user()

    @workflow_action
    def action_confirm_sender(self):
        """The desk checked that the email came from its sender (e.g. by phone):
        the case becomes the case of the owner or tenant of that address, on
        their only unit of the property, and the email their words."""
        if not self.env.user.has_group(DESK_GROUP):
            raise AccessError(_("Only the front desk confirms the sender of a case."))
        for case in self.filtered("sender_unverified"):
            email = email_normalize(case.contact_info or "")
            partner = self._pm_match_sender(email, case.property_id)
            values = {"sender_unverified": False}
            if partner and not case.partner_id:
                units = (
                    partner.pm_owned_unit_ids | partner.pm_rented_unit_ids
                ).filtered(lambda u, prop=case.property_id: u.property_id == prop)
                values["partner_id"] = partner.id
                if len(units) == 1 and not case.unit_id:
                    values["unit_id"] = units.id
                values["contact_name"] = partner.name
            case.write(values)
            if partner:
                case.message_subscribe(partner_ids=partner.ids)
                case.message_ids.sudo().filtered(
                    lambda m, email=email: m.message_type == "email"
                    and not m.author_id
                    and email_normalize(m.email_from or "") == email
                ).write({"author_id": partner.id})
            case._pm_note_for_staff(_("Sender confirmed by %s.", self.env.user.name))
        return True

    @api.model
    def _pm_match_sender(self, email, prop):
        """The owner or tenant writing from ``email``, preferring one with a unit
        in ``prop``; an empty recordset for an unknown sender."""
        normalized = email_normalize(email or "")
        if not normalized:
            return self.env["res.partner"]
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", normalized)])
            .filtered(lambda p: p.pm_is_owner or p.pm_is_tenant)
        )
        local = partners.filtered(
            lambda p: prop in (p.pm_owned_unit_ids | p.pm_rented_unit_ids).property_id
        )
        return (local or partners)[:1]

    def _notify_assignment(self):
        """R-DISPATCH-1: the responsible person and the team leader are told."""
        for case in self:
            partners = case.user_id.partner_id | case.team_id.leader_id.partner_id
            case.message_subscribe(partner_ids=case.user_id.partner_id.ids)
            case._send_template(
                "pm_customer_service.mail_template_pm_case_assignment",
                partners=partners,
            )

    def _pm_notify_moved_activities(self, field_name, user, activities):
        # the new responsible already gets the assignment email
        if field_name == "user_id":
            return None
        return super()._pm_notify_moved_activities(field_name, user, activities)

    def _message_auto_subscribe_notify(self, partner_ids, template):
        """The assignment template of ``_notify_assignment`` is the one "assigned
        to you" email (R-MAIL-1); the responsible person is still subscribed."""

    def _send_template(self, template, partners=None):
        """Queue a template email, one per recipient language (never sent
        synchronously, SPEC §4, R-MAIL-1)."""
        if isinstance(template, str):
            # the cached xmlid lookup, not env.ref's existence query per email
            template = self.env["mail.template"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(
                    template, raise_if_not_found=False
                )
            )
        if not template:
            return
        for case in self:
            if partners is None:
                case._pm_send_owner_template(template)
                continue
            case._pm_queue_template(
                template,
                partners,
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _pm_send_owner_template(self, template):
        """The owner's email of the case, shown on the portal; counts as an
        update of the owner (the owner's channel may replace the email)."""
        self.ensure_one()
        mails = self._pm_queue_template(
            template,
            self.partner_id,
            email_layout_xmlid="mail.mail_notification_light",
        )
        self._pm_show_on_portal(template, mails)
        if mails:
            self._pm_owner_email_sent(template)
        return mails

    def _pm_show_on_portal(self, template, mails):
        """The owner's emails (receipt, decision, new date, closure) are messages
        of the case the owner reads on the portal: public, without the email
        layout. Staff emails stay out of the portal."""
        self.ensure_one()
        if not mails:
            return
        bodies = template._render_field("body_html", self.ids, compute_lang=True)
        mails.mail_message_id.sudo().write(
            {
                "body": bodies[self.id],
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "is_internal": False,
            }
        )

    def _get_promised_time(self):
        """The reply time promised in the receipt, on the property's clock, as
        the owner's language writes it (R-TZ-2)."""
        self.ensure_one()
        return self.property_id._pm_local_text(
            self.reply_deadline or self.resolve_deadline
        )

    def _get_local_time(self, field_name):
        """A time of the case as an email's reader reads it: on the property's
        clock, in the reader's language (R-TZ-2)."""
        self.ensure_one()
        return self.property_id._pm_local_text(self[field_name])

    def _local_label(self, value):
        """``value`` (UTC) as the property's wall clock reads it, e.g. for the
        owner's email and the chatter (R-TZ-1)."""
        self.ensure_one()
        return clock.local_stamp(value, self.property_id.tz)
