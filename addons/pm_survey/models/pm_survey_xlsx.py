# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from collections import defaultdict

import xlsxwriter

from odoo import _, api, models
from odoo.tools import SQL

from odoo.addons.pm_base.tools import clock
from odoo.addons.pm_base.tools.rates import NO_RATE, rate
from odoo.addons.pm_base.tools.xlsx import (
    Percent,
    XlsxWriterHelper,
)

# the column holding an answer of each kind, but a choice (its label)
VALUE_COLUMNS = {
    "text_box": "value_text_box",
    "char_box": "value_char_box",
    "numerical_box": "value_numerical_box",
    "scale": "value_scale",
    "date": "value_date",
    "datetime": "value_datetime",
}


class PmSurveyXlsx(models.AbstractModel):
    """xlsx export of a campaign (R-SUR-9): every rate and every answer, as tables a
    director sorts and filters (frozen headers, dates as dates, rates as
    percentages, "—" for a rate with nothing to measure). Text is always written as
    text so that an owner's comment starting with ``=`` never becomes a formula."""

    _name = "pm.survey.xlsx"
    _description = "Survey Campaign xlsx Export"

    @api.model
    def _generate(self, campaign):
        campaign.ensure_one()
        campaign.check_access("read")
        buf = io.BytesIO()
        book = xlsxwriter.Workbook(buf, {"in_memory": True})
        # one sheet a table: its headers and rows, fitted to their width
        for name, table in (
            (_("Summary"), self._table_summary),
            (_("Items"), self._table_items),
            (_("Answers"), self._table_answers),
            (_("Opinions"), self._table_opinions),
        ):
            xlsx = XlsxWriterHelper(book, book.add_worksheet(name))
            xlsx.table(0, *table(campaign))
            xlsx.fit_columns()
        book.close()
        return buf.getvalue()

    def _table_summary(self, campaign):
        scales = dict(campaign._fields["scale"]._description_selection(self.env))
        previous = campaign.previous_campaign_id
        rows = [
            (_("Campaign"), campaign.name),
            (_("Property"), campaign.property_id.display_name),
            (_("Collection Start"), campaign.date_start),
            (_("Collection End"), campaign.date_end),
            (_("Scale"), scales.get(campaign.scale, "")),
            (_("Occupied Units"), campaign.occupied_unit_count),
            (_("Forms to Hand Out"), campaign.target_count),
            (_("Handed Out"), campaign.distributed_count),
            (_("Returned"), campaign.returned_count),
            (
                _("Recovery Rate"),
                self._rate(campaign.returned_count, campaign.distributed_count),
            ),
            (_("Valid Forms"), campaign.valid_form_count),
            (_("Valid Ratings"), campaign.valid_answer_count),
            (_("Satisfied Ratings"), campaign.satisfied_answer_count),
            (
                _("Satisfaction Rate"),
                self._rate(
                    campaign.satisfied_answer_count, campaign.valid_answer_count
                ),
            ),
        ]
        if previous:
            delta = campaign.satisfaction_delta_display
            rows += [
                (_("Previous Campaign"), previous.name),
                (
                    _("Previous Satisfaction"),
                    self._rate(
                        previous.satisfied_answer_count, previous.valid_answer_count
                    ),
                ),
                (
                    _("Change (points)"),
                    campaign.satisfaction_delta if delta != NO_RATE else NO_RATE,
                ),
            ]
        return [_("Figure"), _("Value")], rows

    def _table_items(self, campaign):
        headers = [
            _("Service Item"),
            *campaign._level_labels(),
            _("Valid Ratings"),
            _("Satisfied Ratings"),
            _("Satisfaction Rate"),
            _("Previous Rate"),
        ]
        previous = campaign.previous_campaign_id
        rows = [
            [
                data["item"],
                *data["counts"],
                data["valid"],
                data["satisfied"],
                Percent(data["rate"]),
                Percent(data["previous"] if data["has_previous"] else None)
                if previous
                else None,
            ]
            for data in campaign._report_item_rows()
        ]
        rows.append(
            [
                _("Overall"),
                *[None] * len(campaign._levels()),
                campaign.valid_answer_count,
                campaign.satisfied_answer_count,
                self._rate(
                    campaign.satisfied_answer_count, campaign.valid_answer_count
                ),
                self._rate(previous.satisfied_answer_count, previous.valid_answer_count)
                if previous
                else None,
            ]
        )
        return headers, rows

    def _table_answers(self, campaign):
        questions = campaign.survey_id.question_ids.filtered(
            lambda q: not q.is_page
        ).sorted("sequence")
        headers = [
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
        ]
        answers = self._answer_values(campaign)
        Distribution = self.env["pm.survey.distribution"]
        channels = dict(
            Distribution._fields["channel"]._description_selection(self.env)
        )
        respondents = dict(
            Distribution._fields["respondent"]._description_selection(self.env)
        )
        rows = []
        for dist in campaign.distribution_ids.filtered(lambda d: d.distributed_at):
            anonymous = dist.respondent == "anonymous"
            done = dist.user_input_ids.filtered(lambda i: i.state == "done")[:1]
            rows.append(
                [
                    dist.building_id.name,
                    dist.unit_id.name,
                    "" if anonymous else dist.partner_id.name,
                    channels.get(dist.channel, ""),
                    dist.distributed_by_id.name,
                    self._local(campaign, dist.distributed_at),
                    _("Yes") if dist.signed_off else _("No"),
                    self._local(campaign, dist.returned_at),
                    respondents.get(dist.respondent, ""),
                    *[answers[done.id].get(q.id, "") for q in questions],
                ]
            )
        return headers, rows

    def _answer_values(self, campaign):
        """{form: {question: value}} of the campaign's completed forms, read in
        one query: a campaign has tens of thousands of answers, which records
        would read field by field. A choice reads as its label, in the reader's
        language."""
        self.env["survey.user_input.line"].flush_model()
        self.env["survey.user_input"].flush_model(["state"])
        columns = [SQL.identifier("l", column) for column in VALUE_COLUMNS.values()]
        self.env.cr.execute(
            SQL(
                """SELECT l.user_input_id, l.question_id, l.answer_type,
                          l.suggested_answer_id, %s
                     FROM survey_user_input_line l
                     JOIN survey_user_input i ON i.id = l.user_input_id
                    WHERE l.pm_campaign_id = %s
                      AND i.state = 'done'
                      AND l.skipped IS NOT TRUE
                 ORDER BY l.id""",
                SQL(", ").join(columns),
                campaign.id,
            )
        )
        rows = self.env.cr.fetchall()
        # the few choices of the questionnaire, each label read once
        choices = (
            self.env["survey.question.answer"]
            .sudo()
            .browse({row[3] for row in rows if row[3]})
        )
        labels = {choice.id: choice.value for choice in choices}
        kinds = {kind: index for index, kind in enumerate(VALUE_COLUMNS)}
        answers = defaultdict(dict)
        for form, question, kind, choice, *values in rows:
            if kind == "suggestion":
                answers[form][question] = labels.get(choice)
            elif kind in kinds:
                answers[form][question] = values[kinds[kind]]
        return answers

    def _table_opinions(self, campaign):
        headers = [
            _("Summary"),
            _("Service Item"),
            _("Responsible Team"),
            _("Unit"),
            _("State"),
            _("Description"),
            _("Follow-up"),
        ]
        states = dict(
            self.env["pm.survey.opinion"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        rows = [
            [
                opinion.name,
                opinion.item_id.name,
                opinion.team_id.name,
                opinion.unit_id.name,
                states.get(opinion.state),
                opinion.description,
                opinion.follow_up,
            ]
            for opinion in campaign.opinion_ids
        ]
        return headers, rows

    def _rate(self, part, whole):
        """A percentage cell, "—" with nothing to measure (R-RATE-1)."""
        return Percent(rate(part, whole))

    def _local(self, campaign, moment):
        """A UTC datetime as the property's wall-clock time (a naive cell value)."""
        return clock.local_naive(moment, campaign.property_id.tz)
