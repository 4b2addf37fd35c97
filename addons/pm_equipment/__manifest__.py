# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "物业设备管理 / Equipment",
    "summary": "A property's equipment on Odoo's maintenance app: places, preventive "
    "plans, repair orders opening maintenance requests, and the monthly equipment "
    "integrity rate against its 99 % target",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["maintenance", "pm_repair", "pm_patrol"],
    "data": [
        "security/pm_equipment_security.xml",
        "security/ir.model.access.csv",
        "security/pm_equipment_rules.xml",
        "data/pm_kpi_target_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/maintenance_equipment_views.xml",
        "views/maintenance_request_views.xml",
        "views/pm_repair_order_views.xml",
        "views/pm_patrol_views.xml",
        "views/pm_equipment_integrity_views.xml",
        "views/pm_equipment_menus.xml",
    ],
    "demo": ["demo/pm_equipment_demo.xml"],
}
