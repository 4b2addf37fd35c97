# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "物业违章处理 / Violations",
    "summary": "Residents' violations on a unit: evidence, the rectification notice, "
    "deadlines, follow-up inspections, escalation and closure",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["pm_customer_service", "pm_channel"],
    "data": [
        "security/ir.model.access.csv",
        "security/pm_violation_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "report/pm_violation_reports.xml",
        "report/pm_violation_templates.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/pm_violation_views.xml",
        "views/res_config_settings_views.xml",
        "views/pm_violation_menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/pm_violation_demo.xml"],
}
