# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import mute_logger

from odoo.addons.pm_base.tools import cron, rates, settings
from odoo.addons.pm_base.tools.vocabulary import REQUEST_TYPES
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import quality_rules, target_rules
from .pm_quality_report_figures import PERSON_CASES, PERSON_SAMPLED

_logger = logging.getLogger(__name__)

# the sections of the analysis, in the order the PDF and the xlsx show them
SECTIONS = [
    ("rate", "Rates"),
    ("type", "Cases by Type"),
    ("severity", "Cases by Severity"),
    ("team", "Cases by Team"),
    ("person", "Cases by Person"),
    ("channel", "Cases by Channel"),
    ("recurring", "Recurring Complaints"),
    ("rectification", "Rectifications"),
    ("director", "Director Visits"),
    ("overdue_person", "Overdue Visits by Person"),
    ("overdue_team", "Overdue Visits by Team"),
]
RECTIFICATION_DAYS = 7
# an analysis generated (its figures and PDF made) or sent: kept as it is
FINISHED_STATES = ("done", "sent")
# the rates the analysis shows in its list, next to their parts
HEADLINE_RATES = ("timeliness", "satisfaction")
# properties per run of the monthly cron: each report renders a PDF, so one run stays
# short and the cron worker comes back at once for the next (a system parameter)
CRON_BATCH_PARAM = "pm_customer_service.quality_report_batch_size"
# a report whose generation failed waits this long before the cron tries it again
CRON_RETRY_DELAY = timedelta(hours=1)


