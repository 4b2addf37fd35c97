# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Monthly quality analysis over a month of many cases (run by scripts/bench inside
``odoo-bin shell``; not part of the test suite).

Prints, in one run and one database:
- the analysis' figures (``_compute_figures``: every count, rate, breakdown and the
  recurring complaints, lines written) side by side with a bare SQL GROUP BY that
  computes the same counts, as a ratio (target <= 3x);
- the PDF render time and page count of that month (target <= 3 s, a few pages).

Environment: PM_BENCH_QA_CASES (default 10000), PM_BENCH_QA_UNITS (default 500),
PM_BENCH_QA_PDF (default: the PDF is written there when set).
"""

import os
import subprocess
import time

from dateutil.relativedelta import relativedelta

env = env  # noqa: F821 (odoo shell)
cr = env.cr
N_CASES = int(os.environ.get("PM_BENCH_QA_CASES", 10000))
N_UNITS = int(os.environ.get("PM_BENCH_QA_UNITS", 500))
PDF_PATH = os.environ.get("PM_BENCH_QA_PDF")
MARK = "pm-bench-quality"
CODE = "BENCHQ"


def scratch_property():
    """A property of its own (Shanghai), with units and teams, built once."""
    prop = env["pm.property"].search([("code", "=", CODE)])
    if prop:
        return prop
    prop = env["pm.property"].create(
        {
            "name": "Bench Quality",
            "code": CODE,
            "tz": "Asia/Shanghai",
            "total_floor_area": 60000,
        }
    )
    building = env["pm.building"].create(
        {"name": "Q1", "code": f"{CODE}-1", "property_id": prop.id}
    )
    env["pm.unit"].create(
        [
            {
                "building_id": building.id,
                "number": f"{i // 20 + 1}{i % 20 + 1:02d}",
                "floor": i // 20 + 1,
                "area": 80,
                "state": "occupied",
            }
            for i in range(N_UNITS)
        ]
    )
    env["pm.team"].create(
        [{"name": f"Bench team {i}", "property_id": prop.id} for i in range(6)]
    )
    cr.commit()
    return prop


def fill_month(prop, month):
    """N_CASES cases spread over the month, units, types, teams and outcomes."""
    cr.execute("DELETE FROM pm_case WHERE subject = %s", (MARK,))
    report = env["pm.quality.report"]
    start, stop = report.new({"property_id": prop.id, "month": month})._utc_bounds()
    units = env["pm.unit"].search([("property_id", "=", prop.id)]).ids
    teams = env["pm.team"].search([("property_id", "=", prop.id)]).ids
    stage = env["pm.case.stage"].search([("state", "=", "closed")], limit=1)
    seconds = int((stop - start).total_seconds())
    cr.execute(
        """
        INSERT INTO pm_case (
            name, subject, description, request_type, channel, intake_date,
            stage_id, state, property_id, company_id, unit_id, team_id,
            validity, severity, resolved_date, is_resolved_on_time, is_closed,
            return_visit_done, satisfaction, is_satisfied, reopen_count,
            deadline_change_count, escalation_level, active,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BENCHQ-' || g, %(mark)s, 'bulk',
            (ARRAY['complaint', 'help', 'consultation', 'suggestion', 'repair'])
                [1 + (g / 500) %% 5],
            (ARRAY['phone', 'front_desk', 'portal', 'email'])[1 + g %% 4],
            %(start)s + (g * 7919 %% %(seconds)s) * interval '1 second',
            %(stage)s, 'closed', %(prop)s, %(company)s,
            (%(units)s::int[])[1 + (g * 31) %% %(n_units)s],
            (%(teams)s::int[])[1 + g %% %(n_teams)s],
            CASE WHEN g %% 50 = 0 THEN 'invalid' ELSE 'valid' END,
            CASE WHEN g %% 40 = 0 THEN 'major' WHEN g %% 7 = 0 THEN 'important'
                 ELSE 'general' END,
            CASE WHEN g %% 10 < 8 THEN %(start)s END,
            g %% 10 < 7, g %% 10 < 6, g %% 10 < 5,
            CASE WHEN g %% 3 = 0 THEN '5' WHEN g %% 3 = 1 THEN '1' END,
            g %% 3 = 0, (g %% 17 = 0)::int, 0, '0', TRUE, 1, 1, now(), now()
        FROM generate_series(1, %(n)s) AS g
        """,
        {
            "mark": MARK,
            "start": start,
            "seconds": seconds,
            "stage": stage.id,
            "prop": prop.id,
            "company": prop.company_id.id,
            "units": units,
            "n_units": len(units),
            "teams": teams,
            "n_teams": len(teams),
            "n": N_CASES,
        },
    )
    cr.execute("ANALYZE pm_case")
    cr.commit()
    env.invalidate_all()
    return start, stop


def anchor(prop, start, stop):
    """The same counts from one bare GROUP BY (no ORM, no lines written)."""
    cr.execute(env["pm.quality.report"]._counts_sql(prop.id, start, stop))
    return cr.fetchall()


def timed(func, rounds=3, setup=None):
    """Best of ``rounds``: (seconds, queries, result); ``setup()`` runs before each
    round, untimed."""
    best = None
    for _round in range(rounds):
        if setup:
            setup()
        env.flush_all()
        env.invalidate_all()
        queries0 = cr.sql_log_count
        begin = time.perf_counter()
        result = func()
        env.flush_all()
        elapsed = time.perf_counter() - begin
        queries = cr.sql_log_count - queries0
        if best is None or elapsed < best[0]:
            best = (elapsed, queries, result)
    return best


prop = scratch_property()
month = prop._pm_today().replace(day=1) - relativedelta(months=1)
print(
    f"\n== monthly quality analysis: {N_CASES} cases, {N_UNITS} units, {month:%Y-%m} =="
)
start, stop = fill_month(prop, month)
Report = env["pm.quality.report"]
report = Report.search([("property_id", "=", prop.id), ("month", "=", month)])
report = report or Report.create({"property_id": prop.id, "month": month})
cr.commit()


def back_to_draft(reports):
    """The analysis generated again from a draft: a generated one keeps its lines
    (R-KEEP-1), so the scratch database puts it back, bypassing the workflow."""

    def setup():
        cr.execute(
            "UPDATE pm_quality_report SET state = 'draft' WHERE id IN %s",
            [tuple(reports.ids)],
        )
        env.invalidate_all()

    return setup


anchor_s, anchor_q, groups = timed(lambda: anchor(prop, start, stop), rounds=5)
figures_s, figures_q, _none = timed(
    report._compute_figures, rounds=5, setup=back_to_draft(report)
)
cr.commit()
sections = {}
for line in report.line_ids:
    sections[line.section] = sections.get(line.section, 0) + 1
print(
    f"{'anchor: bare SQL GROUP BY (same counts)':<44} {anchor_s * 1000:9.1f} ms "
    f"{anchor_q:5d} queries  ({len(groups)} groups)"
)
print(
    f"{'figures: _compute_figures (lines written)':<44} {figures_s * 1000:9.1f} ms "
    f"{figures_q:5d} queries  ({len(report.line_ids)} lines)"
)
print(f"ratio figures / anchor: {figures_s / anchor_s:.2f}x time (target <= 3x)")
print(
    f"recurring: {report.recurring_count} (unit, type) pairs, "
    f"{sections.get('recurring', 0)} lines printed; lines by section {sections}"
)

pdf_s, pdf_q, pdf = timed(report._render_pdf, rounds=2)
pages = subprocess.run(
    ["pdfinfo", "-"], input=pdf, capture_output=True, check=False
).stdout.decode()
pages = next(
    (line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?"
)
print(
    f"{'PDF of the month (wkhtmltopdf)':<44} {pdf_s * 1000:9.1f} ms "
    f"{pdf_q:5d} queries  ({pages} pages, {len(pdf) // 1024} KiB; target <= 3 s)"
)
# the fixed cost of any PDF (wkhtmltopdf start, styles from the server): a month
# without cases of the same property
empty_month = month - relativedelta(months=1)
empty = Report.search([("property_id", "=", prop.id), ("month", "=", empty_month)])
empty = empty or Report.create({"property_id": prop.id, "month": empty_month})
back_to_draft(empty)()
empty._compute_figures()
empty_s, _q, _pdf = timed(empty._render_pdf, rounds=2)
print(
    f"{'PDF of a month without cases (anchor)':<44} {empty_s * 1000:9.1f} ms "
    f"| ratio {pdf_s / empty_s:.2f}x"
)
if PDF_PATH:
    with open(PDF_PATH, "wb") as out:
        out.write(pdf)
cr.execute("DELETE FROM pm_case WHERE subject = %s", (MARK,))
cr.commit()
