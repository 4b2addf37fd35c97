# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-INTAKE-3: cases an owner sent from the portal or by email before the front desk
queue existed were owned by the owner or OdooBot; put those not yet acknowledged
in the queue, with the front desk activity."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cases = env["pm.case"].search(
        [
            ("state", "=", "received"),
            ("acknowledged_date", "=", False),
            ("channel", "in", ("portal", "email")),
            "|",
            ("first_contact_user_id.share", "=", True),
            ("first_contact_user_id", "=", env.ref("base.user_root").id),
        ]
    )
    if not cases:
        return
    cases.write({"to_acknowledge": True, "first_contact_user_id": False})
    cases._pm_queue_for_front_desk()
