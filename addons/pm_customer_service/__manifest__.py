# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Customer Service",
    "summary": "Properties, units, owners and service teams of a property-management "
    "customer-service centre",
    "version": "17.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": ["mail", "portal", "resource"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/pm_security.xml",
        "security/ir.model.access.csv",
        "security/pm_rules.xml",
        "data/ir_config_parameter_data.xml",
        "views/pm_menus.xml",
        "views/pm_property_views.xml",
        "views/pm_building_views.xml",
        "views/pm_unit_views.xml",
        "views/pm_team_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/pm_property_demo.xml",
        "demo/pm_team_demo.xml",
        "demo/pm_unit_demo.xml",
    ],
}
