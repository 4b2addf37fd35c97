# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.1:

- the closure email asks for the owner's rating with links instead of a reply
  nobody read: give existing databases the new text (the template is not updated
  by an upgrade), unless an administrator changed it;
- door-visit reasons are stored as keys and shown in the reader's language: turn
  the stored English or Chinese texts back into keys.
"""

from odoo import SUPERUSER_ID, api

REASONS = {
    "major": ("major case", "重大"),
    "head_office": ("head office", "公司转交", "总部"),
    "repeat": ("repeated complaint", "重复投诉", "连续"),
}


def _reset_closure_template(env):
    template = env.ref(
        "pm_customer_service.mail_template_pm_case_closure",
        raise_if_not_found=False,
    )
    if template and "reply to this email" in (template.body_html or ""):
        template.reset_template()


def _door_visit_reason_keys(cr):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'pm_case' AND column_name = 'door_visit_reason'"
    )
    if not cr.fetchone():
        return
    cr.execute(
        "SELECT id, door_visit_reason FROM pm_case"
        " WHERE door_visit_reason IS NOT NULL AND door_visit_reason_keys IS NULL"
    )
    for case_id, text in cr.fetchall():
        keys = [
            key for key, words in REASONS.items() if any(word in text for word in words)
        ]
        cr.execute(
            "UPDATE pm_case SET door_visit_reason_keys = %s WHERE id = %s",
            (",".join(keys) or None, case_id),
        )


def migrate(cr, version):
    _door_visit_reason_keys(cr)
    _reset_closure_template(api.Environment(cr, SUPERUSER_ID, {}))
