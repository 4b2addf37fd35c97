# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The documents of the monthly service-quality analysis (R-QA-1, R-QA-2): its
PDF, stored on the record, its spreadsheet, and the PDFs handed over the external
API to scripts/download_reports."""

import base64
import io
from datetime import datetime

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.pm_base.tools import clock, rates, xlsx
from odoo.addons.pm_base.tools.write_guard import workflow_action

from .pm_quality_report_figures import (
    PERSON_CASES,
    PERSON_RATES,
    PERSON_SAMPLE_SATISFACTION,
    PERSON_SAMPLED,
)

REPORT_XMLID = "pm_customer_service.action_report_pm_quality_report"


class PmQualityReportDocuments(models.AbstractModel):
    """The documents of ``pm.quality.report`` (which inherits this)."""

    _name = "pm.quality.report.documents"
    _description = "Service Quality Analysis Documents"

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
        """Render each report and keep its PDF as an attachment (R-QA-2). The PDF
        of an earlier generation (the analysis was reopened) stays on the record
        as its history (R-KEEP-1): the analysis points to the new one."""
        Attachment = self.env["ir.attachment"]
        for report in self:
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

    def _person_headers(self):
        """The headers of the per-person table (PDF, xlsx), in the reader's
        language: the person, the cases, the rates as the rates section
        names them, then the supervisor's sample calls and their satisfaction."""
        labels = self.env["pm.quality.report.line"]._pm_labels()
        return [
            _("Responsible"),
            _("Cases"),
            *(f"{labels['rate', key]} %" for key in PERSON_RATES),
            labels["person", PERSON_SAMPLED],
            f"{labels['person', PERSON_SAMPLE_SATISFACTION]} %",
        ]

    def _person_rows(self):
        """The per-person section as a table (PDF, xlsx): ``[{"cases": line,
        "figures": [lines of the other columns, in the order of
        _person_headers]}]``, in the order of the lines. A figure line shows its
        rate ("—" when nothing was measured) or, for a count, its count."""
        self.ensure_one()
        rows = {}
        for line in self.line_ids.filtered(lambda line: line.section == "person"):
            row = rows.setdefault(line.user_id, {"cases": None, "figures": []})
            if line.key == PERSON_CASES:
                row["cases"] = line
            else:
                row["figures"].append(line)
        return list(rows.values())

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
        # R-KPI-1: each rate next to its target, met or missed
        judged = [_("Target"), _("Verdict")]
        verdicts = dict(
            self.line_ids._fields["verdict"]._description_selection(self.env)
        )
        rows, by_section = [], {}
        for line in self.line_ids:
            row = self._xlsx_row(line)
            verdict = [line.target or "", verdicts.get(line.verdict) or ""]
            if line.target and not line.verdict:
                verdict[1] = rates.NO_RATE
            rows.append([sections[line.section], *row, *verdict])
            by_section.setdefault(line.section, []).append(
                [*row, *verdict] if line.section == "rate" else row
            )
        writer.table(5, [_("Section"), *headers, *judged], rows)
        writer.fit_columns()
        # then the sections of the PDF, one sheet each
        for section, section_rows in by_section.items():
            name = sections[section][:31]
            page = book.add_worksheet(name)
            helper = xlsx.XlsxWriterHelper(book, page)
            page.write_string(0, 0, name, title)
            helper.cell(1, 0, self.property_id.display_name)
            helper.cell(1, 1, self.month, "month")
            if section == "person":
                helper.table(3, *self._xlsx_person_table())
            elif section == "rate":
                helper.table(3, [*headers, *judged], section_rows)
            else:
                helper.table(3, headers, section_rows)
            helper.fit_columns()
        book.close()
        return output.getvalue()

    def _xlsx_person_table(self):
        """``(headers, rows)`` of the per-person sheet, as the PDF's table."""
        rows = [
            [
                row["cases"].name or "",
                row["cases"].count,
                *(
                    xlsx.Percent(line.rate if line.has_rate else None)
                    if line.is_rate_line
                    else line.count
                    for line in row["figures"]
                ),
            ]
            for row in self._person_rows()
        ]
        return self._person_headers(), rows

    @api.model
    def _xlsx_row(self, line):
        """``[item, count, of, rate]`` of a line, as the PDF shows it."""
        if line.section == "director" and line.key == "done":
            figures = [line.count, line.numerator]  # visits done, of the quota
        elif line.is_rate_line or line.has_rate:
            figures = [line.numerator, line.count]
        else:
            figures = [line.count, None]
        show_rate = line.is_rate_line or line.has_rate
        rate = line.rate if line.has_rate else None
        return [
            line.name or "",
            *figures,
            xlsx.Percent(rate) if show_rate else None,
        ]

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
