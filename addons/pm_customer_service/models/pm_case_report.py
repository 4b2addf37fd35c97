# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# seed 003 §4.2.3.2: a major complaint judged invalid is reported to the
# service-centre director
INVALID_MAJOR_TEMPLATE = "pm_customer_service.mail_template_pm_case_invalid_major"
# seed 003 §4.2.3.2.2: a complaint forwarded by head office goes back to the
# quality department once handled
HEAD_OFFICE_TEMPLATE = "pm_customer_service.mail_template_pm_case_head_office_closed"
# the partners a report went to in the transaction, per case: their report is
# their email of the step (the stage change is not emailed to them again)
REPORTED_KEY = "pm.case.reported"
STAGE_SUBTYPE = "pm_customer_service.mt_pm_case_stage"


class PmCase(models.Model):
    """Loops that must close (issue 24): who is told when a case ends a way the
    SOP asks to report (R-VALID-1, R-INTAKE-2)."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    def _pm_is_major_complaint(self):
        self.ensure_one()
        return self.request_type == "complaint" and self.severity == "major"

    def _pm_report_invalid_major(self):
        """R-VALID-1: the major complaints of ``self`` just judged invalid are
        reported to the director of their property: one email, and an internal
        note on the case."""
        for case in self.filtered(lambda c: c._pm_is_major_complaint()):
            director = case.property_id.director_id
            staff = case.with_context(lang=case._pm_staff_lang())
            if not director:
                case._pm_note_for_staff(
                    staff.env._(
                        "Major complaint judged invalid: property %s has no "
                        "service-centre director to report it to.",
                        case.property_id.display_name,
                    )
                )
                continue
            case._pm_report_mail(
                INVALID_MAJOR_TEMPLATE,
                director,
                pm_judged_by=self.env.user.name,
                pm_judged_at=fields.Datetime.now(),
            )
            case._pm_note_for_staff(
                staff.env._(
                    "Major complaint judged invalid: reported to the service-centre "
                    "director %s.",
                    director.name,
                )
            )

    def _pm_report_head_office_closed(self):
        """R-INTAKE-2: the cases of ``self`` forwarded by head office report
        their outcome to the quality department when closed: one email each,
        and an internal note on the case."""
        for case in self.filtered(lambda c: c.channel == "head_office"):
            quality = case._pm_quality_department()
            staff = case.with_context(lang=case._pm_staff_lang())
            if not quality:
                case._pm_note_for_staff(
                    staff.env._(
                        "Case forwarded by head office closed: nobody in the "
                        "quality department to report it to."
                    )
                )
                continue
            case._pm_report_mail(HEAD_OFFICE_TEMPLATE, quality)
            case._pm_note_for_staff(
                staff.env._(
                    "Case forwarded by head office closed: outcome reported to the "
                    "quality department (%s).",
                    ", ".join(quality.mapped("name")),
                )
            )

    def _pm_report_mail(self, xmlid, users, **context):
        """Queue the staff template ``xmlid`` for ``users``, one email each, in
        their language; ``context`` is what the template reads from ``ctx``."""
        self.ensure_one()
        record = self.with_context(**context) if context else self
        reported = self.env.cr.precommit.data.setdefault(REPORTED_KEY, {})
        reported.setdefault(self.id, set()).update(users.partner_id.ids)
        template = record.env["mail.template"].browse(
            # the cached xmlid lookup, not env.ref's existence query per email
            record.env["ir.model.data"]._xmlid_to_res_id(xmlid)
        )
        return record._pm_queue_template(
            template,
            users.partner_id,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """R-MAIL-1: one email per event and recipient. Who got a report of
        this step of the case (director, quality department) gets no second
        email of the stage change it reports."""
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        reported = self.env.cr.precommit.data.get(REPORTED_KEY, {})
        if len(self) != 1 or not reported.get(self.id):
            return recipients
        subtype_id = (msg_vals or {}).get("subtype_id") or message.sudo().subtype_id.id
        if subtype_id != self.env["ir.model.data"]._xmlid_to_res_id(STAGE_SUBTYPE):
            return recipients
        skipped = reported[self.id]
        return [
            data
            for data in recipients
            if data["id"] not in skipped or data["notif"] != "email"
        ]

    def _pm_label(self, field_name):
        """The label of the selection value of ``field_name``, in the language
        of the email being rendered."""
        self.ensure_one()
        field = self._fields[field_name]
        return dict(field._description_selection(self.env)).get(self[field_name], "")

    def _pm_local_now(self):
        """The time an email reports (``pm_judged_at`` of the context, else
        now), on the property's clock, in the reader's language (R-TZ-2)."""
        self.ensure_one()
        value = self.env.context.get("pm_judged_at") or fields.Datetime.now()
        return self.property_id._pm_local_text(value)
