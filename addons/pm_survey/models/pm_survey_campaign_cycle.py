# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The survey cycle (R-SUR-1, R-SUR-2, R-APPROVE-1): a campaign every half year,
prepared by a cron from the last one and submitted for approval."""

import logging

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.pm_base.tools import cron, settings
from odoo.addons.pm_base.tools.settings import SURVEY

from . import survey_rules

_logger = logging.getLogger(__name__)

CYCLE_CRON = "pm_survey.ir_cron_pm_survey_prepare_campaigns"
TODO_ACTIVITY = "mail.mail_activity_data_todo"


class PmSurveyCampaignCycle(models.AbstractModel):
    """The cycle of ``pm.survey.campaign`` (which inherits this): the next
    campaign prepared by the cron, the analysis of a closed one sent for
    review."""

    _name = "pm.survey.campaign.cycle"
    _description = "Survey Campaign Cycle"

    @api.model
    @cron.exclusive_run
    def _cron_prepare_next_campaigns(self, batch_size=20):
        """Prepare the campaign of the next period of every property that ran one
        (R-SUR-1): on its preparation date (the period's start less the lead days,
        at the property), a draft copied from the property's last campaign
        (questionnaire, households, window, staff) is created and submitted to the
        approvers of campaigns (R-SUR-2). A draft without households is not
        submitted: its responsible is asked to prepare it (R-APPROVE-1).

        Idempotent: a property that has a campaign of the period, in any state,
        gets none; a run prepares ``batch_size`` campaigns at most and tells the
        scheduler what is left."""
        due = self.sudo()._pm_cycle_due()
        todo, left = due[:batch_size], due[batch_size:]
        for last, period in todo:
            last._pm_prepare_next_campaign(period)
        if cron.scheduled(self.env):
            cron.commit_progress(self.env, len(todo), len(left))
        elif left:
            self.env.ref(CYCLE_CRON)._trigger()
        return True

    @api.model
    def _pm_cycle_due(self):
        """``[(last campaign, (start, year, period))]``: the properties whose next
        campaign is due today at the property and not made yet. One query for the
        last campaigns, one for the campaigns of the due periods."""
        lead = settings.get(self.env, SURVEY + "prepare_lead_days")
        months = settings.get(self.env, SURVEY + "cycle_months")
        # the last campaign of each active property (indexed on property_id)
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (c.property_id) c.id
                     FROM pm_survey_campaign c
                     JOIN pm_property p ON p.id = c.property_id
                    WHERE c.active AND c.state != 'cancelled' AND p.active
                 ORDER BY c.property_id, c.date_start DESC, c.id DESC"""
            )
        )
        lasts = self.browse([row[0] for row in self.env.cr.fetchall()])
        candidates = []
        for last in lasts:
            # R-TZ-1: the preparation date is a day at the property
            today = last.property_id._pm_today()
            period = survey_rules.due_period(today, lead, months)
            if last.date_start < period[0]:
                candidates.append((last, period))
        if not candidates:
            return []
        # never two campaigns of a period: any state, archived ones too
        existing = self.with_context(active_test=False)._read_group(
            [
                ("property_id", "in", [last.property_id.id for last, _p in candidates]),
                ("year", "in", list({period[1] for _l, period in candidates})),
            ],
            ["property_id", "year", "period"],
        )
        made = {}
        for prop, year, period in existing:
            made.setdefault((prop.id, year), set()).add(period)
        due = []
        for last, (start, year, period) in candidates:
            periods = made.get((last.property_id.id, year), set())
            if period in periods or "year" in periods or (period == "year" and periods):
                continue
            due.append((last, (start, year, period)))
        return due

    def _pm_prepare_next_campaign(self, period):
        """Create the campaign of ``period`` (``(start, year, period)``) as a copy
        of this one, its last, and submit it; a campaign with no household to
        hand a form to is left in draft and its responsible asked to prepare it
        (R-APPROVE-1). Runs as the system (the cron)."""
        self.ensure_one()
        start, year, key = period
        campaign = self.create(
            {
                "property_id": self.property_id.id,
                "year": year,
                "period": key,
                "date_start": start,
                "date_end": start + (self.date_end - self.date_start),
                "window_override": self.window_override,
                "window_override_reason": self.window_override_reason,
                "scale": self.scale,
                "purpose": self.purpose,
                "survey_id": self._pm_copy_questionnaire().id,
                "user_id": self.user_id.id,
                "staff_ids": [(6, 0, self.staff_ids.ids)],
            }
        )
        campaign._pm_name_questionnaire(campaign.survey_id)
        # the households of the last campaign that still live there
        units = self.env["pm.unit"].search(
            [
                ("id", "in", self.distribution_ids.unit_id.ids),
                ("property_id", "=", self.property_id.id),
                ("state", "=", "occupied"),
            ]
        )
        self.env["pm.survey.distribution"].create(
            [{"campaign_id": campaign.id, "unit_id": unit.id} for unit in units]
        )
        campaign.message_post(
            subtype_xmlid="mail.mt_note",
            body=_(
                "Prepared by the survey cycle from campaign %s, with its "
                "questionnaire and households.",
                self.name,
            ),
        )
        empty = campaign._pm_approval_submit_scheduled("distribution_ids")
        if empty:
            responsible = campaign.user_id.filtered("active") or (
                campaign.property_id.director_id
            )
            campaign.activity_schedule(
                TODO_ACTIVITY,
                date_deadline=campaign.property_id._pm_today(),
                summary=_("Prepare the forms of the campaign, then submit it"),
                note=_(
                    "The survey cycle prepared this campaign but no household of "
                    "the last campaign still lives in the property: list the units "
                    "to hand a form to, then submit it for approval."
                ),
                user_id=responsible.id,
            )
        _logger.info(
            "pm.survey.campaign: %s prepared (%s)",
            campaign.name,
            "not submitted, empty" if empty else "submitted",
        )
        return campaign

    def _pm_copy_questionnaire(self):
        """A copy of this campaign's questionnaire for the next campaign (its
        answers stay with this one); the ready template when it has none."""
        self.ensure_one()
        if not self.survey_id:
            return self._copy_questionnaire_template()
        return self.survey_id.copy()

    # ------------------------------------------------------------
    # ANALYSIS (R-SUR-9, R-APPROVE-1)
    # ------------------------------------------------------------

    def action_produce_analysis(self):
        """Customer service produces the 客户意见征询分析表 of a closed campaign and
        sends it for review: director, quality department, management; sent
        back, producing it again renders a new PDF and sends it again."""
        self.ensure_one()
        self.env["pm.survey.analysis"]._pm_approval_check_group(
            "pm_base.group_pm_agent"
        )
        if self.state != "closed":
            raise UserError(
                _(
                    "Campaign %s is not closed: its analysis is produced once the "
                    "forms are all in.",
                    self.name,
                )
            )
        analysis = self.analysis_id
        if not analysis:
            analysis = self.env["pm.survey.analysis"].create({"campaign_id": self.id})
        analysis._store_pdf()
        analysis.action_submit()
        return self.action_view_analysis()

    def action_view_analysis(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pm.survey.analysis",
            "res_id": self.analysis_id.id,
            "view_mode": "form",
            "name": _("Survey Analysis"),
        }
