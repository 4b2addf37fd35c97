# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from collections import defaultdict

import xlsxwriter

from odoo import _, api, models


class PmSurveyXlsx(models.AbstractModel):
    """xlsx export of a campaign (R-SUR-9): every rate and every answer. Text is
    always written with ``write_string`` so that an owner's comment starting with
    ``=`` stays text and never becomes a formula."""

    _name = "pm.survey.xlsx"
    _description = "Survey Campaign xlsx Export"

    @api.model
    def _generate(self, campaign):
        campaign.ensure_one()
        campaign.check_access("read")
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        styles = {
            "bold": book.add_format({"bold": True}),
            "head": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "pct": book.add_format({"num_format": "0.00"}),
        }
        self._sheet_summary(book, styles, campaign)
        self._sheet_items(book, styles, campaign)
        self._sheet_answers(book, styles, campaign)
        self._sheet_opinions(book, styles, campaign)
        book.close()
        return buf.getvalue()

    def _text(self, sheet, row, col, value, style=None):
        sheet.write_string(
            row, col, "" if value in (False, None) else str(value), style
        )

    def _header(self, sheet, styles, titles):
        for col, title in enumerate(titles):
            self._text(sheet, 0, col, title, styles["head"])
            sheet.set_column(col, col, max(12, len(title) + 2))

    def _sheet_summary(self, book, styles, campaign):
        sheet = book.add_worksheet(_("Summary"))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 40)
        rows = [
            (_("Campaign"), campaign.name),
            (_("Property"), campaign.property_id.display_name),
            (_("Collection Start"), str(campaign.date_start)),
            (_("Collection End"), str(campaign.date_end)),
            (_("Scale"), campaign.scale),
        ]
        numbers = [
            (_("Occupied Units"), campaign.occupied_unit_count),
            (_("Forms to Hand Out"), campaign.target_count),
            (_("Handed Out"), campaign.distributed_count),
            (_("Returned"), campaign.returned_count),
            (_("Recovery Rate (%)"), campaign.recovery_rate),
            (_("Valid Answers"), campaign.valid_answer_count),
            (_("Satisfied Answers"), campaign.satisfied_answer_count),
            (_("Satisfaction Rate (%)"), campaign.satisfaction_rate),
        ]
        if campaign.previous_campaign_id:
            rows.append((_("Previous Campaign"), campaign.previous_campaign_id.name))
            numbers.append(
                (_("Previous Satisfaction (%)"), campaign.previous_satisfaction_rate)
            )
            numbers.append((_("Change (points)"), campaign.satisfaction_delta))
        row = 0
        for label, value in rows:
            self._text(sheet, row, 0, label, styles["bold"])
            self._text(sheet, row, 1, value)
            row += 1
        for label, value in numbers:
            self._text(sheet, row, 0, label, styles["bold"])
            sheet.write_number(row, 1, value)
            row += 1

    def _sheet_items(self, book, styles, campaign):
        sheet = book.add_worksheet(_("Items"))
        self._header(
            sheet,
            styles,
            [
                _("Service Item"),
                *campaign._level_labels(),
                _("Valid Answers"),
                _("Satisfied Answers"),
                _("Satisfaction Rate (%)"),
                _("Previous Rate (%)"),
            ],
        )
        row = 1
        for data in campaign._report_item_rows():
            self._text(sheet, row, 0, data["item"])
            col = 1
            for value in [*data["counts"], data["valid"], data["satisfied"]]:
                sheet.write_number(row, col, value)
                col += 1
            sheet.write_number(row, col, data["rate"], styles["pct"])
            if data["has_previous"]:
                sheet.write_number(row, col + 1, data["previous"], styles["pct"])
            row += 1
        self._text(sheet, row, 0, _("Overall"), styles["bold"])
        col = len(campaign._levels()) + 1
        sheet.write_number(row, col, campaign.valid_answer_count)
        sheet.write_number(row, col + 1, campaign.satisfied_answer_count)
        sheet.write_number(row, col + 2, campaign.satisfaction_rate, styles["pct"])
        if campaign.previous_campaign_id:
            sheet.write_number(
                row, col + 3, campaign.previous_satisfaction_rate, styles["pct"]
            )

    def _sheet_answers(self, book, styles, campaign):
        sheet = book.add_worksheet(_("Answers"))
        questions = campaign.survey_id.question_ids.filtered(
            lambda q: not q.is_page
        ).sorted("sequence")
        self._header(
            sheet,
            styles,
            [
                _("Building"),
                _("Unit"),
                _("Owner"),
                _("Channel"),
                _("Handed Out By"),
                _("Handed Out On"),
                _("Owner Signed Receipt"),
                _("Returned On"),
                _("Signed"),
                *questions.mapped("title"),
            ],
        )
        answers = defaultdict(dict)
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("pm_campaign_id", "=", campaign.id),
                    ("user_input_id.state", "=", "done"),
                    ("skipped", "=", False),
                ]
            )
        )
        for line in lines:
            if line.answer_type == "suggestion":
                value = line.suggested_answer_id.value
            else:
                value = line[f"value_{line.answer_type}"]
            answers[line.user_input_id.id][line.question_id.id] = value
        channels = dict(
            self.env["pm.survey.distribution"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        respondents = dict(
            self.env["pm.survey.distribution"]
            ._fields["respondent"]
            ._description_selection(self.env)
        )
        row = 1
        for dist in campaign.distribution_ids.filtered(lambda d: d.distributed_at):
            anonymous = dist.respondent == "anonymous"
            values = [
                dist.building_id.name,
                dist.unit_id.name,
                "" if anonymous else dist.partner_id.name,
                channels.get(dist.channel, ""),
                dist.distributed_by_id.name,
                self._local(campaign, dist.distributed_at),
                _("Yes") if dist.signed_off else _("No"),
                self._local(campaign, dist.returned_at),
                respondents.get(dist.respondent, ""),
            ]
            done = dist.user_input_ids.filtered(lambda i: i.state == "done")[:1]
            values += [answers[done.id].get(q.id, "") for q in questions]
            for col, value in enumerate(values):
                self._text(sheet, row, col, value)
            row += 1

    def _sheet_opinions(self, book, styles, campaign):
        sheet = book.add_worksheet(_("Opinions"))
        self._header(
            sheet,
            styles,
            [
                _("Summary"),
                _("Service Item"),
                _("Responsible Team"),
                _("Unit"),
                _("State"),
                _("Description"),
                _("Follow-up"),
            ],
        )
        states = dict(
            self.env["pm.survey.opinion"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for row, opinion in enumerate(campaign.opinion_ids, start=1):
            values = [
                opinion.name,
                opinion.item_id.name,
                opinion.team_id.name,
                opinion.unit_id.name,
                states.get(opinion.state),
                opinion.description,
                opinion.follow_up,
            ]
            for col, value in enumerate(values):
                self._text(sheet, row, col, value)

    def _local(self, campaign, moment):
        if not moment:
            return ""
        return campaign._localize(moment).strftime("%Y-%m-%d %H:%M")
