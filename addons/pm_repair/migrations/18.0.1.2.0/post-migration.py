# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-THREAD-1: a case whose repair order is finished stops escalating. Cases
linked to orders before this version get their next escalation step computed
again, by the new rule; their stages are left as staff left them (no email goes
to an owner on an update)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    orders = (
        env["pm.repair.order"]
        .with_context(active_test=False)
        .search([("case_id", "!=", False)])
    )
    orders.case_id._pm_escalation_reschedule()
