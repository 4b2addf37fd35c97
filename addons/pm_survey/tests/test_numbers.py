# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Numbers a director can trust: nothing to measure is "—" (R-RATE-1), rates add
up as ratios of sums, forms are counted apart from ratings (R-SUR-6), a campaign
with nothing to hand out does not start (R-SUR-3), keying in a form costs the
same whatever the size of the campaign."""

import base64
import io
from ast import literal_eval
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.pm_base.tools.write_guard import (
    workflow_writes,
)
from odoo.addons.pm_customer_service.tests.common import pdf_to_text

from .common import SurveyCommon, utc


@tagged("pm_survey", "-at_install", "post_install")
class TestNothingToMeasure(SurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_agent.lang = "zh_CN"
        cls.campaign = cls._running_campaign()
        cls.campaign.user_id = cls.user_agent

    def test_no_answer_reads_dash(self):
        """R-RATE-1: forms handed out, none back: satisfaction "—", recovery a
        real 0 %; nothing handed out: recovery "—" too."""
        campaign = self.campaign.with_user(self.user_agent)
        self.assertEqual(campaign.satisfaction_rate_display, "—")
        self.assertEqual(campaign.recovery_rate_display, "0.00 %")
        self.assertEqual(
            set(campaign.item_line_ids.mapped("satisfaction_rate_display")), {"—"}
        )
        empty = self._campaign(date_start=date(2024, 9, 1), date_end=date(2024, 9, 12))
        self.assertEqual(empty.recovery_rate_display, "—")
        self.assertEqual(empty.satisfaction_rate_display, "—")
        # the follow-up of an item with nothing measured says so, not "0 %"
        action = campaign.item_line_ids[0].action_create_opinion()
        opinion = self.env["pm.survey.opinion"].browse(action["res_id"])
        self.assertIn("—", opinion.name)
        self.assertNotIn("0.0", opinion.name)

    def test_previous_campaign_without_answers(self):
        """A previous campaign that measured nothing gives no comparison, not a
        fall from 0."""
        self.campaign.close_reason = "Nobody home"
        self.campaign.action_close()
        later = self._running_campaign(
            date_start=date(2024, 9, 1), date_end=date(2024, 9, 12)
        )
        self._key_in(later.distribution_ids[0], "very_satisfied", when=utc(2024, 9, 3))
        self.assertEqual(later.previous_campaign_id, self.campaign)
        self.assertEqual(later.satisfaction_rate_display, "100.00 %")
        self.assertEqual(later.previous_satisfaction_display, "—")
        self.assertEqual(later.satisfaction_delta_display, "—")
        self.assertEqual(
            set(later.item_line_ids.mapped("previous_rate_display")), {"—"}
        )
        self.assertFalse(any(later.item_line_ids.mapped("has_previous")))

    def test_views_show_the_display_and_plain_years(self):
        """Form, list and kanban show the "—"-aware rates; years have no thousands
        separator."""
        Campaign = self.env["pm.survey.campaign"]
        for view_type in ("form", "list", "kanban"):
            arch = etree.fromstring(Campaign.get_view(view_type=view_type)["arch"])
            with self.subTest(view=view_type):
                for name in ("satisfaction_rate", "recovery_rate"):
                    self.assertFalse(
                        arch.xpath(f"//field[@name='{name}']"), f"{name} shows 0 %"
                    )
                self.assertTrue(
                    arch.xpath("//field[@name='satisfaction_rate_display']")
                )
                for node in arch.xpath("//field[@name='year']"):
                    self.assertIn("'enable_formatting': false", node.get("options"))
        form = etree.fromstring(Campaign.get_view(view_type="form")["arch"])
        item_list = form.xpath("//field[@name='item_line_ids']//list")[0]
        self.assertFalse(item_list.xpath(".//field[@name='satisfaction_rate']"))
        self.assertTrue(item_list.xpath(".//field[@name='satisfaction_rate_display']"))

    def _pdf_text(self, campaign):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("pm_survey.action_report_campaign_analysis", campaign.ids)
        )
        self.assertEqual(fmt, "pdf")
        return pdf_to_text(pdf)

    def test_pdf_without_answers(self):
        """The 客户意见征询分析表 of a campaign with no answer: "—", never 0.00."""
        text = self._pdf_text(self.campaign)
        self.assertIn("征询分析表", text)
        self.assertIn("—", text)
        self.assertNotIn("0.00", text.replace("0.00 %", "", 1))  # recovery 0 %
        self.assertIn("2024", text)
        self.assertNotIn("2,024", text)

    def test_pdf_counts_forms_and_ratings(self):
        """有效答卷数 counts forms (households), the table counts ratings."""
        for line in self.campaign.distribution_ids[:4]:
            self._key_in(line, "satisfied")
        self.assertEqual(self.campaign.valid_form_count, 4)
        self.assertEqual(self.campaign.valid_answer_count, 24)  # 4 forms x 6 items
        text = self._pdf_text(self.campaign)
        self.assertRegex(text, r"有效答卷数[:：]\s*4\b")
        self.assertIn("80.00 %", text)  # recovery 4 / 5
        self.assertIn("100.00 %", text)
        self.assertNotIn("2,024", text)

    def test_xlsx_nothing_to_measure_and_name(self):
        """R-SUR-9: the export is named after the campaign, once ".xlsx"; every
        sheet has a frozen, filtered header; rates without answers are "—"."""
        action = (
            self.campaign.with_user(self.user_agent)
            .with_context(lang="zh_CN")
            .action_export_xlsx()
        )
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.name, f"{self.campaign.name}.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        for sheet in book.worksheets:
            self.assertEqual(sheet.freeze_panes, "A2", sheet.title)
            self.assertTrue(sheet.auto_filter.ref, sheet.title)
            self.assertGreaterEqual(sheet.column_dimensions["A"].width, 8)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        summary = {row[0]: row[1] for row in rows}
        self.assertEqual(summary["满意率"], "—")
        self.assertEqual(summary["回收率"], 0)  # handed out, none back: a real 0 %
        self.assertEqual(book.worksheets[0]["B11"].number_format, "0.00%")
        self.assertEqual(summary["有效答卷数"], 0)
        self.assertEqual(rows[3][1], datetime(2024, 3, 1))  # a date cell
        items = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertEqual({row[8] for row in items[1:]}, {"—"})


@tagged("pm_survey", "-at_install", "post_install")
class TestRatioOfSums(SurveyCommon):
    """R-RATE-1: grouped rates are the sum of numerators over the sum of
    denominators; groups with nothing to measure have no rate."""

    # campaign -> (property, start, state, distributed, returned,
    #              {item code: {level: count}})
    CAMPAIGNS = {
        "a_h1": (
            "a",
            date(2024, 3, 1),
            "closed",
            10,
            8,
            {
                "security": {"very_satisfied": 9, "dissatisfied": 1},
                "cleaning": {"satisfied": 1, "very_dissatisfied": 1},
            },
        ),
        "a_h2": ("a", date(2024, 9, 1), "running", 5, 0, {"security": {"basic": 1}}),
        "b_h1": ("b", date(2024, 3, 1), "running", 0, 0, {}),
        "a_draft": ("a", date(2025, 3, 1), "draft", 0, 0, {}),
    }
    # (model, groupby, rate field, {group key: expected rate or None})
    EXPECTED = [
        (
            "pm.survey.campaign.item",
            "item_id",
            "satisfaction_rate",
            # security (9 + 1) / (10 + 1), never the average 95 %; cleaning 1 / 2
            {"security": 90.91, "cleaning": 50.0, "parking": None},
        ),
        (
            "pm.survey.campaign.item",
            "property_id",
            "satisfaction_rate",
            {"a": round(100 * 11 / 13, 2), "b": None},
        ),
        (
            "pm.survey.campaign",
            "property_id",
            "satisfaction_rate",
            {"a": round(100 * 11 / 13, 2), "b": None},
        ),
        (
            "pm.survey.campaign",
            "property_id",
            "recovery_rate",
            # (8 + 0) / (10 + 5); the draft hands out nothing and weighs nothing
            {"a": 53.33, "b": None},
        ),
        (
            "pm.survey.campaign",
            "year",
            "recovery_rate",
            {2024: 53.33, 2025: None},
        ),
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        properties = {"a": cls.property_a, "b": cls.property_b}
        # the agent analyses both properties
        cls.property_b.user_ids = [(4, cls.user_agent.id)]
        items = {item.code: item for item in cls.env["pm.survey.item"].search([])}
        cls.items = items
        cls.properties = properties
        cls.campaigns = {}
        Campaign = cls.env["pm.survey.campaign"]
        for key, (
            prop,
            start,
            state,
            distributed,
            returned,
            counts,
        ) in cls.CAMPAIGNS.items():
            campaign = Campaign.create(
                {
                    "property_id": properties[prop].id,
                    "date_start": start,
                    "date_end": date(start.year, start.month, 12),
                }
            )
            with workflow_writes():
                # the counts as the answers would have left them
                campaign.write({"state": state})
                campaign.flush_recordset()
                campaign.write(
                    {"distributed_count": distributed, "returned_count": returned}
                )
                for code, levels in counts.items():
                    line = campaign.item_line_ids.filtered(
                        lambda li, c=code: li.item_id.code == c
                    )
                    line.write({f"count_{lv}": n for lv, n in levels.items()})
            cls.campaigns[key] = campaign
        cls.env.flush_all()

    def _key(self, value):
        if isinstance(value, tuple):  # many2one (id, name) of read_group
            record_id = value[0]
            for key, prop in self.properties.items():
                if prop.id == record_id:
                    return key
            for code, item in self.items.items():
                if item.id == record_id:
                    return code
        return value

    def test_grouped_rates(self):
        item_domain = self.env["ir.actions.actions"]._for_xml_id(
            "pm_survey.pm_survey_campaign_item_action"
        )["domain"]
        ids = [c.id for c in self.campaigns.values()]
        for model, groupby, rate, expected in self.EXPECTED:
            Model = self.env[model].with_user(self.user_agent)
            if model == "pm.survey.campaign.item":
                # the analysis action leaves out the campaigns not started
                domain = [("campaign_id", "in", ids), *literal_eval(item_domain)]
            else:
                domain = [("id", "in", ids)]
            with self.subTest(model=model, groupby=groupby, rate=rate):
                # the pivot: its rows and its total in one call
                spec = f"{rate}:avg"
                groups, [pivot_total] = Model.formatted_read_grouping_sets(
                    domain, [[groupby], []], [spec]
                )
                self.assertIsNotNone(pivot_total[spec])
                got = {self._key(g[groupby]): g[spec] for g in groups}
                for key, value in expected.items():
                    if key in got or value is not None:  # no parking line
                        self.assertEqual(got.get(key), value, (key, got))
                if groupby == "property_id":
                    self.assertEqual(set(got), {"a", "b"})
                # the whole: one line, no groupby
                [total] = Model._read_group(domain, [], [f"{rate}:avg"])
                self.assertIsNotNone(total[0])

    def test_draft_campaigns_left_out_of_item_analysis(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "pm_survey.pm_survey_campaign_item_action"
        )
        lines = self.env["pm.survey.campaign.item"].search(
            [
                *literal_eval(action["domain"]),
                ("campaign_id", "in", [c.id for c in self.campaigns.values()]),
            ]
        )
        self.assertNotIn(self.campaigns["a_draft"], lines.campaign_id)
        self.assertIn(self.campaigns["a_h2"], lines.campaign_id)
        # the whole analysis: 11 satisfied of 13, not dragged down by empty items
        [(rate, count)] = self.env["pm.survey.campaign.item"]._read_group(
            [("id", "in", lines.ids)], [], ["satisfaction_rate:avg", "__count"]
        )
        self.assertEqual(rate, round(100 * 11 / 13, 2))
        self.assertEqual(count, len(lines))

    def test_list_rates_cost_no_query_per_campaign(self):
        """The "—"-aware rates of a list of campaigns are read with the list."""
        campaigns = self.env["pm.survey.campaign"].browse(
            [c.id for c in self.campaigns.values()]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            shown = campaigns.mapped(
                lambda c: (c.recovery_rate_display, c.satisfaction_rate_display)
            )
        self.assertEqual(
            shown,
            [
                ("80.00 %", "83.33 %"),  # 8 / 10; 10 / 12
                ("0.00 %", "100.00 %"),
                ("—", "—"),
                ("—", "—"),
            ],
        )

    def test_graph_leaves_out_nothing_to_measure(self):
        """A graph drops the groups of count 0: a year with nothing measured is no
        bar at 0 %."""
        ids = [c.id for c in self.campaigns.values()]
        Campaign = self.env["pm.survey.campaign"].with_user(self.user_agent)
        # the graph's call: the count and its one measure
        groups = Campaign.with_context(fill_temporal=True).formatted_read_group(
            [("id", "in", ids)], ["year"], ["__count", "recovery_rate:avg"]
        )
        points = {g["year"]: (g["recovery_rate:avg"], g["__count"]) for g in groups}
        self.assertEqual(points, {2024: (53.33, 3), 2025: (None, 0)})
        # lists and kanbans keep their counts
        groups = Campaign.web_read_group(
            [("id", "in", ids)], ["year"], ["recovery_rate:avg"]
        )["groups"]
        self.assertEqual({g["year"]: g["__count"] for g in groups}, {2024: 3, 2025: 1})

    def test_pivot_shows_dash(self):
        """A pivot cell with nothing to measure has no rate (not 0), and the
        pivots format their rates with the widget that shows it as "—"."""
        ids = [c.id for c in self.campaigns.values()]
        Campaign = self.env["pm.survey.campaign"].with_user(self.user_agent)
        [groups] = Campaign.formatted_read_grouping_sets(
            [("id", "in", ids)],
            [["year"]],
            ["recovery_rate:avg", "satisfaction_rate:avg"],
        )
        self.assertEqual(
            {
                g["year"]: (g["recovery_rate:avg"], g["satisfaction_rate:avg"])
                for g in groups
            },
            {2024: (53.33, round(100 * 11 / 13, 2)), 2025: (None, None)},
        )
        for model, view, rates in (
            (
                Campaign,
                "pm_survey_campaign_view_pivot",
                {"recovery_rate", "satisfaction_rate"},
            ),
            (
                self.env["pm.survey.campaign.item"].with_user(self.user_agent),
                "pm_survey_campaign_item_view_pivot",
                {"satisfaction_rate"},
            ),
        ):
            arch = model.get_view(self.env.ref(f"pm_survey.{view}").id)["arch"]
            widgets = {
                node.get("name"): node.get("widget")
                for node in etree.fromstring(arch).xpath("//field[@type='measure']")
                if node.get("name") in rates
            }
            self.assertEqual(widgets, dict.fromkeys(rates, "pm_rate"), view)

    def test_counts_are_not_typed_in(self):
        line = self.campaigns["a_h2"].item_line_ids[0]
        with self.assertRaisesText(UserError, "counted"):
            line.with_user(self.user_agent).write({"count_satisfied": 50})


@tagged("pm_survey", "-at_install", "post_install")
class TestNothingToHandOut(SurveyCommon):
    def test_no_occupied_unit_refused_at_start(self):
        """R-SUR-3: a property with no occupied unit has a quota of 0: the campaign
        neither starts nor prepares forms, with a clear message."""
        campaign = self._campaign(
            property_id=self.property_b.id,
            date_start=date(2024, 3, 1),
            date_end=date(2024, 3, 12),
        )
        self.assertEqual(campaign.target_count, 0)
        with self.assertRaisesText(UserError, "no occupied unit"):
            campaign.action_generate_distribution()
        campaign.write({"state": "approved"})
        with self.assertRaisesText(UserError, "no form to hand out"):
            campaign.action_start()
        self.assertEqual(campaign.state, "approved")
        self.assertFalse(campaign.distribution_ids)
        # in Chinese for a Chinese user
        with self.assertRaises(UserError) as catcher:
            campaign.with_context(lang="zh_CN").action_generate_distribution()
        self.assertIn("入住", str(catcher.exception))
        # once a unit is occupied, the draft's quota follows it
        self.unit_b.write({"state": "occupied", "owner_ids": [(6, 0, self.owner.ids)]})
        campaign.write({"state": "draft"})
        campaign.action_generate_distribution()
        self.assertEqual(campaign.target_count, 1)
        self.assertEqual(campaign.distribution_ids.unit_id, self.unit_b)


# queries to save the keying wizard of one paper form of 6 items (CS agent),
# whatever the size of the campaign
KEYING_QUERIES = 32


@tagged("pm_survey", "-at_install", "post_install")
class TestKeyingCost(SurveyCommon):
    """R-SUR-5/6: keying in one paper form adds it to the figures; it never counts
    the whole campaign again, so it costs the same at 20 answers or 2,000."""

    def _bulk_answers(self, campaign, households):
        """``households`` completed answers of every item, inserted by SQL (no
        counting): the campaign is large, its figures untouched."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            """INSERT INTO survey_user_input (survey_id, state, access_token,
                   pm_campaign_id, create_date, write_date)
               SELECT %s, 'done', md5(random()::text), %s, now(), now()
               FROM generate_series(1, %s) RETURNING id""",
            (campaign.survey_id.id, campaign.id, households),
        )
        inputs = [row[0] for row in cr.fetchall()]
        for line in campaign.item_line_ids:
            answer = line.question_id.suggested_answer_ids[0]
            cr.execute(
                """INSERT INTO survey_user_input_line (user_input_id, survey_id,
                       question_id, suggested_answer_id, pm_level, pm_campaign_id,
                       answer_type, skipped)
                   SELECT unnest(%s), %s, %s, %s, %s, %s, 'suggestion', false""",
                (
                    inputs,
                    campaign.survey_id.id,
                    line.question_id.id,
                    answer.id,
                    answer.pm_level,
                    campaign.id,
                ),
            )

    def _key_in_first(self, campaign):
        """The keying wizard of the CS agent, filled for the first form of
        ``campaign`` (the caches emptied): saving it is what gets counted."""
        Wizard = self.env["pm.survey.answer.wizard"].with_user(self.user_agent)
        action = Wizard._action_open(campaign, campaign.distribution_ids[0])
        wizard = Wizard.browse(action["res_id"])
        wizard.returned_at = utc(2024, 3, 4, 15)
        for line in wizard.line_ids:
            line.answer_id = line.question_id.suggested_answer_ids.filtered(
                lambda a: a.pm_level == "satisfied"
            )
        self.env.flush_all()
        self.env.invalidate_all()
        return wizard.action_save

    @freeze_time("2024-03-04 07:00:00")
    def test_same_query_count_small_and_large(self):
        small = self._running_campaign()
        large = self._running_campaign(
            date_start=date(2024, 3, 2), date_end=date(2024, 3, 13)
        )
        self._bulk_answers(small, 20)
        self._bulk_answers(large, 2000)
        # a first form warms the caches of the models involved
        self._key_in_first(self._running_campaign(date_start=date(2024, 3, 3)))()
        self.env.flush_all()
        key_in = self._key_in_first(small)
        with self.assertQueryCount(KEYING_QUERIES):
            key_in()
        key_in = self._key_in_first(large)
        with self.assertQueryCount(KEYING_QUERIES):
            key_in()
        # the form counted, the bulk rows not: no campaign-wide recount ran
        self.assertEqual(large.valid_form_count, 1)
        self.assertEqual(large.item_line_ids[0].count_satisfied, 1)
        # a full recount finds the large campaign's 2,001 forms
        large._recompute_statistics()
        self.assertEqual(large.valid_form_count, 2001)
        self.assertEqual(large.valid_answer_count, 2001 * 6)

    def test_incremental_equals_recount(self):
        """What the forms added one by one equals a full recount."""
        campaign = self._running_campaign()
        levels = ["very_satisfied", "satisfied", "basic", "dissatisfied"]
        for line, level in zip(campaign.distribution_ids, levels, strict=False):
            self._key_in(line, [level] + ["very_dissatisfied"] * 5)
        fields_ = [f"count_{lv}" for lv in campaign._levels()] + [
            "valid_count",
            "satisfied_count",
            "satisfaction_rate",
        ]
        before = campaign.item_line_ids.read(fields_)
        figures = (campaign.valid_form_count, campaign.valid_answer_count)
        with workflow_writes():
            campaign.item_line_ids.write({f: 0 for f in fields_[:5]})
        campaign._recompute_statistics()
        self.assertEqual(campaign.item_line_ids.read(fields_), before)
        self.assertEqual(
            (campaign.valid_form_count, campaign.valid_answer_count), figures
        )
        self.assertEqual(figures, (4, 24))
        self.assertEqual(campaign.satisfied_answer_count, 3)
