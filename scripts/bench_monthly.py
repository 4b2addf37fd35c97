# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The monthly quality analysis of a group of properties (run by ``scripts/bench
--monthly N`` inside ``odoo-bin shell``; not part of the test suite).

Builds N properties with cases in the current month (once; they stay in the scratch
database), then runs the monthly cron as the server would on the 25th in
Shanghai: one run after the other, each committed, until every property's report
is sent. Prints the whole group's time, the longest single run (the longest
transaction a request could wait behind) and, as the anchor in the same run, the
generation of one property's report on its own.
"""

import os
import time
from datetime import datetime

import pytz
from freezegun import freeze_time

N_PROPS = int(os.environ["PM_BENCH_MONTHLY"])
N_CASES = int(os.environ.get("PM_BENCH_MONTHLY_CASES", "200"))
CODE = "BENCHM"
# the real clock: freezegun also stops time.perf_counter
clock = time.perf_counter
env = globals()["env"]  # odoo shell
cr = env.cr
tz = pytz.timezone("Asia/Shanghai")
local_now = datetime.now(tz)
# 10:30 on the 25th of this month in Shanghai, as a naive UTC moment
run_at = (
    tz.localize(local_now.replace(day=25, hour=10, minute=30, tzinfo=None))
    .astimezone(pytz.utc)
    .replace(tzinfo=None)
)
month_start = local_now.date().replace(day=1)

Property = env["pm.property"].with_context(tracking_disable=True)
props = Property.search([("code", "=like", f"{CODE}%")], order="code")
if len(props) < N_PROPS:
    director = env.ref("pm_customer_service.res_users_director_demo")
    stage = env["pm.case.stage"].search([("state", "=", "closed")], limit=1)
    for i in range(len(props), N_PROPS):
        prop = Property.create(
            {
                "name": f"Bench property {i + 1:03d}",
                "code": f"{CODE}{i + 1:03d}",
                "tz": "Asia/Shanghai",
                "total_floor_area": 50000.0,
                "director_id": director.id,
            }
        )
        building = env["pm.building"].create(
            {
                "name": "Building 1",
                "code": f"{CODE}{i + 1:03d}-1",
                "property_id": prop.id,
            }
        )
        unit = env["pm.unit"].create(
            {"building_id": building.id, "number": "101", "area": 90.0}
        )
        cr.execute(
            """
            INSERT INTO pm_case (
                name, subject, description, request_type, channel, intake_date,
                stage_id, state, property_id, company_id, unit_id, validity,
                severity, escalation_level, reopen_count, deadline_change_count,
                active, create_uid, write_uid, create_date, write_date)
            SELECT %(code)s || '-' || g, 'bench', 'bulk',
                (ARRAY['complaint', 'repair', 'help', 'consultation'])[1 + g %% 4],
                'phone', %(start)s + (g %% 20) * interval '1 day', %(stage)s,
                'closed', %(prop)s, %(company)s, %(unit)s, 'valid', 'general', '0',
                0, 0, TRUE, 1, 1, now(), now()
            FROM generate_series(1, %(n)s) AS g
            """,
            {
                "code": prop.code,
                "start": datetime.combine(month_start, datetime.min.time()),
                "stage": stage.id,
                "prop": prop.id,
                "company": prop.company_id.id,
                "unit": unit.id,
                "n": N_CASES,
            },
        )
    cr.commit()
    props = Property.search([("code", "=like", f"{CODE}%")], order="code")
props = props[:N_PROPS]
Report = env["pm.quality.report"]


def reset():
    cr.execute(
        "DELETE FROM pm_quality_report WHERE month = %s",
        (month_start,),
    )
    cr.commit()
    env.invalidate_all()


print(
    f"\n== monthly quality analysis of {N_PROPS} properties "
    f"({N_CASES} cases each), cron at {run_at} UTC =="
)
reset()
with freeze_time(run_at):
    # anchor: one property's report generated on its own
    start = clock()
    anchor = Report.create({"property_id": props[0].id, "month": month_start})
    anchor.action_generate()
    cr.commit()
    anchor_s = clock() - start
    reset()
    runs = []
    mine = [("property_id", "in", props.ids), ("month", "=", month_start)]
    for _run in range(3 * N_PROPS + 5):
        start = clock()
        Report._cron_monthly_reports()
        cr.commit()
        runs.append(clock() - start)
        env.invalidate_all()
        if Report.search_count([*mine, ("state", "=", "sent")]) == len(props):
            break
    sent = Report.search_count([*mine, ("state", "=", "sent")])
total = sum(runs)
print(f"one property's report on its own (anchor)     {anchor_s:8.2f} s")
print(
    f"{N_PROPS} properties: {len(runs)} cron runs, {total:.2f} s in all, "
    f"{total / max(sent, 1):.2f} s per property"
)
print(
    f"longest single run (one transaction)          {max(runs):8.2f} s "
    f"= {max(runs) / anchor_s:.2f}x the anchor"
)
print(f"reports sent                                   {sent:>8} of {len(props)}")
reset()
if sent != len(props):
    raise SystemExit("ERROR: the monthly cron did not send every property's report")
