# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.2.0.1: visits, visit issues and return visits escalate when overdue.

The escalation cron only reads records whose next step is scheduled: schedule
the visits and return visits still planned and the issues still open, so that
those already overdue escalate at the cron's next run.
"""

from odoo import SUPERUSER_ID, api

BATCH = 1000
OPEN = {
    "pm.visit": [("state", "=", "planned")],
    "pm.return.visit": [("state", "=", "planned")],
    "pm.visit.issue": [("state", "=", "open")],
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    for model, domain in OPEN.items():
        records = env[model].with_context(active_test=False).search(domain)
        for start in range(0, len(records), BATCH):
            batch = records[start : start + BATCH]
            batch._pm_escalation_reschedule()
            env.flush_all()
            env.invalidate_all()
