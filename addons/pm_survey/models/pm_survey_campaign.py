# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.pm_base.tools import approvals, clock, rates, settings, staff
from odoo.addons.pm_base.tools.approvals import GROUP, ApprovalStep
from odoo.addons.pm_base.tools.write_guard import (
    workflow_action,
)

from . import survey_rules

# the settings of the survey rules, by the name the rules use (R-SUR-3/4/7)
RULE_PARAMS = {
    "area_threshold": "pm_survey.quota_area_threshold",
    "small_rate": "pm_survey.quota_rate_small",
    "large_rate": "pm_survey.quota_rate_large",
    "window_min_days": "pm_survey.window_min_days",
    "window_max_days": "pm_survey.window_max_days",
    "hour_from": "pm_survey.visit_hour_from",
    "hour_to": "pm_survey.visit_hour_to",
    "recovery_min_rate": "pm_survey.recovery_min_rate",
}

QUESTIONNAIRE_TEMPLATES = {
    "5": "pm_survey.pm_survey_template_5",
    "3": "pm_survey.pm_survey_template_3",
}


class PmSurveyCampaign(models.Model):
    """An owner satisfaction survey campaign 业主意见征询活动 of one property and
    period (R-SUR-1), on an Odoo questionnaire."""

    _name = "pm.survey.campaign"
    _description = "Survey Campaign"
    _inherit = [
        "pm.property.bound.mixin",
        "pm.approval.mixin",
        "pm.workflow.guard.mixin",
        "pm.rate.mixin",
        "pm.survey.campaign.cycle",
    ]
    # R-RATE-1: grouped, each rate is the ratio of the sums of its parts
    _pm_rates = {
        "recovery_rate": ("returned_count:sum", "distributed_count:sum"),
        "satisfaction_rate": ("satisfied_answer_count:sum", "valid_answer_count:sum"),
    }
    # R-SUR-2 / R-APPROVE-1: each step is recorded by its action (the approval
    # engine guards the state and the fields of its steps); the figures are
    # computed, never typed in
    _pm_protected_fields = (
        "closed_date",
        "occupied_unit_count",
        "target_count",
        "distributed_count",
        "returned_count",
        "recovery_rate",
        "recovery_low",
        "valid_form_count",
        "valid_answer_count",
        "satisfied_answer_count",
        "satisfaction_rate",
    )
    _pm_frozen_states = ("closed",)
    _order = "date_start desc, id desc"

    # identity
    name = fields.Char(
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    # R-KEEP-1: kept records are archived, never deleted
    active = fields.Boolean(default=True)
    property_id = fields.Many2one(tracking=True)
    year = fields.Integer(
        required=True,
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
    )
    period = fields.Selection(
        [("h1", "First Half"), ("h2", "Second Half"), ("year", "Full Year")],
        required=True,
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
        help="Campaigns run at least yearly; half-yearly by default.",
    )
    purpose = fields.Text(help="Why this campaign is run and what it focuses on.")
    color = fields.Integer()
    # questionnaire
    survey_id = fields.Many2one(
        "survey.survey",
        string="Questionnaire",
        ondelete="restrict",
        copy=False,
        help="Left empty, a copy of the ready questionnaire of the chosen scale is "
        "created.",
    )
    scale = fields.Selection(
        [("3", "3 Levels"), ("5", "5 Levels")],
        required=True,
        default="5",
        help="3 levels: very satisfied / basically satisfied / dissatisfied; 5 levels "
        "add satisfied and very dissatisfied.",
    )
    item_line_ids = fields.One2many(
        "pm.survey.campaign.item", "campaign_id", string="Service Items", copy=True
    )
    # dates and staff
    date_start = fields.Date(string="Collection Start", required=True, tracking=True)
    date_end = fields.Date(string="Collection End", required=True, tracking=True)
    window_days = fields.Integer(
        string="Collection Days", compute="_compute_window_days"
    )
    window_override = fields.Boolean(
        string="Override Collection Window",
        help="Allow a collection window outside the configured 10-15 days.",
    )
    window_override_reason = fields.Text()
    user_id = staff.user(
        "Responsible", default=lambda self: self.env.user, tracking=True
    )
    staff_ids = staff.users(
        "pm_survey_campaign_staff_rel",
        "campaign_id",
        help="Staff who hand out and collect the forms.",
    )
    # state and approval (R-SUR-2)
    state = approvals.state_field(
        [
            ("confirmed", "Confirmed"),
            ("reviewed", "Reviewed"),
            ("approved", "Approved"),
            ("running", "Running"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
        group_expand="_expand_states",
        help="Drafted by customer service, confirmed by its manager (service-centre "
        "director), reviewed by the deputy general manager (quality department), "
        "approved by the general manager (manager), then run and closed.",
    )
    submit_user_id = fields.Many2one(
        "res.users", "Drafted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime("Submitted On", readonly=True, copy=False)
    confirm_user_id = fields.Many2one(
        "res.users", "Confirmed By", readonly=True, copy=False
    )
    confirm_date = fields.Datetime("Confirmed On", readonly=True, copy=False)
    review_user_id = fields.Many2one(
        "res.users", "Reviewed By", readonly=True, copy=False
    )
    review_date = fields.Datetime("Reviewed On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", "Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime("Approved On", readonly=True, copy=False)
    close_reason = fields.Text(
        string="Closing Note",
        copy=False,
        help="Required to close a campaign whose recovery rate is below the "
        "minimum.",
    )
    closed_date = fields.Datetime(readonly=True, copy=False)
    # distribution (R-SUR-3)
    distribution_ids = fields.One2many("pm.survey.distribution", "campaign_id")
    occupied_unit_count = fields.Integer(
        string="Occupied Units",
        compute="_compute_target_count",
        store=True,
        help="Occupied units of the property when the target was computed.",
    )
    target_count = fields.Integer(
        string="Forms to Hand Out",
        compute="_compute_target_count",
        store=True,
        help="98 % of the occupied units below 50,000 m², 90 % at or above, rounded "
        "up (configurable). Frozen when the campaign starts.",
    )
    distributed_count = fields.Integer(
        string="Handed Out", compute="_compute_distribution_counts", store=True
    )
    returned_count = fields.Integer(
        string="Returned", compute="_compute_distribution_counts", store=True
    )
    recovery_rate = fields.Float(
        string="Recovery Rate (%)",
        compute="_compute_distribution_counts",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Forms returned / forms handed out; grouped, the returned forms of the "
        "group over its handed-out forms.",
    )
    recovery_rate_display = fields.Char(
        string="Recovery Rate",
        compute="_compute_rate_display",
        help='Forms returned / forms handed out; "—" while no form is handed out.',
    )
    recovery_low = fields.Boolean(
        string="Low Recovery",
        compute="_compute_distribution_counts",
        store=True,
        help="Recovery rate below the configured minimum (30 % by default).",
    )
    # answers (R-SUR-6): forms count households, ratings count rated items;
    # counted as each form comes back, never by scanning the whole campaign again
    valid_form_count = fields.Integer(
        string="Valid Forms",
        readonly=True,
        default=0,
        copy=False,
        help="Returned forms with at least one rated service item (有效答卷).",
    )
    valid_answer_count = fields.Integer(
        string="Valid Ratings",
        compute="_compute_statistics",
        store=True,
        help="Rated service items on the returned forms: one per item per form.",
    )
    satisfied_answer_count = fields.Integer(
        string="Satisfied Ratings",
        compute="_compute_statistics",
        store=True,
        help="Ratings very satisfied, satisfied or basically satisfied.",
    )
    satisfaction_rate = fields.Float(
        string="Satisfaction Rate (%)",
        compute="_compute_statistics",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Satisfied ratings / valid ratings; grouped, the satisfied ratings of "
        "the group over its valid ratings.",
    )
    satisfaction_rate_display = fields.Char(
        string="Satisfaction Rate",
        compute="_compute_rate_display",
        help='Satisfied ratings / valid ratings; "—" while no form came back.',
    )
    previous_campaign_id = fields.Many2one(
        "pm.survey.campaign", compute="_compute_previous_campaign"
    )
    previous_satisfaction_rate = fields.Float(
        string="Previous Satisfaction (%)",
        compute="_compute_previous_campaign",
        digits=(16, 2),
    )
    satisfaction_delta = fields.Float(
        string="Change in Points",
        compute="_compute_previous_campaign",
        digits=(16, 2),
    )
    previous_satisfaction_display = fields.Char(
        string="Previous Satisfaction", compute="_compute_previous_display"
    )
    satisfaction_delta_display = fields.Char(
        string="Change (points)", compute="_compute_previous_display"
    )
    # follow-up (R-SUR-8, R-SUR-10)
    opinion_ids = fields.One2many("pm.survey.opinion", "campaign_id", "Opinions")
    opinion_count = fields.Integer(compute="_compute_opinion_count")
    symposium_ids = fields.One2many("pm.survey.symposium", "campaign_id", "Symposiums")
    # the analysis on its way to the owners (R-SUR-9): one per campaign
    analysis_ids = fields.One2many("pm.survey.analysis", "campaign_id")
    analysis_id = fields.Many2one(
        "pm.survey.analysis",
        string="Analysis Review",
        compute="_compute_analysis_id",
    )

    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("date_start")
    def _compute_period(self):
        for campaign in self:
            day = campaign.date_start or fields.Date.context_today(self)
            campaign.year = day.year
            if campaign.period != "year":
                campaign.period = "h1" if day.month <= 6 else "h2"

    @api.depends("property_id", "year", "period")
    def _compute_name(self):
        periods = dict(self._fields["period"]._description_selection(self.env))
        for campaign in self:
            if campaign.name or not campaign.property_id:
                continue
            campaign.name = _(
                "%(property)s %(year)s %(period)s Owner Survey",
                property=campaign.property_id.name,
                year=campaign.year,
                period=periods.get(campaign.period, ""),
            )

    @api.depends("date_start", "date_end")
    def _compute_window_days(self):
        for campaign in self:
            campaign.window_days = (
                survey_rules.collection_window_days(
                    campaign.date_start, campaign.date_end
                )
                if campaign.date_start and campaign.date_end
                else 0
            )

    @api.depends("property_id", "property_id.total_floor_area")
    def _compute_target_count(self):
        params = self._rule_params()
        occupied = dict(
            self.env["pm.unit"]._read_group(
                [
                    ("property_id", "in", self.property_id.ids),
                    ("state", "=", "occupied"),
                ],
                ["property_id"],
                ["__count"],
            )
        )
        for campaign in self:
            count = occupied.get(campaign.property_id, 0)
            campaign.occupied_unit_count = count
            campaign.target_count = survey_rules.distribution_quota(
                count,
                campaign.property_id.total_floor_area,
                params["area_threshold"],
                params["small_rate"],
                params["large_rate"],
            )

    @api.depends("distribution_ids.state", "state")
    def _compute_distribution_counts(self):
        minimum = self._rule_params()["recovery_min_rate"]
        counts = defaultdict(int)
        for campaign, state, count in self.env["pm.survey.distribution"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts[campaign.id, state] = count
        for campaign in self:
            returned = counts[campaign.id, "returned"]
            distributed = counts[campaign.id, "distributed"] + returned
            campaign.distributed_count = distributed
            campaign.returned_count = returned
            campaign.recovery_rate = (
                survey_rules.recovery_rate(returned, distributed) or 0.0
            )
            campaign.recovery_low = campaign.state in (
                "running",
                "closed",
            ) and survey_rules.is_recovery_low(returned, distributed, minimum)

    @api.depends("item_line_ids.valid_count", "item_line_ids.satisfied_count")
    def _compute_statistics(self):
        for campaign in self:
            lines = campaign.item_line_ids
            valid = sum(lines.mapped("valid_count"))
            satisfied = sum(lines.mapped("satisfied_count"))
            campaign.valid_answer_count = valid
            campaign.satisfied_answer_count = satisfied
            campaign.satisfaction_rate = rates.rate(satisfied, valid) or 0.0

    @api.depends(
        "returned_count",
        "distributed_count",
        "satisfied_answer_count",
        "valid_answer_count",
    )
    def _compute_rate_display(self):
        # no query: lists show these for every campaign
        for campaign in self:
            campaign.recovery_rate_display = rates.format_rate(
                rates.rate(campaign.returned_count, campaign.distributed_count), "%"
            )
            campaign.satisfaction_rate_display = rates.format_rate(
                rates.rate(
                    campaign.satisfied_answer_count, campaign.valid_answer_count
                ),
                "%",
            )

    @api.depends("satisfied_answer_count", "valid_answer_count", "previous_campaign_id")
    def _compute_previous_display(self):
        for campaign in self:
            previous = campaign.previous_campaign_id
            campaign.previous_satisfaction_display = rates.format_rate(
                rates.rate(
                    previous.satisfied_answer_count, previous.valid_answer_count
                ),
                "%",
            )
            campaign.satisfaction_delta_display = survey_rules.format_delta(
                campaign.satisfied_answer_count,
                campaign.valid_answer_count,
                previous.satisfied_answer_count,
                previous.valid_answer_count,
            )

    @api.depends("property_id", "date_start")
    def _compute_previous_campaign(self):
        for campaign in self:
            previous = self.browse()
            if campaign.property_id and campaign.date_start:
                previous = self.search(
                    [
                        ("property_id", "=", campaign.property_id.id),
                        ("state", "=", "closed"),
                        ("date_start", "<", campaign.date_start),
                        ("id", "!=", campaign._origin.id),
                    ],
                    order="date_start desc, id desc",
                    limit=1,
                )
            campaign.previous_campaign_id = previous
            campaign.previous_satisfaction_rate = previous.satisfaction_rate
            campaign.satisfaction_delta = (
                round(campaign.satisfaction_rate - previous.satisfaction_rate, 2)
                # a change needs two measured rates (R-RATE-1)
                if previous.valid_answer_count and campaign.valid_answer_count
                else 0.0
            )

    @api.depends("analysis_ids")
    def _compute_analysis_id(self):
        for campaign in self:
            campaign.analysis_id = campaign.analysis_ids[:1]

    def _compute_opinion_count(self):
        counts = dict(
            self.env["pm.survey.opinion"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.opinion_count = counts.get(campaign, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("date_start", "date_end", "window_override")
    def _check_collection_window(self):
        params = self._rule_params()
        for campaign in self:
            error = survey_rules.window_error(
                campaign.date_start,
                campaign.date_end,
                params["window_min_days"],
                params["window_max_days"],
                campaign.window_override,
            )
            if error == "reversed":
                raise ValidationError(
                    _(
                        "Campaign %(name)s: the collection end %(end)s is before its "
                        "start %(start)s.",
                        name=campaign.name,
                        end=campaign.date_end,
                        start=campaign.date_start,
                    )
                )
            if error:
                raise ValidationError(
                    _(
                        "Campaign %(name)s: the collection window lasts %(days)s days; "
                        "it must last %(min)s to %(max)s days unless you override it "
                        "with a reason.",
                        name=campaign.name,
                        days=campaign.window_days,
                        min=int(params["window_min_days"]),
                        max=int(params["window_max_days"]),
                    )
                )

    @api.constrains("window_override", "window_override_reason")
    def _check_window_override_reason(self):
        for campaign in self:
            if (
                campaign.window_override
                and not (campaign.window_override_reason or "").strip()
            ):
                raise ValidationError(
                    _(
                        "Campaign %s: give the reason for overriding the collection "
                        "window.",
                        campaign.name,
                    )
                )

    @api.constrains("scale", "item_line_ids")
    def _check_scale(self):
        for campaign in self:
            expected = set(survey_rules.SCALE_LEVELS[campaign.scale])
            for line in campaign.item_line_ids:
                levels = set(line.question_id.suggested_answer_ids.mapped("pm_level"))
                if levels != expected:
                    raise ValidationError(
                        _(
                            "Question %(question)s of campaign %(name)s does not "
                            "offer the answers of a %(scale)s-level satisfaction "
                            "scale.",
                            question=line.question_id.title,
                            name=campaign.name,
                            scale=campaign.scale,
                        )
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns:
            if not campaign.survey_id:
                campaign.survey_id = campaign._copy_questionnaire_template()
            if not campaign.item_line_ids:
                campaign._sync_item_lines()
        return campaigns

    def write(self, vals):
        res = super().write(vals)
        if "survey_id" in vals:
            for campaign in self.filtered("survey_id"):
                campaign._sync_item_lines()
        return res

    def _pm_retention_kept(self):
        return self.filtered(lambda c: c.state not in ("draft", "cancelled"))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_submit(self):
        """R-SUR-2 step 1: customer service submits the draft plan, with its
        distribution list (R-APPROVE-1: never empty)."""
        return self._pm_approval_submit(
            "distribution_ids",
            _(
                "Campaign %s has no distribution lines: prepare the forms to hand "
                "out before submitting it."
            ),
        )

    def action_confirm(self):
        """R-SUR-2 step 2: the customer-service manager (director) confirms."""
        return self._pm_approval_advance("confirm")

    def action_review(self):
        """R-SUR-2 step 3: the deputy general manager (quality department) reviews."""
        return self._pm_approval_advance("review")

    def action_approve(self):
        """R-SUR-2 step 4: the general manager (manager group) approves."""
        return self._pm_approval_advance("approve")

    @workflow_action
    def action_start(self):
        """Start handing out forms: freezes the target count (R-SUR-3)."""
        for campaign in self:
            if campaign.state != "approved":
                raise UserError(
                    _("Campaign %s must be approved before it starts.", campaign.name)
                )
            if not campaign.item_line_ids:
                raise UserError(
                    _("Campaign %s has no service item to rate.", campaign.name)
                )
        self._compute_target_count()
        self._check_forms_to_hand_out()
        self.write({"state": "running"})
        return True

    @workflow_action
    def action_close(self):
        """Close a running campaign. Below the minimum recovery rate a closing note
        is required (R-SUR-7)."""
        minimum = self._rule_params()["recovery_min_rate"]
        for campaign in self:
            if campaign.state != "running":
                raise UserError(_("Only a running campaign can be closed."))
            if (
                survey_rules.is_recovery_low(
                    campaign.returned_count, campaign.distributed_count, minimum
                )
                and not (campaign.close_reason or "").strip()
            ):
                raise UserError(
                    _(
                        "Campaign %(name)s recovered %(rate)s of its forms, below "
                        "the minimum of %(min)s %%: write a closing note explaining "
                        "why before closing it.",
                        name=campaign.name,
                        rate=campaign.recovery_rate_display,
                        min=minimum,
                    )
                )
        self.write({"state": "closed", "closed_date": fields.Datetime.now()})
        return True

    @workflow_action
    def action_cancel(self):
        if any(c.state == "closed" for c in self):
            raise UserError(_("A closed campaign cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    @workflow_action
    def action_reset_draft(self):
        self.filtered(lambda c: c.state == "cancelled").write({"state": "draft"})
        return True

    def action_generate_distribution(self):
        """Create the distribution lines: occupied units of the property not yet
        listed, up to the target count (R-SUR-3)."""
        Distribution = self.env["pm.survey.distribution"]
        self._check_can_prepare_forms()
        # a draft's quota follows the units until the campaign starts
        self.filtered(lambda c: c.state == "draft")._compute_target_count()
        self._check_forms_to_hand_out()
        for campaign in self:
            missing = campaign.target_count - len(campaign.distribution_ids)
            if missing <= 0:
                continue
            units = self.env["pm.unit"].search(
                [
                    ("property_id", "=", campaign.property_id.id),
                    ("state", "=", "occupied"),
                    ("id", "not in", campaign.distribution_ids.unit_id.ids),
                ],
                limit=missing,
            )
            Distribution.create(
                [{"campaign_id": campaign.id, "unit_id": unit.id} for unit in units]
            )
        return True

    def action_send_invitations(self):
        """Email the survey link to the owners of the lines that have no answer yet
        (R-SUR-5). The emails are made by the invitation cron in batches, started
        at once: the button returns immediately, whatever the number of owners."""
        for campaign in self:
            campaign._check_running()
        lines = self.distribution_ids.filtered(
            lambda d: d.state != "returned" and d._pm_invitation_reachable()
        )
        lines.write({"invitation_pending": True})
        self.env.ref("pm_survey.ir_cron_pm_survey_invitations")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "The survey link is being emailed to %s owners.", len(lines)
                ),
            },
        }

    def action_open_answer_wizard(self):
        self.ensure_one()
        return self.env["pm.survey.answer.wizard"]._action_open(self)

    def action_view_distribution(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_survey.pm_survey_distribution_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_opinions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_survey.pm_survey_opinion_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_export_xlsx(self):
        """R-SUR-9: xlsx with every answer and every rate, as a downloadable
        attachment of the campaign."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                # the campaign name is already in the reader's language
                "name": f"{self.name}.xlsx",
                "raw": self.env["pm.survey.xlsx"]._generate(self),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _rule_params(self):
        """The configurable numbers of the survey rules (R-SUR-3/4/7)."""
        return {name: settings.get(self.env, key) for name, key in RULE_PARAMS.items()}

    def _check_running(self):
        for campaign in self:
            if campaign.state != "running":
                raise UserError(
                    _(
                        "Campaign %s is not running: forms are handed out and "
                        "answered only while it runs.",
                        campaign.name,
                    )
                )

    def _check_forms_to_hand_out(self):
        """A campaign with a quota of 0 (no occupied unit) has nothing to hand out:
        it neither starts nor prepares forms (R-SUR-3)."""
        for campaign in self:
            if not campaign.target_count:
                raise UserError(
                    _(
                        "Campaign %(name)s has no form to hand out: property "
                        "%(property)s has no occupied unit. Record the occupied units "
                        "of the property first.",
                        name=campaign.name,
                        property=campaign.property_id.display_name,
                    )
                )

    def _check_running_or_approved(self):
        for campaign in self:
            if campaign.state not in ("approved", "running"):
                raise UserError(
                    _(
                        "Campaign %s is not approved yet: prepare its forms once it "
                        "is.",
                        campaign.name,
                    )
                )

    def _check_can_prepare_forms(self):
        """Forms are listed while drafting, so that the approvers see the list
        (R-APPROVE-1), and once approved; never while under approval."""
        self.filtered(lambda c: c.state != "draft")._check_running_or_approved()

    @api.model
    def _pm_approval_steps(self):
        """R-SUR-2: drafted by customer service, confirmed by its manager
        (director), reviewed by the deputy general manager (quality department),
        approved by the general manager (manager); sent back, the draft keeps its
        author."""
        return (
            self._pm_approval_submission(
                "submit_user_id", "submit_date", kept_on_reject=True
            ),
            ApprovalStep(
                "confirm",
                "submitted",
                "confirmed",
                GROUP + "director",
                "confirm_user_id",
                "confirm_date",
                summary=_("Campaign to be %s", _("confirmed")),
            ),
            ApprovalStep(
                "review",
                "confirmed",
                "reviewed",
                GROUP + "quality",
                "review_user_id",
                "review_date",
                summary=_("Campaign to be %s", _("reviewed")),
            ),
            ApprovalStep(
                "approve",
                "reviewed",
                "approved",
                GROUP + "manager",
                "approve_user_id",
                "approve_date",
                summary=_("Campaign to be %s", _("approved")),
            ),
        )

    def _copy_questionnaire_template(self):
        self.ensure_one()
        template = self.env.ref(QUESTIONNAIRE_TEMPLATES[self.scale])
        survey = template.copy()
        self._pm_name_questionnaire(survey)
        return survey

    def _pm_name_questionnaire(self, survey):
        """survey's copy names it "… (copy)" whatever the default says: the
        questionnaire carries the campaign's name in every language."""
        self.ensure_one()
        survey.update_field_translations(
            "title",
            {code: self.name for code, _name in self.env["res.lang"].get_installed()},
        )

    def _sync_item_lines(self):
        """Map the service items to the questions of the questionnaire that carry
        one."""
        self.ensure_one()
        questions = self.survey_id.question_ids.filtered("pm_item_id")
        self.item_line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "item_id": question.pm_item_id.id,
                    "question_id": question.id,
                    "sequence": question.sequence,
                }
            )
            for question in questions
        ]

    def _window_bounds_utc(self):
        """Start and end of the collection window as naive UTC datetimes, the days
        taken in the property's timezone."""
        self.ensure_one()
        return clock.day_bounds_utc(self.date_start, self.date_end, self.property_id.tz)

    def _localize(self, utc_dt):
        """A naive UTC datetime in the property's timezone."""
        self.ensure_one()
        return clock.local_time(utc_dt, self.property_id.tz)

    def _report_item_rows(self):
        """Rows of the per-item table of the reports."""
        self.ensure_one()
        rows = []
        for line in self.item_line_ids:
            rows.append(
                {
                    "item": line.item_id.name,
                    "counts": [line[f"count_{level}"] for level in self._levels()],
                    "valid": line.valid_count,
                    "satisfied": line.satisfied_count,
                    # None: nothing to measure, shown "—" (R-RATE-1)
                    "rate": rates.rate(line.satisfied_count, line.valid_count),
                    "rate_display": line.satisfaction_rate_display,
                    "previous": line.has_previous and line.previous_rate,
                    "previous_display": line.previous_rate_display,
                    "has_previous": line.has_previous,
                }
            )
        return rows

    def _levels(self):
        self.ensure_one()
        return survey_rules.SCALE_LEVELS[self.scale]

    def _level_labels(self):
        self.ensure_one()
        labels = dict(
            self.env["survey.question.answer"]
            ._fields["pm_level"]
            ._description_selection(self.env)
        )
        return [labels[level] for level in self._levels()]
