# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.4:

- escalation activities are marked done when their deadline is met, and the
  done ones stay as history: the activity type keeps them (its record is not
  updated by an upgrade);
- the new-date email apologises for a delay only when the date moved for us,
  not when it follows the owner's booking: give existing databases the new
  text, unless an administrator changed it.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    activity_type = env.ref(
        "pm_customer_service.mail_activity_type_pm_escalation",
        raise_if_not_found=False,
    )
    if activity_type:
        activity_type.keep_done = True
    template = env.ref(
        "pm_customer_service.mail_template_pm_case_deadline_change",
        raise_if_not_found=False,
    )
    body = (template.body_html or "") if template else ""
    if "apologise for the delay" in body and "pm_deadline_owner_booked" not in body:
        template.reset_template()