class PmQualityReport(models.Model):
    """The monthly service-quality analysis 服务质量分析表 of a property (R-QA-1),
    produced and emailed on schedule (R-QA-2)."""

    _name = "pm.quality.report"
    _description = "Service Quality Analysis"
    _inherit = [
        "mail.thread",
        "pm.property.bound.mixin",
        "pm.workflow.guard.mixin",
        "pm.rate.mixin",
        # the figures (pm_quality_report_figures.py) and the PDF and xlsx
        # (pm_quality_report_documents.py)
        "pm.quality.report.figures",
        "pm.quality.report.documents",
    ]
    # R-RATE-1: grouped (list groups), the headline rates are the ratios of the
    # sums of their parts, never the average of the months' rates
    _pm_rates = {
        f"{key}_rate": (f"{key}_num:sum", f"{key}_den:sum") for key in HEADLINE_RATES
    }
    # R-QA-1/2: the figures, the PDF and the state are the analysis's own
    _pm_protected_fields = (
        "state",
        "generated_on",
        "sent_on",
        "unsent_reason",
        "cron_attempt_date",
        "pdf_attachment_id",
        "case_count",
        "recurring_count",
        "open_rectification_count",
        "overdue_rectification_count",
        "timeliness_rate",
        "satisfaction_rate",
    )
    _order = "month desc, property_id"

    name = fields.Char(compute="_compute_name", store=True)
    director_id = fields.Many2one(related="property_id.director_id")
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: quality_rules.month_start(fields.Date.context_today(self)),
        help="First day of the month analysed.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Generated"), ("sent", "Sent")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
        help="Draft: no figures yet; Generated: figures and PDF ready; Sent: emailed "
        "to the director and the quality department.",
    )
    line_ids = fields.One2many("pm.quality.report.line", "report_id", readonly=True)
    generated_on = fields.Datetime(readonly=True, copy=False)
    sent_on = fields.Datetime(readonly=True, copy=False)
    unsent_reason = fields.Char(
        string="Not Sent Because",
        readonly=True,
        copy=False,
        help="Why the generated analysis could not be emailed yet.",
    )
    cron_attempt_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last time the monthly cron tried to generate or send this report.",
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment", string="PDF", readonly=True, copy=False
    )
    # headline figures, for the list view
    case_count = fields.Integer(string="Cases", readonly=True)
    recurring_count = fields.Integer(string="Recurring", readonly=True)
    open_rectification_count = fields.Integer(string="Open Rectif.", readonly=True)
    overdue_rectification_count = fields.Integer(
        string="Overdue Rectif.", readonly=True
    )
    timeliness_rate = fields.Float(
        string="Timeliness %", readonly=True, aggregator="avg"
    )
    satisfaction_rate = fields.Float(
        string="Satisfaction %", readonly=True, aggregator="avg"
    )
    # the parts of the headline rates, as the rate lines hold them
    timeliness_num = fields.Integer(
        string="Resolved On Time", compute="_compute_rate_parts", store=True
    )
    timeliness_den = fields.Integer(
        string="Resolved", compute="_compute_rate_parts", store=True
    )
    satisfaction_num = fields.Integer(
        string="Satisfied", compute="_compute_rate_parts", store=True
    )
    satisfaction_den = fields.Integer(
        string="Rated", compute="_compute_rate_parts", store=True
    )
    # R-RATE-1: "—" when there was nothing to measure; months read as months
    timeliness_display = fields.Char(
        string="Timeliness", compute="_compute_rate_display"
    )
    satisfaction_display = fields.Char(
        string="Satisfaction", compute="_compute_rate_display"
    )
    month_label = fields.Char(string="Month (YYYY-MM)", compute="_compute_month_label")

    _property_month_unique = models.Constraint(
        "UNIQUE(property_id, month)",
        "There is already a quality analysis for this property and month.",
    )
    _month_first_day = models.Constraint(
        "CHECK(EXTRACT(DAY FROM month) = 1)",
        "The month of a quality analysis is stored as its first day.",
    )

    @api.depends("property_id.code", "property_id.name", "month")
    def _compute_name(self):
        for report in self:
            report.name = "%s %s" % (
                report.property_id.code or report.property_id.name or "",
                report.month.strftime("%Y-%m") if report.month else "",
            )

    @api.depends("month")
    def _compute_month_label(self):
        for report in self:
            report.month_label = report.month.strftime("%Y-%m") if report.month else ""

    @api.depends("line_ids.section", "line_ids.numerator", "line_ids.count")
    def _compute_rate_parts(self):
        for report in self:
            for key, line in report._headline_rate_lines().items():
                report[f"{key}_num"] = line.numerator
                report[f"{key}_den"] = line.count

    @api.depends("line_ids.rate", "line_ids.has_rate", "state")
    def _compute_rate_display(self):
        # R-RATE-1: "—" when there was nothing to measure, blank before any figure
        for report in self:
            for key, line in report._headline_rate_lines().items():
                report[f"{key}_display"] = (
                    line.rate_display
                    if line
                    else (rates.NO_RATE if report.state != "draft" else "")
                )

    def _headline_rate_lines(self):
        """``{"timeliness": line, "satisfaction": line}``: the rate lines of the
        headline rates (empty lines before the figures are made)."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.section == "rate")
        return {
            key: lines.filtered(lambda line, key=key: line.key == key)[:1]
            for key in HEADLINE_RATES
        }

    @api.constrains("month")
    def _check_month(self):
        for report in self:
            # the property's month, not the user's (R-TZ-1)
            today = report.property_id._pm_today()
            if quality_rules.is_future_month(report.month, today):
                raise ValidationError(
                    _(
                        "The quality analysis of %s cannot be made yet: the month "
                        "has not started.",
                        report.month.strftime("%Y-%m"),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = quality_rules.month_start(
                    fields.Date.to_date(vals["month"])
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("month"):
            vals["month"] = quality_rules.month_start(
                fields.Date.to_date(vals["month"])
            )
        return super().write(vals)

    def _pm_retention_kept(self):
        return self.filtered(lambda report: report.state in FINISHED_STATES)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_generate(self):
        """Compute the figures (R-QA-1) and store the PDF on the record (R-QA-2).
        A generated analysis keeps its figures (R-KEEP-1): the quality
        department resets it to draft to generate it again."""
        finished = self.filtered(lambda report: report.state in FINISHED_STATES)
        if finished:
            raise UserError(
                _(
                    "The quality analysis %s is generated and keeps its figures: "
                    "the quality department resets it to draft to generate it "
                    "again.",
                    finished[0].name,
                )
            )
        self._compute_figures()
        self._store_pdf()
        return True

    def action_send(self):
        for report in self:
            if report.state == "draft":
                raise UserError(
                    _(
                        "Generate the quality analysis %s before sending it.",
                        report.name,
                    )
                )
        unsent = self._send_ready_email()
        if unsent:
            # nothing is marked sent: the person reads why at once
            raise UserError(next(iter(unsent.values())))
        return True

    @workflow_action
    def action_reset_draft(self):
        if not self.env.user.has_group("pm_base.group_pm_quality"):
            raise UserError(_("Only the quality department can reopen an analysis."))
        self.write({"state": "draft"})
        return True

    def action_download_pdf(self):
        self.ensure_one()
        if not self.pdf_attachment_id:
            self._store_pdf()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
            "target": "download",
        }

    def action_download_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self._file_name()}.xlsx",
                "raw": self._build_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_create_rectifications(self):
        """One rectification per recurring-complaint line that has none yet."""
        lines = self.line_ids.filtered(
            lambda line: line.section == "recurring"
            and line.unit_id
            and not line.rectification_id
        )
        if not lines:
            raise UserError(_("There is no recurring complaint without rectification."))
        return lines.action_create_rectification()

    def action_view_rectifications(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Rectifications"),
            "res_model": "pm.rectification",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    # ------------------------------------------------------------
    # MESSAGING AND SCHEDULE (R-QA-2)
    # ------------------------------------------------------------

    def _ready_recipients(self):
        """The property's director and the quality department of its company."""
        self.ensure_one()
        group = self.env.ref("pm_base.group_pm_quality")
        quality = group.sudo().all_user_ids.filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )
        managers = self.env.ref("pm_base.group_pm_manager").sudo().all_user_ids
        # managers inherit the quality group: they are not the quality department
        users = self.director_id | (quality - managers)
        return users.partner_id.filtered("email")

    @workflow_action
    def _send_ready_email(self):
        """Queue the email of each generated report and mark it sent. "Sent"
        means an email with recipients is in the mail queue for the report, made
        in this same transaction: a report nobody can receive stays generated.
        Returns ``{report: why it was not sent}`` (empty when all were sent)."""
        template = self.env.ref(
            "pm_customer_service.mail_template_pm_quality_report_ready"
        )
        unsent = {}
        for report in self:
            if not report.pdf_attachment_id:
                report._store_pdf()
            partners = report._ready_recipients()
            # one email per recipient language (R-MAIL-1)
            mails = report._pm_queue_template(
                template,
                partners,
                email_values={
                    "attachment_ids": [Command.link(report.pdf_attachment_id.id)],
                },
            ).filtered("recipient_ids")
            if not mails:
                unsent[report] = _(
                    "Not sent: neither the director of %s nor the quality "
                    "department has an email address. Add one, then send the "
                    "analysis.",
                    report.property_id.display_name,
                )
                continue
            report.write(
                {
                    "state": "sent",
                    "sent_on": fields.Datetime.now(),
                    "unsent_reason": False,
                }
            )
        return unsent

    @workflow_action
    def _note_unsent(self, reason):
        """Keep why the report could not be emailed on it, and say it once in
        its chatter (the daily cron tries again)."""
        for report in self.filtered(lambda r: r.unsent_reason != reason):
            report.unsent_reason = reason
            # said by the system: the scheduler may run as a user without email
            report.sudo().message_post(
                body=reason,
                subtype_xmlid="mail.mt_note",
                author_id=self.env.ref("base.partner_root").id,
            )

    @api.model
    @cron.exclusive_run
    def _cron_monthly_reports(self, batch_size=None):
        """R-QA-2: from the 25th, make, render and email the month's analysis of
        every property. Reports and the ``sent`` state are the record of what was
        done: a rerun creates no second report and sends no second email.

        One run handles a few properties (one by default): each is a PDF render, and
        a group of fifty properties must not hold one long transaction. The run tells
        the scheduler what is left and commits (``_commit_progress``): the
        scheduler runs the job again at once in a new transaction. Called from code
        (not by the scheduler), it stays in the caller's transaction and triggers
        the cron for the rest. A report that fails is retried an hour later, so a
        broken one cannot keep the cron busy."""
        if batch_size is None:
            batch_size = settings.get(self.env, CRON_BATCH_PARAM)
        # the 25th is the 25th at each property, whoever runs the cron (R-TZ-1)
        due = {}
        for prop in self.env["pm.property"].search([]):
            today = prop._pm_today()
            if quality_rules.report_due(today):
                due.setdefault(quality_rules.month_start(today), []).append(prop.id)
        if not due:
            return True
        for month, property_ids in due.items():
            done = self.search(
                [("month", "=", month), ("property_id", "in", property_ids)]
            ).property_id
            for prop_id in set(property_ids) - set(done.ids):
                # a concurrent run may have created it: the unique key makes ours
                # a no-op
                self._try_run_step(
                    lambda p=prop_id, m=month: self.create(
                        {"property_id": p, "month": m}
                    )
                )
        now = fields.Datetime.now()
        domain = Domain.AND(
            [
                [
                    ("state", "!=", "sent"),
                    "|",
                    ("cron_attempt_date", "=", False),
                    ("cron_attempt_date", "<", now - CRON_RETRY_DELAY),
                ],
                Domain.OR(
                    [
                        [("month", "=", month), ("property_id", "in", property_ids)]
                        for month, property_ids in due.items()
                    ]
                ),
            ]
        )
        todo = self.search(domain, limit=batch_size, order="id")
        handled = 0
        for report in todo:
            if not report._lock_for_run():
                # another run is making or already sent this one
                continue
            handled += 1
            # kept even when the generation below fails: retried an hour later
            report.cron_attempt_date = now
            try:
                with self.env.cr.savepoint():
                    if report.state == "draft":
                        report.action_generate()
            except Exception:
                _logger.exception("Monthly quality analysis %s failed", report.name)
                continue
            try:
                with self.env.cr.savepoint():
                    for unsent, reason in report._send_ready_email().items():
                        unsent._note_unsent(reason)
            except Exception:
                _logger.exception("Monthly quality analysis %s not sent", report.name)
                report._note_unsent(
                    _(
                        "Not sent: the email could not be queued (the server log "
                        "says why). The analysis is sent again on the next run."
                    )
                )
        remaining = self.search_count(domain)
        if cron.scheduled(self.env):
            cron.commit_progress(self.env, handled, remaining)
        elif remaining:
            self.env.ref(
                "pm_customer_service.ir_cron_pm_quality_report_monthly"
            )._trigger()
        return True

    @api.model
    def _try_run_step(self, step):
        """Run ``step`` in a savepoint; False when a concurrent run got there
        first (unique key or row taken meanwhile)."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                step()
        except (psycopg2.IntegrityError, psycopg2.errors.SerializationFailure):
            return False
        return True

    def _lock_for_run(self):
        """Lock this unsent report for the current run; False when another run
        holds it or changed it since this run's snapshot."""
        self.ensure_one()
        found = []

        def lock():
            self.env.cr.execute(
                "SELECT id FROM pm_quality_report WHERE id = %s AND state != 'sent' "
                "FOR UPDATE SKIP LOCKED",
                (self.id,),
            )
            found.extend(self.env.cr.fetchall())

        return self._try_run_step(lock) and bool(found)


