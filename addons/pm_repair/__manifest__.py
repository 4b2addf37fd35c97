# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Repair Work Orders",
    "summary": "Repair work orders of a property service centre: dispatch, paid "
    "service, owner acceptance and return visits",
    "version": "18.0.1.1.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["pm_customer_service"],
    "data": [
        "security/ir.model.access.csv",
        "security/pm_repair_rules.xml",
        "data/pm_repair_category_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "views/pm_repair_order_views.xml",
        "views/pm_repair_owner_decision_views.xml",
        "views/pm_repair_fee_views.xml",
        "views/pm_rainstorm_views.xml",
        "views/res_config_settings_views.xml",
        "views/pm_repair_menus.xml",
        "views/pm_repair_category_views.xml",
        "views/pm_dispatch_rule_views.xml",
        "views/pm_complaint_views.xml",
        "report/pm_repair_order_reports.xml",
        "report/pm_repair_order_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/pm_repair_order_demo.xml", "demo/pm_repair_portal_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "pm_repair/static/tests/tours/pm_repair_owner_tours.js",
        ],
    },
}
