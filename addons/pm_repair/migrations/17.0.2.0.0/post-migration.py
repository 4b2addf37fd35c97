# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""R-REP-RV: the categories are noupdate data; give the existing ones the return-visit
rules of the procedures (new installs get them from the data file)."""

RULES = {
    "leakage": ("after_rainstorm", 1, "door"),
    "bathroom_leakage": ("after_days", 3, "phone"),
    "drains": ("after_days", 3, "phone"),
    "concealed": ("after_days", 3, "door"),
}


def migrate(cr, version):
    for code, (rule, days, method) in RULES.items():
        cr.execute(
            """
            UPDATE pm_repair_category
               SET return_visit_rule = %s,
                   return_visit_delay_days = %s,
                   return_visit_method = %s
             WHERE code = %s
            """,
            (rule, days, method, code),
        )
