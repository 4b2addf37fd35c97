# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.pm_base.tools import cron, settings, staff
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import survey_rules

_logger = logging.getLogger(__name__)
# invitations emailed per run of the invitation cron (system parameter of the same name)
INVITATION_BATCH_PARAM = "pm_survey.invitation_batch_size"


class PmSurveyDistribution(models.Model):
    """One questionnaire form handed to one unit in a campaign (R-SUR-3): who handed
    it out and when, the owner's sign-off, when it came back, signed or anonymous, and
    the answer it carries."""

    _name = "pm.survey.distribution"
    _description = "Survey Form Distribution"
    _inherit = ["mail.thread", "pm.workflow.guard.mixin"]
    _order = "campaign_id, unit_id, id"
    # R-SUR-5/7: a form is returned by its answer, never by typing a date
    _pm_protected_fields = ("state", "invitation_sent", "returned_at")
    _rec_name = "unit_id"

    campaign_id = fields.Many2one(
        "pm.survey.campaign", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="campaign_id.property_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, index=True, precompute=True
    )
    unit_id = fields.Many2one(
        "pm.unit",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('property_id', '=', property_id), ('state', '=', 'occupied')]",
    )
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    channel = fields.Selection(
        [("paper", "Paper Form"), ("online", "Online")],
        required=True,
        default="paper",
    )
    # hand-out
    distributed_by_id = staff.user("Handed Out By")
    distributed_at = fields.Datetime(string="Handed Out On", tracking=True)
    signed_off = fields.Boolean(
        string="Owner Signed Receipt", help="The owner signed for the form (签收)."
    )
    # return
    returned_at = fields.Datetime(string="Returned On", tracking=True, readonly=True)
    respondent = fields.Selection(
        [("signed", "Signed"), ("anonymous", "Anonymous")],
        help="Whether the owner signed the returned form; signed forms allow a "
        "return visit.",
    )
    user_input_ids = fields.One2many(
        "survey.user_input", "pm_distribution_id", string="Answers"
    )
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Answer",
        compute="_compute_user_input_id",
        help="The completed answer of this form, else the pending online one.",
    )
    survey_url = fields.Char(compute="_compute_survey_url")
    invitation_sent = fields.Boolean(readonly=True, copy=False)
    invitation_pending = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Waiting for the invitation cron to email the survey link.",
    )
    state = fields.Selection(
        [
            ("draft", "To Hand Out"),
            ("distributed", "Handed Out"),
            ("returned", "Returned"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )

    @api.depends("unit_id")
    def _compute_partner_id(self):
        for line in self:
            line.partner_id = line.unit_id.owner_ids[:1]

    @api.depends("distributed_at", "returned_at")
    def _compute_state(self):
        for line in self:
            if line.returned_at:
                line.state = "returned"
            elif line.distributed_at:
                line.state = "distributed"
            else:
                line.state = "draft"

    @api.depends("user_input_ids.state")
    def _compute_user_input_id(self):
        for line in self:
            inputs = line.user_input_ids.sorted("id", reverse=True)
            line.user_input_id = (
                inputs.filtered(lambda i: i.state == "done")[:1] or inputs[:1]
            )

    def _compute_survey_url(self):
        for line in self:
            answer = line.user_input_id
            line.survey_url = (
                f"{line.get_base_url()}{answer.get_start_url()}" if answer else False
            )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("unit_id", "campaign_id")
    def _check_unit(self):
        for line in self:
            if line.unit_id.property_id != line.campaign_id.property_id:
                raise ValidationError(
                    _(
                        "Unit %(unit)s does not belong to property %(property)s of "
                        "campaign %(name)s.",
                        unit=line.unit_id.display_name,
                        property=line.campaign_id.property_id.display_name,
                        name=line.campaign_id.name,
                    )
                )
            if line.unit_id.state != "occupied":
                raise ValidationError(
                    _(
                        "Unit %s is not occupied: forms go to occupied units only.",
                        line.unit_id.display_name,
                    )
                )
            twins = self.search_count(
                [
                    ("campaign_id", "=", line.campaign_id.id),
                    ("unit_id", "=", line.unit_id.id),
                    ("id", "!=", line.id),
                ]
            )
            if twins:
                raise ValidationError(
                    _(
                        "Unit %(unit)s already has a form in campaign %(name)s.",
                        unit=line.unit_id.display_name,
                        name=line.campaign_id.name,
                    )
                )

    @api.constrains("distributed_at", "returned_at", "channel")
    def _check_times(self):
        params = self.env["pm.survey.campaign"]._rule_params()
        hour_from, hour_to = params["hour_from"], params["hour_to"]
        for line in self:
            campaign = line.campaign_id
            if line.returned_at and not line.distributed_at:
                raise ValidationError(
                    _(
                        "The form of unit %s was never handed out and cannot be "
                        "returned.",
                        line.unit_id.display_name,
                    )
                )
            if line.returned_at and line.returned_at < line.distributed_at:
                raise ValidationError(
                    _(
                        "The form of unit %s cannot come back before it was handed "
                        "out.",
                        line.unit_id.display_name,
                    )
                )
            if line.returned_at and not survey_rules.in_window(
                campaign._localize(line.returned_at),
                campaign.date_start,
                campaign.date_end,
            ):
                raise ValidationError(
                    _(
                        "The answer of unit %(unit)s comes on %(date)s, outside the "
                        "collection window %(start)s - %(end)s of campaign %(name)s.",
                        unit=line.unit_id.display_name,
                        date=campaign._localize(line.returned_at).date(),
                        start=campaign.date_start,
                        end=campaign.date_end,
                        name=campaign.name,
                    )
                )
            if line.channel != "paper":
                continue
            # door visits only at reasonable hours, in the property's time (R-SUR-4)
            for moment in (line.distributed_at, line.returned_at):
                if moment and not survey_rules.within_hours(
                    campaign._localize(moment), hour_from, hour_to
                ):
                    raise ValidationError(
                        _(
                            "Unit %(unit)s: %(time)s is outside the visiting hours "
                            "%(from)s - %(to)s; do not disturb owners at that time.",
                            unit=line.unit_id.display_name,
                            time=campaign._localize(moment).strftime("%H:%M"),
                            **{
                                "from": survey_rules.float_to_hhmm(hour_from),
                                "to": survey_rules.float_to_hhmm(hour_to),
                            },
                        )
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.campaign_id._check_can_prepare_forms()
        return lines

    def _pm_frozen_records(self):
        # the forms of a closed campaign are its record (R-KEEP-1)
        return self.filtered(lambda line: line.campaign_id.state == "closed")

    def _pm_retention_kept(self):
        return self.filtered(
            lambda line: line.state != "draft" or line.campaign_id.state == "closed"
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_hand_out(self):
        """Record that the forms were handed out now by the current user."""
        self.campaign_id._check_running()
        self.filtered(lambda line: line.state == "draft").write(
            {
                "distributed_by_id": self.env.uid,
                "distributed_at": fields.Datetime.now(),
            }
        )
        return True

    def action_sign_off(self):
        self.filtered(lambda line: line.state != "draft").write({"signed_off": True})
        return True

    def action_send_invitation(self):
        self._send_invitation()
        return True

    def action_open_answer(self):
        self.ensure_one()
        return self.env["pm.survey.answer.wizard"]._action_open(self.campaign_id, self)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    @cron.exclusive_run
    def _cron_send_invitations(self, batch_size=None):
        """Email the survey links a campaign asked for, a batch per run (R-SUR-5):
        a property's two thousand owners never hold one request or one long
        transaction. Run by the scheduler, the batch is committed and what is left
        reported (``_commit_progress``): the scheduler runs the job again at once.
        Called from code, it stays in the caller's transaction and triggers the
        cron for the rest."""
        if batch_size is None:
            batch_size = settings.get(self.env, INVITATION_BATCH_PARAM)
        domain = [("invitation_pending", "=", True)]
        found = self.search(domain, limit=batch_size, order="id")
        # a line an organiser is saving right now waits for the next run
        lines = self.browse()

        def lock():
            nonlocal lines
            lines = cron.lock_free_rows(found)

        if not cron.run_batch(
            self.env, cron.job_name(self, "_cron_send_invitations"), lock
        ):
            self.env.ref("pm_survey.ir_cron_pm_survey_invitations")._trigger()
            return True
        for line in lines:
            try:
                with self.env.cr.savepoint():
                    line._send_invitation()
            except UserError as error:
                # answered meanwhile, email removed, campaign closed: nothing to send
                _logger.info(
                    "Survey invitation of %s skipped: %s", line.display_name, error
                )
        lines.write({"invitation_pending": False})
        remaining = self.search_count(
            Domain.AND([domain, [("id", "not in", (found - lines).ids)]])
        )
        if cron.scheduled(self.env):
            cron.commit_progress(self.env, len(lines), remaining)
        elif remaining:
            self.env.ref("pm_survey.ir_cron_pm_survey_invitations")._trigger()
        return True

    def _pm_invitation_reachable(self):
        """Whether the owner of the line can be sent the invitation."""
        self.ensure_one()
        return bool(self.partner_id.email)

    def _pm_send_invitation_message(self, template):
        """Queue the invitation of the line to its owner."""
        self.ensure_one()
        return template.send_mail(self.id)

    @workflow_action
    def _send_invitation(self):
        """Email each owner a personal survey link bound to the unit's form
        (R-SUR-5): the answer is a ``survey.user_input`` of this line whose deadline is
        the end of the collection window."""
        self.campaign_id._check_running()
        template = self.env.ref("pm_survey.mail_template_survey_invitation")
        for line in self:
            if line.state == "returned":
                raise UserError(
                    _("Unit %s already answered.", line.unit_id.display_name)
                )
            if not line._pm_invitation_reachable():
                raise UserError(
                    _(
                        "The owner of unit %s has no email address.",
                        line.unit_id.display_name,
                    )
                )
            if not line.user_input_ids.filtered(lambda i: i.state != "done"):
                line.campaign_id.survey_id.sudo()._create_answer(
                    partner=line.partner_id,
                    check_attempts=False,
                    pm_distribution_id=line.id,
                    deadline=line.campaign_id._window_bounds_utc()[1],
                )
            vals = {"invitation_sent": True}
            if line.state == "draft":
                vals.update(
                    channel="online",
                    distributed_by_id=self.env.uid,
                    distributed_at=fields.Datetime.now(),
                )
            line.write(vals)
            line.invalidate_recordset(["user_input_id"])
            line._pm_send_invitation_message(template)

    @workflow_action
    def _record_return(self, user_input, returned_at=None, respondent=None):
        """Bind a completed answer to this form (R-SUR-5): the unit answers once, and
        only inside the collection window."""
        self.ensure_one()
        if self.state == "returned":
            raise UserError(
                _(
                    "Unit %(unit)s already answered campaign %(name)s.",
                    unit=self.unit_id.display_name,
                    name=self.campaign_id.name,
                )
            )
        self.campaign_id._check_running()
        vals = {
            "returned_at": returned_at or fields.Datetime.now(),
            "respondent": respondent
            or ("signed" if user_input.partner_id else "anonymous"),
        }
        if not self.distributed_at:
            vals.update(
                distributed_at=vals["returned_at"], distributed_by_id=self.env.uid
            )
        self.write(vals)

    def _record_paper_answer(
        self,
        answers,
        returned_at=None,
        respondent="signed",
        opinion=None,
        opinion_item=None,
    ):
        """Key in a returned paper form (R-SUR-5): a completed ``survey.user_input``
        with one line per rated question, and the owner's opinion if any (R-SUR-8).

        :param answers: ``{survey.question: survey.question.answer}``
        """
        self.ensure_one()
        self.check_access("write")
        if self.state == "returned":
            raise UserError(
                _(
                    "Unit %(unit)s already answered campaign %(name)s.",
                    unit=self.unit_id.display_name,
                    name=self.campaign_id.name,
                )
            )
        survey = self.campaign_id.survey_id
        line_vals = []
        for question, answer in answers.items():
            if question.survey_id != survey or answer.question_id != question:
                raise UserError(
                    _(
                        "The answer %(answer)s does not belong to the question "
                        "%(question)s of this questionnaire.",
                        answer=answer.value,
                        question=question.title,
                    )
                )
            line_vals.append(
                fields.Command.create(
                    {
                        "question_id": question.id,
                        "answer_type": "suggestion",
                        "suggested_answer_id": answer.id,
                    }
                )
            )
        text_question = survey.question_ids.filtered(
            lambda q: q.question_type == "text_box"
        )[:1]
        if opinion and text_question:
            line_vals.append(
                fields.Command.create(
                    {
                        "question_id": text_question.id,
                        "answer_type": "text_box",
                        "value_text_box": opinion,
                    }
                )
            )
        # the form's access was checked above; survey rules only let the author of
        # a questionnaire write its answers
        user_input = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                {
                    "survey_id": survey.id,
                    "pm_distribution_id": self.id,
                    "partner_id": respondent == "signed" and self.partner_id.id,
                    "state": "in_progress",
                    "user_input_line_ids": line_vals,
                }
            )
        )
        user_input.with_context(
            pm_returned_at=returned_at, pm_respondent=respondent
        )._mark_done()
        if opinion:
            self.env["pm.survey.opinion"].create(
                {
                    "name": opinion.strip().splitlines()[0][:80],
                    "description": opinion,
                    "campaign_id": self.campaign_id.id,
                    "distribution_id": self.id,
                    "item_id": opinion_item.id if opinion_item else False,
                    "partner_ids": [
                        fields.Command.set(
                            self.partner_id.ids if respondent == "signed" else []
                        )
                    ],
                }
            )
        return user_input