class PmQualityReportLine(models.Model):
    _name = "pm.quality.report.line"
    _description = "Service Quality Analysis Line"
    _inherit = ["pm.workflow.guard.mixin"]
    _order = "report_id, sequence, id"
    _pm_protected_fields = (
        "section",
        "key",
        "count",
        "numerator",
        "rate",
        "has_rate",
        "target",
        "verdict",
        "rectification_id",
    )

    report_id = fields.Many2one(
        "pm.quality.report", required=True, index=True, ondelete="cascade"
    )
    property_id = fields.Many2one(
        related="report_id.property_id", store=True, index=True
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    section = fields.Selection(SECTIONS, required=True)
    key = fields.Char(help="What the line counts within its section.")
    name = fields.Char(string="Item", compute="_compute_name")
    team_id = fields.Many2one("pm.team")
    user_id = fields.Many2one("res.users", string="Person")
    unit_id = fields.Many2one("pm.unit")
    request_type = fields.Selection(REQUEST_TYPES)
    count = fields.Integer()
    numerator = fields.Integer(
        help="For a rate: the cases meeting it (the count is the cases measured)."
    )
    rate = fields.Float(string="Rate %", digits=(5, 2))
    has_rate = fields.Boolean(help="False when there was nothing to measure.")
    # R-KPI-1: the targets of the rate when the analysis was generated, and
    # whether the rate met them (empty: nothing to measure, or no target)
    target = fields.Char(help="The targets of the rate when the analysis was made.")
    verdict = fields.Selection(
        [(target_rules.MET, "Met"), (target_rules.MISSED, "Missed")],
        help="Whether the rate met its targets; empty when there was nothing to "
        "measure.",
    )
    rate_display = fields.Char(string="Rate", compute="_compute_rate_display")
    is_rate_line = fields.Boolean(
        string="Rate Line",
        compute="_compute_rate_display",
        help="The line is a rate of its section: what meets it of what was "
        "measured.",
    )
    rectification_id = fields.Many2one("pm.rectification", readonly=True)

    @api.depends("section", "key", "team_id", "user_id", "unit_id", "request_type")
    def _compute_name(self):
        labels = self._pm_labels()
        fields_by_section = {
            "type": "request_type",
            "severity": "severity",
            "channel": "channel",
        }
        Case = self.env["pm.case"]
        for line in self:
            if line.section in fields_by_section:
                field = Case._fields[fields_by_section[line.section]]
                values = dict(field._description_selection(self.env))
                line.name = values.get(line.key) or _("Not set")
            elif line.section == "team":
                line.name = line.team_id.sudo().name or _("No team")
            elif line.section == "person":
                who = line.user_id.sudo().name or _("Nobody")
                line.name = (
                    who
                    if line.key == PERSON_CASES
                    else "%s · %s"
                    % (
                        labels.get(("rate", line.key))
                        or labels.get(("person", line.key), line.key),
                        who,
                    )
                )
            elif line.section in ("overdue_person", "overdue_team"):
                who = (
                    line.user_id.sudo().name or _("Nobody")
                    if line.section == "overdue_person"
                    else line.team_id.sudo().name or _("No team")
                )
                line.name = "%s · %s" % (
                    labels.get(("overdue", line.key), line.key),
                    who,
                )
            elif line.section == "recurring" and line.key == "others":
                line.name = _(
                    "Other recurring complaints (%s units and types)", line.numerator
                )
            elif line.section == "recurring":
                types = dict(
                    Case._fields["request_type"]._description_selection(self.env)
                )
                line.name = "%s · %s" % (
                    line.unit_id.sudo().display_name,
                    types.get(line.request_type, ""),
                )
            else:
                line.name = labels.get((line.section, line.key), line.key)

    @api.depends("section", "key", "rate", "has_rate")
    def _compute_rate_display(self):
        for line in self:
            # a person's rates are rates, their counts of cases and of
            # sample calls are not
            line.is_rate_line = line.section in self._pm_rate_sections() or (
                line.section == "person"
                and line.key not in (PERSON_CASES, PERSON_SAMPLED)
            )
            # R-RATE-1: a rate with nothing to measure is "—", never 0
            if line.has_rate or line.is_rate_line:
                line.rate_display = rates.format_rate(
                    line.rate if line.has_rate else None
                )
            else:
                line.rate_display = ""

    @api.model
    def _pm_rate_sections(self):
        """The sections whose every line is a rate (the repair addon adds its
        own)."""
        return ("rate",)

    def _pm_labels(self):
        """``{(section, key): label}`` of the lines named by their key, in the
        reader's language (PDF t-lang, xlsx, form)."""
        return {
            ("rate", "timeliness"): _("Timeliness rate"),
            ("rate", "closure"): _("Closure rate"),
            ("rate", "return_visit"): _("Return-visit rate"),
            ("rate", "satisfaction"): _("Satisfaction rate"),
            ("rate", "first_reply"): _("First-reply rate"),
            ("rate", "first_pass"): _("First-time pass rate"),
            ("rate", "complaint_handling"): _("Complaint handling rate"),
            ("rate", "repair_timeliness"): _("Routine and urgent repairs on time"),
            ("rate", "repair_return_visit"): _("Repair return-visit rate"),
            ("rate", "repair_next_day_visit"): _(
                "Routine repairs return-visited by the next day"
            ),
            ("rate", "accuracy"): _("Information accuracy rate"),
            ("rate", "identification"): _("Information identification rate"),
            ("rate", "help_confirm"): _("Help requests confirmed in time"),
            ("rate", "response"): _("Requests arranged or answered in time"),
            ("rate", "entry"): _("Calls entered in time"),
            ("rate", "transfer"): _("Calls classified and handed on in time"),
            ("rate", "supervisor_answer"): _("Supervisor answers in time"),
            ("person", "sampled"): _("Sample calls"),
            ("person", "sample_satisfaction"): _("Sample satisfaction rate"),
            ("rectification", "open"): _("Open rectifications"),
            ("rectification", "overdue"): _("Overdue rectifications"),
            ("rectification", "done_on_time"): _("Done this month, on time"),
            ("director", "done"): _("Director visits done (quota in 'Of')"),
            ("director", "shortfall"): _("Director visits short of quota"),
            ("overdue", "pm.visit"): _("Overdue visits"),
            ("overdue", "pm.visit.issue"): _("Unresolved visit issues"),
            ("overdue", "pm.return.visit"): _("Overdue return visits"),
        }

    def _pm_retention_kept(self):
        # R-KEEP-1: the figures of a finished analysis stay as generated; the
        # lines of a draft are replaced when it is generated
        return self.filtered(lambda line: line.report_id.state in FINISHED_STATES)

    def _pm_frozen_records(self):
        # edited neither: the report's state says it, not the line's
        return self._pm_retention_kept()

    @api.model
    def _pm_retention_purge_domain(self, cutoff):
        # purged with their report, never on their own
        return None

    @workflow_action
    def action_create_rectification(self):
        """R-QA-1 corrective actions: a rectification (source: quality analysis)
        for each recurring complaint."""
        Rect = self.env["pm.rectification"]
        created = Rect
        for line in self:
            if line.section != "recurring" or not line.unit_id:
                raise UserError(
                    _("Only recurring complaints of a unit become rectifications.")
                )
            if line.rectification_id:
                continue
            report = line.report_id
            deadline = report.property_id._pm_today() + timedelta(
                days=RECTIFICATION_DAYS
            )
            vals = Rect._pm_prepare_from_source(
                report,
                "quality",
                _(
                    "%(count)s %(type)s cases at %(unit)s in %(month)s (quality "
                    "analysis %(report)s).",
                    count=line.count,
                    type=line.name.split(" · ")[-1],
                    unit=line.unit_id.display_name,
                    month=report.month.strftime("%Y-%m"),
                    report=report.name,
                ),
                property_id=report.property_id.id,
                unit_id=line.unit_id.id,
                team_id=report.property_id.team_id.id,
                deadline=deadline,
            )
            line.rectification_id = Rect.create(vals)
            created |= line.rectification_id
        action = {
            "type": "ir.actions.act_window",
            "name": _("Rectifications"),
            "res_model": "pm.rectification",
        }
        if len(created) == 1:
            action.update(view_mode="form", res_id=created.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", created.ids)])
        return action
