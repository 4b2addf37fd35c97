# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Supervisors' sample calls 抽样回访 (seed 004 §5 f: 小区主管和领班负责信息处理的
抽样回访及督促工作; seed 002 §二.3; seed 000 §三.14(2)).

Each month, for each agent, a few of the cases they closed the month before are
drawn at random and given to their supervisor as return visits of the kind
"supervisor sample": the supervisor calls the owner and records whether they
were reached, satisfied, and what they said. A sample call is a return visit:
it is due within days, escalates like one when overdue, and shows in the
return-visit lists; it only checks the agent's work and never moves the case.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.pm_base.tools import clock, cron, settings
from odoo.addons.pm_base.tools.escalation import LEVEL_DIRECTOR, LEVEL_TEAM_LEADER
from odoo.addons.pm_base.tools.settings import CS
from odoo.addons.pm_base.tools.write_guard import is_trusted, workflow_action

from . import quality_rules, sample_rules
from .pm_return_visit import PmReturnVisit

_logger = logging.getLogger(__name__)

SAMPLE_SIZE = CS + "sample_calls_per_agent"
SAMPLE_DAYS = CS + "sample_call_days"
SAMPLE_TEMPLATE = "pm_customer_service.mail_template_pm_sample_calls"
# what the supervisor alone (or a director) records on a sample call
SAMPLE_OUTCOME_FIELDS = {"satisfaction", "result", "remarks", "visitor_id", "due_date"}


