# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Survey statistics bench, run by ``scripts/bench --survey`` in an Odoo shell on the
scratch database (pm_survey with demo data). Everything happens in one transaction
rolled back at the end.

1. A full recount of a campaign's statistics over HOUSEHOLDS x ITEMS answers
   (``_recompute_statistics``: counts per item and level, valid forms), side by side
   with a bare SQL GROUP BY computing the same counts (the anchor), in the same run:
   the ratio is what counts (target <= 3x).
2. Keying in one paper form (``_record_paper_answer``, what the keying wizard calls)
   in a campaign of SMALL answers and in one of HOUSEHOLDS answers: time and queries
   per form, and their ratio (target: the same queries, about the same time).
3. The campaign's xlsx export (every rate and every answer) over the HOUSEHOLDS
   answers, side by side with the anchor: the answers read by one bare SQL query and
   bare xlsxwriter writing the same cells (the workbook read back), in the same run
   (target <= 3x).
"""

import io
import os
import sys
import time
from datetime import date, datetime

import pytz

HOUSEHOLDS = int(os.environ.get("PM_BENCH_HOUSEHOLDS", "2000"))
ITEMS = 10
SMALL = 20
FORMS = int(os.environ.get("PM_BENCH_FORMS", "20"))
RUNS = 5

cr = env.cr  # noqa: F821 (odoo shell)
Campaign = env["pm.survey.campaign"]  # noqa: F821
prop = env.ref("pm_customer_service.pm_property_demo")  # noqa: F821
tz = pytz.timezone(prop.tz or "UTC")


def utc(day, hour):
    local = tz.localize(datetime.combine(day, datetime.min.time()).replace(hour=hour))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def measure(func):
    env.flush_all()  # noqa: F821
    env.invalidate_all()  # noqa: F821
    queries = cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()  # noqa: F821
    return time.perf_counter() - start, cr.sql_log_count - queries


def campaign_with_items(start):
    """A running campaign of the demo property with ITEMS service items, its forms
    prepared and handed out on its first day at 10:00."""
    campaign = Campaign.create(
        {
            "property_id": prop.id,
            "date_start": start,
            "date_end": start.replace(day=12),
            "name": f"pm-bench {start}",
        }
    )
    template = campaign.item_line_ids[0].question_id
    extra = env["pm.survey.item"].create(  # noqa: F821
        [
            {"name": f"pm-bench {start} {n}", "code": f"pm_bench_{start}_{n}"}
            for n in range(ITEMS - len(campaign.item_line_ids))
        ]
    )
    for item in extra:
        question = template.copy({"title": item.name, "pm_item_id": item.id})
        campaign.item_line_ids = [
            (0, 0, {"item_id": item.id, "question_id": question.id})
        ]
    campaign.write({"state": "approved"})
    campaign.action_start()
    campaign.action_generate_distribution()
    campaign.distribution_ids.write(
        {"distributed_at": utc(start, 10), "distributed_by_id": env.uid}  # noqa: F821
    )
    return campaign


def bulk_answers(campaign, households):
    """``households`` completed answers of every item, inserted by SQL."""
    env.flush_all()  # noqa: F821
    cr.execute(
        """INSERT INTO survey_user_input (survey_id, state, access_token,
               pm_campaign_id, create_date, write_date)
           SELECT %s, 'done', md5(random()::text), %s, now(), now()
           FROM generate_series(1, %s) RETURNING id""",
        (campaign.survey_id.id, campaign.id, households),
    )
    inputs = [row[0] for row in cr.fetchall()]
    for n, line in enumerate(campaign.item_line_ids):
        answers = line.question_id.suggested_answer_ids
        cr.execute(
            """INSERT INTO survey_user_input_line (user_input_id, survey_id,
                   question_id, suggested_answer_id, pm_level, pm_campaign_id,
                   answer_type, skipped)
               SELECT i, %s, %s, (%s::int[])[1 + (i * 7 + %s) %% %s],
                      (%s::varchar[])[1 + (i * 7 + %s) %% %s], %s, 'suggestion', false
               FROM unnest(%s::int[]) AS i""",
            (
                campaign.survey_id.id,
                line.question_id.id,
                answers.ids,
                n,
                len(answers),
                answers.mapped("pm_level"),
                n,
                len(answers),
                campaign.id,
                inputs,
            ),
        )
    cr.execute("ANALYZE survey_user_input_line")
    cr.execute("ANALYZE survey_user_input")


ANCHOR = """
    SELECT l.question_id, l.pm_level, count(*)
      FROM survey_user_input_line l
      JOIN survey_user_input i ON i.id = l.user_input_id
     WHERE l.pm_campaign_id = %(campaign)s AND l.pm_level IS NOT NULL
       AND NOT l.skipped AND i.state = 'done'
     GROUP BY l.question_id, l.pm_level;
    SELECT count(DISTINCT l.user_input_id)
      FROM survey_user_input_line l
      JOIN survey_user_input i ON i.id = l.user_input_id
     WHERE l.pm_campaign_id = %(campaign)s AND l.pm_level IS NOT NULL
       AND NOT l.skipped AND i.state = 'done'
