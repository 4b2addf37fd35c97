# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Door-visit reasons are stored as keys and shown in the reader's language: turn
the stored English or Chinese texts back into keys."""

REASONS = {
    "major": ("major case", "重大"),
    "head_office": ("head office", "公司转交", "总部"),
    "repeat": ("repeated complaint", "重复投诉", "连续"),
}


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'pm_complaint' AND column_name = 'door_visit_reason'"
    )
    if not cr.fetchone():
        return
    cr.execute(
        "SELECT id, door_visit_reason FROM pm_complaint"
        " WHERE door_visit_reason IS NOT NULL AND door_visit_reason_keys IS NULL"
    )
    for case_id, text in cr.fetchall():
        keys = [
            key for key, words in REASONS.items() if any(word in text for word in words)
        ]
        cr.execute(
            "UPDATE pm_complaint SET door_visit_reason_keys = %s WHERE id = %s",
            (",".join(keys) or None, case_id),
        )