class PmReturnVisitSample(models.Model):
    """Return visits of the kind "supervisor sample"."""

    # the return visit is written in one file per concept, on purpose
    _inherit = "pm.return.visit"  # pylint: disable=consider-merging-classes-inherited

    _pm_protected_fields = (
        *PmReturnVisit._pm_protected_fields,
        # set by the monthly draw and the outcome actions only
        "kind",
        "sampled_user_id",
        "sample_month",
        "owner_reached",
    )

    kind = fields.Selection(
        [("owner", "After Service"), ("sample", "Supervisor Sample")],
        string="Return Visit Kind",
        default="owner",
        required=True,
        index=True,
        readonly=True,
        help="After Service: the return visit after a case, repair or "
        "rectification. Supervisor Sample: a closed case drawn each month for "
        "the agent's supervisor to check with the owner.",
    )
    sampled_user_id = fields.Many2one(
        "res.users",
        string="Agent Checked",
        index=True,
        readonly=True,
        help="The agent whose closed case the supervisor calls the owner about.",
    )
    sample_month = fields.Date(
        string="Cases Closed In",
        readonly=True,
        help="The month whose closed cases the sample was drawn from (its first "
        "day).",
    )
    owner_reached = fields.Boolean(
        readonly=True,
        copy=False,
        help="The supervisor reached the owner on the sample call.",
    )

    # ------------------------------------------------------------
    # WHO RECORDS THE OUTCOME
    # ------------------------------------------------------------

    def _pm_may_record_sample(self):
        """The supervisor given the call, or a director, records its outcome."""
        self.ensure_one()
        user = self.env.user
        return (
            self.env.su
            or user == self.visitor_id
            or user.has_group("pm_base.group_pm_director")
        )

    def _pm_check_sample_recorder(self):
        for visit in self.filtered(lambda v: v.kind == "sample"):
            if not visit._pm_may_record_sample():
                raise AccessError(
                    _(
                        "Only %(supervisor)s, who was given the sample call "
                        "%(name)s, or a director can record its outcome.",
                        supervisor=visit.visitor_id.name or _("its supervisor"),
                        name=visit.name,
                    )
                )

    def write(self, vals):
        if not is_trusted(self.env) and SAMPLE_OUTCOME_FIELDS & set(vals):
            self._pm_check_sample_recorder()
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @workflow_action
    def action_done(self):
        """A sample call is recorded by its supervisor and leaves the case as
        it is; the other return visits go on as before."""
        samples = self.filtered(lambda v: v.kind == "sample")
        if samples:
            samples._pm_record_sample(reached=True)
        others = self - samples
        if others:
            return super(PmReturnVisitSample, others).action_done()
        return True

    @workflow_action
    def action_not_reached(self):
        """The supervisor could not reach the owner: the sample call is done,
        without a satisfaction."""
        if self.filtered(lambda v: v.kind != "sample"):
            raise UserError(_("Only a sample call is closed as not reached."))
        self._pm_record_sample(reached=False)
        return True

    def _pm_record_sample(self, reached):
        self._pm_check_sample_recorder()
        for visit in self:
            if visit.state != "planned":
                raise UserError(
                    _("Return visit %s is not planned any more.", visit.name)
                )
            if reached and not visit.satisfaction:
                raise UserError(
                    _(
                        "Record the owner's satisfaction before closing return visit "
                        "%s.",
                        visit.name,
                    )
                )
        values = {
            "state": "done",
            "done_date": fields.Datetime.now(),
            "owner_reached": reached,
        }
        if not reached:
            values["satisfaction"] = False
        self.write(values)

    # ------------------------------------------------------------
    # THE MONTHLY DRAW
    # ------------------------------------------------------------

    @api.model
    @cron.exclusive_run
    @workflow_action
    def _cron_pm_sample_calls(self):
        """Draw each agent's sample of the cases closed in the previous month
        at each property (its months, in its time zone) and give it to their
        supervisor: up to the sample size per agent, never a case sampled
        before; a rerun draws nothing more. Each supervisor gets one email
        listing the calls of the run."""
        size = settings.get(self.env, SAMPLE_SIZE)
        if size <= 0:
            return True
        created = self.browse()
        for prop in self.env["pm.property"].sudo().search([]):
            created |= self._pm_draw_samples(prop, size)
        created._pm_notify_supervisors()
        return True

    @api.model
    def _pm_draw_samples(self, prop, size):
        """The sample calls drawn now at ``prop``: a few grouped queries for
        the property, whatever its number of agents and cases."""
        today = prop._pm_today()
        month = sample_rules.sampled_month(today)
        first, stop = quality_rules.month_bounds(month)
        Case = self.env["pm.case"].sudo().with_context(active_test=False)
        cases = Case.search(
            [
                ("property_id", "=", prop.id),
                ("state", "=", "closed"),
                ("closed_date", ">=", clock.to_utc(first, prop.tz)),
                ("closed_date", "<", clock.to_utc(stop, prop.tz)),
                *Case._pm_measured_domain(),
            ],
            order="id",
        )
        if not cases:
            return self.browse()
        Visit = self.sudo().with_context(active_test=False)
        # never the same case twice, whatever month drew it
        sampled = set(
            Visit.search(
                [
                    ("kind", "=", "sample"),
                    ("res_model", "=", "pm.case"),
                    ("res_id", "in", cases.ids),
                ]
            ).mapped("res_id")
        )
        drawn = dict(
            Visit._read_group(
                [
                    ("kind", "=", "sample"),
                    ("property_id", "=", prop.id),
                    ("sample_month", "=", month),
                ],
                ["sampled_user_id"],
                ["__count"],
            )
        )
        by_agent = defaultdict(list)
        for case in cases:
            agent = case.user_id or case.first_contact_user_id
            if agent and case.id not in sampled:
                by_agent[agent].append(case.id)
        teams = self.env["pm.team"].sudo().search([("property_id", "=", prop.id)])
        due = today + timedelta(days=settings.get(self.env, SAMPLE_DAYS))
        vals_list = []
        for agent, case_ids in by_agent.items():
            count = sample_rules.still_to_draw(size, drawn.get(agent, 0))
            chosen = Case.browse(
                sample_rules.pick(
                    case_ids, count, sample_rules.seed(prop.id, agent.id, month)
                )
            )
            if not chosen:
                continue
            supervisor = self._pm_sample_supervisor(agent, teams, chosen[0])
            if not supervisor:
                _logger.info(
                    "Sample calls: nobody supervises user %s at property %s",
                    agent.id,
                    prop.id,
                )
                continue
            for case in chosen:
                vals_list.append(
                    dict(
                        case._pm_return_visit_values(),
                        kind="sample",
                        method="phone",
                        visitor_id=supervisor.id,
                        sampled_user_id=agent.id,
                        sample_month=month,
                        due_date=due,
                    )
                )
        return self.sudo().with_context(mail_create_nolog=True).create(vals_list)

    @api.model
    def _pm_sample_supervisor(self, agent, teams, case):
        """Who checks ``agent``: the leader of a team of the property the agent
        is a member of, else the case's team leader as its escalation names
        them, else the property's director; never the agent."""
        for team in teams:
            if agent in team.member_ids and team.leader_id not in (agent, False):
                return team.leader_id
        for level in (LEVEL_TEAM_LEADER, LEVEL_DIRECTOR):
            user = case._pm_escalation_recipient(level)[:1]
            if user and user != agent:
                return user
        return self.env["res.users"]

    def _pm_notify_supervisors(self):
        """One email per supervisor listing their new sample calls, in their
        language."""
        template = self.env.ref(SAMPLE_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        by_supervisor = defaultdict(lambda: self.browse())
        for visit in self:
            by_supervisor[visit.visitor_id] |= visit
        for supervisor, visits in by_supervisor.items():
            # the template renders in its own context: the list goes there
            visits[:1]._pm_queue_template(
                template.with_context(pm_sample_visit_ids=visits.ids),
                supervisor.partner_id,
                email_layout_xmlid="mail.mail_notification_light",
            )


class PmCase(models.Model):
    """The monthly draw looks cases up by their closing date."""

    # pm.case is written in one file per concept, on purpose
    _inherit = "pm.case"  # pylint: disable=consider-merging-classes-inherited

    closed_date = fields.Datetime(index=True)