"""


def anchor(campaign):
    def run():
        cr.execute(ANCHOR, {"campaign": campaign.id})
        cr.fetchall()

    return run


def key_in(campaign, forms):
    """Key in ``forms`` paper forms, each answering "satisfied" to every item."""
    lines = campaign.distribution_ids.filtered(lambda d: d.state == "distributed")
    answers = {
        line.question_id: line.question_id.suggested_answer_ids.filtered(
            lambda a: a.pm_level == "satisfied"
        )
        for line in campaign.item_line_ids
    }
    returned = utc(campaign.date_start.replace(day=2), 15)

    def run():
        for line in lines[:forms]:
            line._record_paper_answer(answers, returned_at=returned)
            env.flush_all()  # noqa: F821

    return run


large = campaign_with_items(date(2020, 3, 1))
small = campaign_with_items(date(2020, 9, 1))
bulk_answers(large, HOUSEHOLDS)
bulk_answers(small, SMALL)
answers = HOUSEHOLDS * len(large.item_line_ids)

print(f"\n== survey statistics: {HOUSEHOLDS} households x {ITEMS} items ==")
sql_runs = [measure(anchor(large)) for _run in range(RUNS)]
orm_runs = [measure(large._recompute_statistics) for _run in range(RUNS)]
sql_s, sql_q = min(sql_runs)
orm_s, orm_q = min(orm_runs)
for label, seconds, queries in (
    ("bare SQL GROUP BY (anchor)", sql_s, sql_q),
    ("campaign._recompute_statistics()", orm_s, orm_q),
):
    print(f"{label:<44} {seconds * 1000:8.2f} ms  {queries:3d} queries")
print(
    f"{answers} answers, {large.valid_form_count} valid forms, satisfaction "
    f"{large.satisfaction_rate_display} | ratio {orm_s / sql_s:.2f}x the anchor "
    "(target <= 3x)"
)
failures = []
if large.valid_form_count != HOUSEHOLDS or large.valid_answer_count != answers:
    failures.append("the recount did not find every answer")

print(f"\n== keying in a paper form: campaigns of {SMALL} and {HOUSEHOLDS} answers ==")
# one form each first: caches, prefetch
measure(key_in(small, 1))
measure(key_in(large, 1))
per_form = {}
sizes = (("small", small, SMALL), ("large", large, HOUSEHOLDS))
for label, campaign, existing in sizes:
    elapsed, queries = measure(key_in(campaign, FORMS))
    per_form[label] = (elapsed / FORMS, queries / FORMS)
    print(
        f"{f'campaign of {existing} answers':<44} {elapsed * 1000 / FORMS:8.2f} ms/form"
        f"  {queries / FORMS:5.1f} queries/form"
    )
(small_s, small_q), (large_s, large_q) = per_form["small"], per_form["large"]
print(
    f"per form: large / small = {large_s / small_s:.2f}x time, "
    f"{large_q / small_q:.2f}x queries (target: the same queries, about 1x time)"
)
if large_q != small_q:
    failures.append("keying a form costs more queries in a larger campaign")

print(f"\n== xlsx export: {HOUSEHOLDS} households x {ITEMS} items ==")
import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

Xlsx = env["pm.survey.xlsx"]  # noqa: F821
exported = {}


def export():
    exported["data"] = Xlsx._generate(large)


measure(export)  # caches
book = openpyxl.load_workbook(io.BytesIO(exported["data"]), read_only=True)
sheets = [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book]
cells = sum(len(row) for _title, rows in sheets for row in rows)


def bare_xlsx():
    cr.execute(
        """SELECT l.user_input_id, l.question_id, l.suggested_answer_id
             FROM survey_user_input_line l
             JOIN survey_user_input i ON i.id = l.user_input_id
            WHERE l.pm_campaign_id = %s AND i.state = 'done'""",
        (large.id,),
    )
    cr.fetchall()
    out = io.BytesIO()
    bare = xlsxwriter.Workbook(out, {"in_memory": True})
    for title, rows in sheets:
        sheet = bare.add_worksheet(title)
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    bare.close()


bare_runs = [measure(bare_xlsx) for _run in range(RUNS)]
xlsx_runs = [measure(export) for _run in range(RUNS)]
bare_s, _bare_q = min(bare_runs)
xlsx_s, xlsx_q = min(xlsx_runs)
print(f"{'bare SQL + xlsxwriter, same cells (anchor)':<44} {bare_s * 1000:8.2f} ms")
print(
    f"{'pm.survey.xlsx._generate()':<44} {xlsx_s * 1000:8.2f} ms  {xlsx_q:3d} queries"
)
print(f"{cells} cells | ratio {xlsx_s / bare_s:.2f}x the anchor (target <= 3x)")
cr.rollback()
if failures:
    print("\nERROR:", *failures)
    sys.exit(1)
