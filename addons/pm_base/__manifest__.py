# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Service Base",
    "summary": "Master data and the shared kernel of the property customer-service "
    "addons: properties, units, teams, clocks, rates, settings, guards, approvals "
    "and escalation",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["mail", "portal", "resource"],
    "data": [
        "security/pm_security.xml",
        "security/ir.model.access.csv",
        "security/pm_rules.xml",
        "data/mail_activity_type_data.xml",
        "report/pm_building_qr_reports.xml",
        "report/pm_building_qr_templates.xml",
        "views/pm_property_views.xml",
        "views/pm_building_views.xml",
        "views/pm_unit_views.xml",
        "views/pm_team_views.xml",
        "views/res_partner_views.xml",
        "views/pm_escalation_log_views.xml",
        "wizard/pm_approval_reject_wizard_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "assets": {
        "web.assets_backend": [
            "pm_base/static/src/js/pm_rate_formatter.js",
            "pm_base/static/src/js/pm_edit_version.js",
        ],
    },
}
