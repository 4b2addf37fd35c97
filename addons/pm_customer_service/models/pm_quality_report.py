# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import heapq
import io
import logging
from collections import defaultdict
from datetime import datetime, timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import mute_logger

from odoo.addons.pm_base.tools import clock, settings, xlsx
from odoo.addons.pm_base.tools.vocabulary import REQUEST_TYPES
from odoo.addons.pm_base.tools.write_guard import workflow_action

from . import (
    quality_rules,
    visit_rules,
)

_logger = logging.getLogger(__name__)

REPORT_XMLID = "pm_customer_service.action_report_pm_quality_report"
SECTIONS = [
    ("rate", "Rates"),
    ("type", "Cases by Type"),
    ("severity", "Cases by Severity"),
    ("team", "Cases by Team"),
    ("channel", "Cases by Channel"),
    ("recurring", "Recurring Complaints"),
    ("rectification", "Rectifications"),
    ("repair", "Repairs"),
    ("director", "Director Visits"),
]
RECTIFICATION_DAYS = 7
# the recurring-complaints section lists this many (unit, type) pairs, then a total
RECURRING_LIMIT_PARAM = "pm_customer_service.quality_report_recurring_limit"

# The counts of a month in one pass: cases by type, severity, channel, team and unit,
# with the numerators and denominators of the four rates (scripts/bench_quality.py
# times the same statement bare, as the anchor of the report's figures).
COUNTS_SQL = """
    SELECT request_type, severity, channel, team_id, unit_id,
           count(*),
           count(*) FILTER (WHERE resolved_date IS NOT NULL),
           count(*) FILTER (WHERE resolved_date IS NOT NULL
                            AND is_resolved_on_time),
           count(*) FILTER (WHERE validity != 'invalid'),
           count(*) FILTER (WHERE validity != 'invalid' AND is_closed),
           count(*) FILTER (WHERE resolved_date IS NOT NULL
                            AND return_visit_done),
           count(*) FILTER (WHERE satisfaction IS NOT NULL),
           count(*) FILTER (WHERE satisfaction IS NOT NULL AND is_satisfied)
      FROM pm_case
     WHERE property_id = %s AND intake_date >= %s AND intake_date < %s
  GROUP BY request_type, severity, channel, team_id, unit_id
"""
# properties per run of the monthly cron: each report renders a PDF, so one run stays
# short and the cron worker comes back at once for the next (a system parameter)
CRON_BATCH_PARAM = "pm_customer_service.quality_report_batch_size"
DIRECTOR_QUOTA_PARAM = "pm_customer_service.director_monthly_visits"
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
    ]
    # R-QA-1/2: the figures, the PDF and the state are the analysis's own
    _pm_protected_fields = (
        "state",
        "generated_on",
        "sent_on",
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
    timeliness_rate = fields.Float(string="Timeliness %", readonly=True)
    satisfaction_rate = fields.Float(string="Satisfaction %", readonly=True)
    # R-RATE-1: "—" when there was nothing to measure; months read as months
    timeliness_display = fields.Char(
        string="Timeliness", compute="_compute_rate_display"
    )
    satisfaction_display = fields.Char(
        string="Satisfaction", compute="_compute_rate_display"
    )
    month_label = fields.Char(string="Month (YYYY-MM)", compute="_compute_month_label")

    _sql_constraints = [
        (
            "property_month_unique",
            "UNIQUE(property_id, month)",
            "There is already a quality analysis for this property and month.",
        ),
        (
            "month_first_day",
            "CHECK(EXTRACT(DAY FROM month) = 1)",
            "The month of a quality analysis is stored as its first day.",
        ),
    ]

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

    @api.depends("line_ids.rate", "line_ids.has_rate", "state")
    def _compute_rate_display(self):
        for report in self:
            lines = {
                line.key: line for line in report.line_ids if line.section == "rate"
            }
            for key in ("timeliness", "satisfaction"):
                line = lines.get(key)
                report[f"{key}_display"] = (
                    line.rate_display
                    if line
                    else ("—" if report.state != "draft" else "")
                )

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
        return self.filtered(lambda report: report.state == "sent")

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_generate(self):
        """Compute the figures (R-QA-1) and store the PDF on the record (R-QA-2)."""
        if any(report.state == "sent" for report in self):
            raise UserError(
                _("A quality analysis that was sent cannot be regenerated.")
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
        self._send_ready_email()
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
            "target": "self",
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
            "target": "self",
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
    # FIGURES (R-QA-1)
    # ------------------------------------------------------------

    def _utc_bounds(self):
        """UTC datetimes of the report month in the property's time zone."""
        self.ensure_one()
        tz = self.property_id.tz
        start, stop = quality_rules.month_bounds(self.month)
        return clock.to_utc(start, tz), clock.to_utc(stop, tz)

    @workflow_action
    def _compute_figures(self):
        Line = self.env["pm.quality.report.line"]
        self.line_ids.unlink()
        vals_list = []
        for report in self:
            lines, totals = report._figure_lines()
            vals_list += [dict(line, report_id=report.id) for line in lines]
            report.write(
                dict(
                    totals,
                    state="done",
                    generated_on=fields.Datetime.now(),
                )
            )
        Line.create(vals_list)

    def _figure_lines(self):
        """``(line values, headline values)`` of one report, in a handful of
        grouped queries whatever the number of cases."""
        self.ensure_one()
        start, stop = self._utc_bounds()
        lines = []
        seq = iter(range(10, 100000, 10))

        def add(section, count, key=False, **values):
            lines.append(
                dict(
                    values,
                    sequence=next(seq),
                    section=section,
                    key=key,
                    count=count,
                )
            )

        # rates and breakdowns: one pass over the month's cases
        counts, breakdowns, pairs = self._case_figures(start, stop)
        for key, num, den in (
            ("timeliness", counts["on_time"], counts["resolved"]),
            ("closure", counts["closed"], counts["valid"]),
            ("return_visit", counts["visited"], counts["resolved"]),
            ("satisfaction", counts["satisfied"], counts["rated"]),
        ):
            value = quality_rules.rate(num, den)
            add(
                "rate",
                den,
                key,
                numerator=num,
                rate=value or 0.0,
                has_rate=value is not None,
            )
        for section in ("type", "severity", "channel"):
            for value, count in breakdowns[section]:
                add(section, count, value or "none")
        for team_id, count in breakdowns["team"]:
            add("team", count, str(team_id or "none"), team_id=team_id)
        # recurring complaints: same unit and type at least twice; the top ones,
        # then what the others add up to (a month of 10,000 cases stays a page)
        top, recurring, recurring_cases = self._recurring(pairs)
        for unit_id, kind, count in top:
            add("recurring", count, kind, unit_id=unit_id, request_type=kind)
        if recurring > len(top):
            add(
                "recurring",
                recurring_cases - sum(count for _u, _k, count in top),
                "others",
                numerator=recurring - len(top),
            )
        # rectifications
        Rect = self.env["pm.rectification"].sudo()
        prop = [("property_id", "=", self.property_id.id)]
        open_count = Rect.search_count(
            [*prop, ("state", "in", ("draft", "in_progress"))]
        )
        overdue_count = Rect.search_count([*prop, ("is_overdue", "=", True)])
        month_start, month_stop = quality_rules.month_bounds(self.month)
        done = dict(
            Rect._read_group(
                [
                    *prop,
                    ("done_date", ">=", month_start),
                    ("done_date", "<", month_stop),
                ],
                ["on_time"],
                ["__count"],
            )
        )
        done_total = sum(done.values())
        on_time_rate = quality_rules.rate(done.get(True, 0), done_total)
        add("rectification", open_count, "open")
        add("rectification", overdue_count, "overdue")
        add(
            "rectification",
            done_total,
            "done_on_time",
            numerator=done.get(True, 0),
            rate=on_time_rate or 0.0,
            has_rate=on_time_rate is not None,
        )
        # repairs, when pm_repair is installed (read only)
        if "pm.repair.order" in self.env:
            lines += self._repair_lines(start, stop, seq)
        # director's monthly visits (R-RV-3)
        done_visits, quota = self._director_visits(start, stop)
        add("director", done_visits, "done", numerator=quota)
        add("director", visit_rules.quota_shortfall(done_visits, quota), "shortfall")
        rates = {line["key"]: line for line in lines if line["section"] == "rate"}
        totals = {
            "case_count": counts["total"],
            "recurring_count": recurring,
            "open_rectification_count": open_count,
            "overdue_rectification_count": overdue_count,
            "timeliness_rate": rates["timeliness"]["rate"],
            "satisfaction_rate": rates["satisfaction"]["rate"],
        }
        return lines, totals

    def _case_figures(self, start, stop):
        """Everything the analysis counts about the month's cases, from one
        GROUP BY (type, severity, channel, team, unit) summed up here: the
        numerators and denominators of the four rates, the counts by type,
        severity, channel and team, and the (unit, type) pairs.

        Returns ``(counts, breakdowns, pairs)``: ``counts`` by rate term,
        ``breakdowns`` by section as ``[(value, count)]`` sorted by value,
        ``pairs`` as ``{(unit id, type): count}``."""
        self.env["pm.case"].flush_model()
        self.env.cr.execute(COUNTS_SQL, (self.property_id.id, start, stop))
        keys = (
            "total",
            "resolved",
            "on_time",
            "valid",
            "closed",
            "visited",
            "rated",
            "satisfied",
        )
        # columns, not rows: sums and tallies run over whole columns at C speed
        columns = list(zip(*self.env.cr.fetchall(), strict=True)) or [()] * (
            5 + len(keys)
        )
        totals = [sum(column) for column in columns[5:]]
        counts = columns[5]
        by_section = {}
        for section, column in (
            ("type", 0),
            ("severity", 1),
            ("channel", 2),
            ("team", 3),
        ):
            values = by_section[section] = defaultdict(int)
            for value, count in zip(columns[column], counts, strict=True):
                values[value] += count
        pairs = defaultdict(int)
        for unit_id, kind, count in zip(columns[4], columns[0], counts, strict=True):
            if unit_id:
                pairs[unit_id, kind] += count
        breakdowns = {
            section: sorted(
                values.items(), key=lambda item: (item[0] is None, item[0] or 0)
            )
            for section, values in by_section.items()
        }
        return dict(zip(keys, totals, strict=True)), breakdowns, pairs

    def _recurring(self, pairs):
        """R-QA-1 recurring complaints: the (unit, type) pairs seen at least twice,
        the ``limit`` most frequent first.

        Returns ``(top [(unit id, type, count)], pairs, cases)``."""
        limit = settings.get(self.env, RECURRING_LIMIT_PARAM)
        recurring = {
            key: count
            for key, count in pairs.items()
            if count >= quality_rules.RECURRING_THRESHOLD
        }
        top = heapq.nsmallest(
            max(limit, 1), recurring.items(), key=lambda item: (-item[1], item[0])
        )
        return (
            [(unit_id, kind, count) for (unit_id, kind), count in top],
            len(recurring),
            sum(recurring.values()),
        )

    def _repair_lines(self, start, stop, seq):
        """The repair KPIs of the month's orders (R-REP-6): for each, the orders
        meeting it over the orders measured for it, "—" when none was
        (R-RATE-1)."""
        Order = self.env["pm.repair.order"].sudo()
        kpis = (
            ("timeliness", "kpi_timely"),
            ("first_pass", "kpi_first_pass"),
            ("return_visit", "kpi_return_visited"),
            ("satisfaction", "kpi_satisfaction"),
        )
        [sums] = Order._read_group(
            [
                ("property_id", "=", self.property_id.id),
                ("intake_date", ">=", start),
                ("intake_date", "<", stop),
            ],
            [],
            [
                spec
                for _key, fname in kpis
                for spec in (f"{fname}:sum", f"{fname}_measured:sum")
            ],
        )
        lines = []
        for pos, (key, _fname) in enumerate(kpis):
            # each order meeting a KPI holds 100
            met, measured = round((sums[2 * pos] or 0.0) / 100), sums[2 * pos + 1] or 0
            value = quality_rules.rate(met, measured)
            lines.append(
                {
                    "sequence": next(seq),
                    "section": "repair",
                    "key": key,
                    "count": measured,
                    "numerator": met,
                    "rate": value or 0.0,
                    "has_rate": value is not None,
                }
            )
        return lines

    def _director_visits(self, start, stop):
        director = self.property_id.director_id
        quota = settings.get(self.env, DIRECTOR_QUOTA_PARAM)
        if not director:
            return 0, quota
        prop = [
            ("property_id", "=", self.property_id.id),
            ("visitor_id", "=", director.id),
        ]
        visits = (
            self.env["pm.visit"]
            .sudo()
            .search_count(
                [
                    *prop,
                    ("state", "in", ("done", "signed")),
                    ("visit_date", ">=", start),
                    ("visit_date", "<", stop),
                ]
            )
        )
        return_visits = (
            self.env["pm.return.visit"]
            .sudo()
            .search_count(
                [
                    *prop,
                    ("state", "=", "done"),
                    ("done_date", ">=", start),
                    ("done_date", "<", stop),
                ]
            )
        )
        return visits + return_visits, quota

    # ------------------------------------------------------------
    # DOCUMENTS (PDF, xlsx)
    # ------------------------------------------------------------

    def _file_name(self):
        """服务质量分析表-LSG-2026-11: named in the company's language, whoever
        (or whichever cron) produces it."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang or self.env.lang
        return "%s-%s-%s" % (
            self.with_context(lang=lang).env._("Service Quality Analysis"),
            self.property_id.code or self.property_id.id,
            self.month.strftime("%Y-%m"),
        )

    def _render_pdf(self):
        """PDF bytes of these reports.

        ``force_report_rendering`` matters only when Odoo runs its tests, where the
        report engine otherwise answers HTML: forcing it keeps the stored attachment
        and the bytes handed over RPC a real PDF in every mode.
        """
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT_XMLID, self.ids)
        )
        return pdf

    @workflow_action
    def _store_pdf(self):
        """Render each report and keep its PDF as an attachment (R-QA-2)."""
        Attachment = self.env["ir.attachment"]
        for report in self:
            old = report.pdf_attachment_id
            attachment = Attachment.create(
                {
                    "name": f"{report._file_name()}.pdf",
                    "raw": report._render_pdf(),
                    "res_model": report._name,
                    "res_id": report.id,
                    "mimetype": "application/pdf",
                }
            )
            report.pdf_attachment_id = attachment
            old.unlink()

    def _build_xlsx(self):
        """The figures as a spreadsheet (R-QA-1): a table under a short heading,
        header frozen and filtered, counts as numbers, rates as percentages ("—"
        when there is nothing to measure), text written as text."""
        import xlsxwriter

        self.ensure_one()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet(self.month.strftime("%Y-%m"))
        writer = xlsx.XlsxWriterHelper(book, sheet)
        title = book.add_format({"bold": True, "font_size": 14})
        sheet.write_string(0, 0, _("Service Quality Analysis"), title)
        writer.cell(1, 0, _("Property"), "bold")
        writer.cell(1, 1, self.property_id.display_name)
        writer.cell(2, 0, _("Month"), "bold")
        writer.cell(2, 1, self.month, "month")
        generated = clock.local_naive(self.generated_on, self.property_id.tz)
        writer.cell(3, 0, _("Generated on"), "bold")
        writer.cell(3, 1, generated)
        sections = dict(
            self.line_ids._fields["section"]._description_selection(self.env)
        )
        headers = [_("Item"), _("Count"), _("Of"), _("Rate")]
        rows, by_section = [], {}
        for line in self.line_ids:
            row = self._xlsx_row(line)
            rows.append([sections[line.section], *row])
            by_section.setdefault(line.section, []).append(row)
        writer.table(5, [_("Section"), *headers], rows)
        writer.fit_columns()
        # then the sections of the PDF, one sheet each
        for section, section_rows in by_section.items():
            name = sections[section][:31]
            page = book.add_worksheet(name)
            helper = xlsx.XlsxWriterHelper(book, page)
            page.write_string(0, 0, name, title)
            helper.cell(1, 0, self.property_id.display_name)
            helper.cell(1, 1, self.month, "month")
            helper.table(3, headers, section_rows)
            helper.fit_columns()
        book.close()
        return output.getvalue()

    @api.model
    def _xlsx_row(self, line):
        """``[item, count, of, rate]`` of a line, as the PDF shows it."""
        if line.section == "director" and line.key == "done":
            figures = [line.count, line.numerator]  # visits done, of the quota
        elif line.section in ("rate", "repair") or line.has_rate:
            figures = [line.numerator, line.count]
        else:
            figures = [line.count, None]
        show_rate = line.section in ("rate", "repair") or line.has_rate
        rate = line.rate if line.has_rate else None
        return [
            line.name or "",
            *figures,
            xlsx.Percent(rate) if show_rate else None,
        ]

    # ------------------------------------------------------------
    # MESSAGING AND SCHEDULE (R-QA-2)
    # ------------------------------------------------------------

    def _ready_recipients(self):
        """The property's director and the quality department of its company."""
        self.ensure_one()
        group = self.env.ref("pm_base.group_pm_quality")
        quality = group.sudo().users.filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )
        managers = self.env.ref("pm_base.group_pm_manager").sudo().users
        # managers inherit the quality group: they are not the quality department
        users = self.director_id | (quality - managers)
        return users.partner_id.filtered("email")

    @workflow_action
    def _send_ready_email(self):
        template = self.env.ref(
            "pm_customer_service.mail_template_pm_quality_report_ready"
        )
        for report in self:
            if not report.pdf_attachment_id:
                report._store_pdf()
            partners = report._ready_recipients()
            if partners:
                # one email per recipient language (R-MAIL-1)
                report._pm_queue_template(
                    template,
                    partners,
                    email_values={
                        "attachment_ids": [Command.link(report.pdf_attachment_id.id)],
                    },
                )
            else:
                report.message_post(
                    body=_("Nobody to send the quality analysis to (no email).")
                )
            report.write({"state": "sent", "sent_on": fields.Datetime.now()})

    @api.model
    def _cron_monthly_reports(self, batch_size=None):
        """R-QA-2: from the 25th, make, render and email the month's analysis of
        every property. Reports and the ``sent`` state are the record of what was
        done: a rerun creates no second report and sends no second email.

        One run handles a few properties (one by default): each is a PDF render, and
        a group of fifty properties must not hold one long transaction. The run tells
        the cron framework what is left (``_notify_progress``), which runs the job
        again at once in a new transaction; called outside a cron worker, it triggers
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
        domain = expression.AND(
            [
                [
                    ("state", "!=", "sent"),
                    "|",
                    ("cron_attempt_date", "=", False),
                    ("cron_attempt_date", "<", now - CRON_RETRY_DELAY),
                ],
                expression.OR(
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
                    report._send_ready_email()
            except Exception:
                _logger.exception("Monthly quality analysis %s failed", report.name)
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=handled, remaining=remaining)
        if remaining and not self.env.context.get("ir_cron_progress_id"):
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

    # ------------------------------------------------------------
    # EXTERNAL API (scripts/download_reports)
    # ------------------------------------------------------------

    @api.model
    def rpc_report_pdfs(self, property_code, month, fresh=False):
        """PDFs of the quality analyses of a property and month (``YYYY-MM``), as
        ``[{"name", "filename", "content" (base64)}]``: the stored attachments, or
        freshly rendered ones when ``fresh`` (R-QA-2). Access rules of the caller
        apply."""
        try:
            day = datetime.strptime(f"{month}-01", "%Y-%m-%d").date()
        except (TypeError, ValueError) as error:
            raise UserError(_("Month %s is not of the form YYYY-MM.", month)) from error
        prop = self.env["pm.property"].search([("code", "=", property_code)], limit=1)
        if not prop:
            raise UserError(_("Unknown property %s.", property_code))
        reports = self.search([("property_id", "=", prop.id), ("month", "=", day)])
        if not fresh:
            reports = reports.filtered("pdf_attachment_id")
        if not reports:
            raise UserError(
                _(
                    "No quality analysis of property %(property)s for %(month)s.",
                    property=property_code,
                    month=month,
                )
            )
        result = []
        for report in reports:
            if fresh:
                content = base64.b64encode(report._render_pdf()).decode()
            else:
                content = report.pdf_attachment_id.datas.decode()
            result.append(
                {
                    "name": report.name,
                    "filename": f"{report._file_name()}.pdf",
                    "content": content,
                }
            )
        return result


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
    unit_id = fields.Many2one("pm.unit")
    request_type = fields.Selection(REQUEST_TYPES)
    count = fields.Integer()
    numerator = fields.Integer(
        help="For a rate: the cases meeting it (the count is the cases measured)."
    )
    rate = fields.Float(string="Rate %", digits=(5, 2))
    has_rate = fields.Boolean(help="False when there was nothing to measure.")
    rate_display = fields.Char(string="Rate", compute="_compute_rate_display")
    rectification_id = fields.Many2one("pm.rectification", readonly=True)

    @api.depends("section", "key", "team_id", "unit_id", "request_type")
    def _compute_name(self):
        # labels follow the reader's language (PDF t-lang, xlsx, form)
        labels = {
            ("rate", "timeliness"): _("Timeliness rate"),
            ("rate", "closure"): _("Closure rate"),
            ("rate", "return_visit"): _("Return-visit rate"),
            ("rate", "satisfaction"): _("Satisfaction rate"),
            ("rectification", "open"): _("Open rectifications"),
            ("rectification", "overdue"): _("Overdue rectifications"),
            ("rectification", "done_on_time"): _("Done this month, on time"),
            ("repair", "timeliness"): _("Repair timeliness"),
            ("repair", "first_pass"): _("Repair first-time pass"),
            ("repair", "return_visit"): _("Repair return visits"),
            ("repair", "satisfaction"): _("Repair satisfaction"),
            ("director", "done"): _("Director visits done (quota in 'Of')"),
            ("director", "shortfall"): _("Director visits short of quota"),
        }
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

    @api.depends("section", "rate", "has_rate")
    def _compute_rate_display(self):
        for line in self:
            if line.has_rate:
                line.rate_display = "%.2f" % line.rate
            else:
                # R-RATE-1: a rate with nothing to measure is "—", never 0
                line.rate_display = "—" if line.section in ("rate", "repair") else ""

    def _pm_retention_kept(self):
        return self.filtered(lambda line: line.report_id.state == "sent")

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
