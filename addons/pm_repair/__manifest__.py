# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Repair Work Orders",
    "summary": "Repair work orders of a property service centre: dispatch, paid "
    "service, owner acceptance and return visits",
    "version": "17.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["pm_customer_service"],
    "data": [
        "security/ir.model.access.csv",
        "data/pm_repair_category_data.xml",
        "views/pm_repair_menus.xml",
        "views/pm_repair_category_views.xml",
    ],
}
