# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo databases: the records the former demo builders made get the XML ids of
the demo files that replace the builders, so that updating the module does not
make them a second time (last month's quality analysis is unique per property
and month; the visit issues and the tenants would come twice). Nothing happens in
a database without the demo data."""


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
    # the two issues of the demo visit plan's first visit: the one sent to a
    # rectification, and the other
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT DISTINCT ON (issue.rectification_id IS NULL)
               'pm_customer_service',
               CASE WHEN issue.rectification_id IS NOT NULL
                    THEN 'pm_visit_issue_lighting_demo'
                    ELSE 'pm_visit_issue_fee_demo' END,
               'pm.visit.issue', issue.id, true
          FROM pm_visit_issue issue
          JOIN pm_visit visit ON visit.id = issue.visit_id
          JOIN ir_model_data plan ON plan.res_id = visit.plan_id
               AND plan.model = 'pm.visit.plan'
               AND plan.module = 'pm_customer_service'
               AND plan.name = 'pm_visit_plan_q_demo'
         ORDER BY issue.rectification_id IS NULL, issue.id
        ON CONFLICT DO NOTHING
        """
    )
    # the tenants the unit builder made, one per tenth unit: named 租户NN
    cr.execute(
        """
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT DISTINCT ON (unit.name)
               'pm_customer_service',
               'res_partner_tenant_demo_' || substr(unit.name, 14),
               'res.partner', partner.id, true
          FROM ir_model_data unit
          JOIN pm_unit_tenant_rel rel ON rel.unit_id = unit.res_id
          JOIN res_partner partner ON partner.id = rel.partner_id
         WHERE unit.module = 'pm_customer_service'
           AND unit.model = 'pm.unit'
           AND unit.name LIKE 'pm\\_unit\\_demo\\_%%'
           AND partner.name LIKE '租户%'
         ORDER BY unit.name, partner.id
        ON CONFLICT DO NOTHING
        """
    )
