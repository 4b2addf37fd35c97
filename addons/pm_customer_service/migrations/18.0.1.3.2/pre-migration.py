# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.2: an invalid case is not measured for closure (R-RATE-1, R-QA-1),
as in the monthly analysis and on the KPI board.

The new 0/1 column ``closure_measured`` is filled, and the closure of invalid
cases cleared, in SQL before the models load: the upgrade does not recompute
the KPIs of every case.
"""


def migrate(cr, version):
    cr.execute(
        "ALTER TABLE pm_complaint ADD COLUMN IF NOT EXISTS closure_measured integer"
    )
    cr.execute(
        "UPDATE pm_complaint SET closure_measured ="
        " CASE WHEN validity = 'invalid' THEN 0 ELSE 1 END"
    )
    cr.execute(
        "UPDATE pm_complaint SET closure_rate = 0"
        " WHERE validity = 'invalid' AND closure_rate != 0"
    )
