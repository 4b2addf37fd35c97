# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo databases: the records the former demo builders made get the XML ids of
the demo files that replace the builders, so that updating the module does not
make them a second time (last month's quality analysis is unique per property
and month). Nothing happens in a database without the demo data."""


def migrate(cr, version):
    cr.execute(
        "SELECT res_id FROM ir_model_data"
        " WHERE module = 'pm_customer_service' AND name = 'pm_property_demo'"
    )
    row = cr.fetchone()
    if not row:
        return
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT 'pm_customer_service', 'pm_quality_report_last_month_demo',
               'pm.quality.report', report.id, true
          FROM pm_quality_report report
         WHERE report.property_id = %s
           AND report.month = date_trunc('month', now() - interval '1 month')::date
         ORDER BY report.id
         LIMIT 1
        ON CONFLICT DO NOTHING
        """,
        [row[0]],
    )
