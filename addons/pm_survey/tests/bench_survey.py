# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Statistics bench: 2,000 households x 10 items, in a rolled-back transaction.

Not collected by pytest. Run in an Odoo shell on a database with the demo data:
    odoo-bin shell -c odoo.conf -d <db> < addons/pm_survey/tests/bench_survey.py
"""

import sys
import time

HOUSEHOLDS, ITEMS = 2000, 10
campaign = env.ref("pm_survey.pm_survey_campaign_running_demo")  # noqa: F821
survey = campaign.survey_id
template = campaign.item_line_ids[0].question_id
extra = env["pm.survey.item"].create(  # noqa: F821
    [
        {"name": f"Bench {n}", "code": f"bench_{n}"}
        for n in range(ITEMS - len(campaign.item_line_ids))
    ]
)
for item in extra:
    question = template.copy({"title": item.name, "pm_item_id": item.id})
    campaign.item_line_ids = [(0, 0, {"item_id": item.id, "question_id": question.id})]
env.flush_all()  # noqa: F821
cr = env.cr  # noqa: F821
dist = campaign.distribution_ids[0].id
cr.execute(
    """INSERT INTO survey_user_input (survey_id, state, access_token,
           pm_distribution_id, pm_campaign_id, create_date, write_date)
       SELECT %s, 'done', md5(random()::text), %s, %s, now(), now()
       FROM generate_series(1, %s) RETURNING id""",
    (survey.id, dist, campaign.id, HOUSEHOLDS),
)
inputs = [row[0] for row in cr.fetchall()]
lines = []
for n, line in enumerate(campaign.item_line_ids):
    answers = line.question_id.suggested_answer_ids
    for i, input_id in enumerate(inputs):
        answer = answers[(i * 7 + n) % len(answers)]
        lines.append(
            (
                input_id,
                survey.id,
                line.question_id.id,
                answer.id,
                answer.pm_level,
                campaign.id,
            )
        )
cr.execute(
    "INSERT INTO survey_user_input_line (user_input_id, survey_id, question_id,"
    " suggested_answer_id, pm_level, pm_campaign_id, answer_type, skipped)"
    " SELECT x.*, 'suggestion', false FROM unnest(%s, %s, %s, %s, %s::varchar[],"
    " %s) AS x",
    [list(col) for col in zip(*lines, strict=True)],
)
cr.execute("ANALYZE survey_user_input_line")
env.invalidate_all()  # noqa: F821
runs = []
for _run in range(5):
    env.invalidate_all()  # noqa: F821
    queries = cr.sql_log_count
    start = time.perf_counter()
    campaign._compute_statistics()
    campaign.item_line_ids._compute_statistics()
    env.flush_all()  # noqa: F821
    runs.append((time.perf_counter() - start, cr.sql_log_count - queries))
sys.stdout.write(
    f"{len(inputs)} households x {len(campaign.item_line_ids)} items = "
    f"{len(lines)} answers; satisfaction {campaign.satisfaction_rate} %; "
    f"runs (s, queries): {[(round(t, 3), q) for t, q in runs]}\n"
)
cr.rollback()
