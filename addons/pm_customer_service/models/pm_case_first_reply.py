# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.pm_base.tools import cron
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import sla_rules
from .pm_case import OPEN_STATES

PROGRESS_ACTIVITY = "pm_customer_service.mail_activity_type_pm_progress"
# the receipt promises the reply ("we will reply to you by ..."): not the reply
RECEIPT_TEMPLATE = "pm_customer_service.mail_template_pm_case_receipt"


class PmCase(models.Model):
    """First reply and progress updates to the owner (R-CLOCK-1).

    The first reply is the first message of the staff to the owner after the
    receipt: a public comment or email of a staff member on the case, an owner
    email of the case's steps (decision, new date, resolution, closure), or a
    reply given by phone or in person that the staff records with "First Reply
    Given". The automatic receipt is not: it promises the reply. Every owner
    message of the staff, the receipt included, is an update of the owner: a
    long case whose owner heard nothing for a while reminds its handler.
    """

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    last_owner_update_date = fields.Datetime(
        string="Owner Last Updated on",
        readonly=True,
        copy=False,
        help="When the staff last wrote to the owner about the case.",
    )

    # ------------------------------------------------------------
    # WHAT REACHES THE OWNER
    # ------------------------------------------------------------

    @workflow_action
    def _pm_note_owner_update(self, reply=True):
        """The staff wrote to the owner now: the first reply (once, when
        ``reply``) and the last update; the open progress reminder is done (the
        closure notice too ends it)."""
        self._pm_progress_reminder_done()
        cases = self.filtered(lambda c: c.state != "closed")
        if not cases:
            return
        now = fields.Datetime.now()
        replied = cases.filtered(lambda c: reply and not c.first_reply_date)
        # a server stamp, whoever's step (the owner's answer too) sent the email
        replied.sudo().write({"first_reply_date": now, "last_owner_update_date": now})
        (cases - replied).sudo().write({"last_owner_update_date": now})

    def _message_post_after_hook(self, message, msg_vals):
        """A public comment or email of a staff member replies to the owner."""
        result = super()._message_post_after_hook(message, msg_vals)
        message = message.sudo()
        author_is_staff = any(not user.share for user in message.author_id.user_ids)
        if sla_rules.is_owner_reply(
            message.message_type,
            message.subtype_id == self.env.ref("mail.mt_comment"),
            message.is_internal,
            author_is_staff,
        ):
            self._pm_note_owner_update()
        return result

    def _pm_owner_email_sent(self, template):
        """An owner email of the case was queued: the receipt updates the owner,
        any other email also replies."""
        receipt = self.env["ir.model.data"]._xmlid_to_res_id(
            RECEIPT_TEMPLATE, raise_if_not_found=False
        )
        self._pm_note_owner_update(reply=template.id != receipt)

    def action_first_reply(self):
        """The staff replied outside the case (by phone, in person): recorded
        once, now."""
        if not self.env.user._is_internal():
            raise AccessError(_("Only a staff member can record a reply."))
        self.check_access("write")
        self._pm_note_owner_update()
        return True

    # ------------------------------------------------------------
    # PROGRESS UPDATES OF LONG CASES
    # ------------------------------------------------------------

    def _pm_progress_reminder_done(self):
        activity_type = self.env.ref(PROGRESS_ACTIVITY, raise_if_not_found=False)
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        if activities:
            activities.action_feedback(feedback=_("The owner was updated."))

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_pm_progress_reminder(self, batch_size=500):
        """Remind the handler of each long open case whose owner heard nothing
        for a while; one open reminder per case at a time."""
        case_days = self._param("progress_case_days")
        interval = self._param("progress_interval_days")
        if case_days <= 0 or interval <= 0:
            return True
        now = fields.Datetime.now()
        silent_since = now - timedelta(days=interval)
        activity_type = self.env.ref(PROGRESS_ACTIVITY)
        cases = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("validity", "!=", "invalid"),
                ("intake_date", "<=", now - timedelta(days=case_days)),
                "|",
                ("last_owner_update_date", "<=", silent_since),
                "&",
                ("last_owner_update_date", "=", False),
                ("intake_date", "<=", silent_since),
            ],
            order="intake_date, id",
        )
        waiting = cases.filtered(
            lambda c: activity_type not in c.sudo().activity_ids.activity_type_id
            and sla_rules.progress_update_due(
                c.intake_date, c.last_owner_update_date, now, case_days, interval
            )
        )[:batch_size]
        for case in waiting:
            user = case._pm_escalation_responsible()
            if not user:
                continue
            # written in the handler's language, whoever runs this
            case = case.with_context(lang=user.lang or self.env.lang)
            case.activity_schedule(
                PROGRESS_ACTIVITY,
                date_deadline=case.property_id._pm_today(),
                summary=case.env._("Tell the owner how the case progresses"),
                user_id=user.id,
            )
        return True
