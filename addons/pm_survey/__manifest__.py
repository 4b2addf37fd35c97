# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Owner Surveys",
    "summary": "Owner satisfaction survey campaigns of a property service centre, on "
    "Odoo's survey app",
    "version": "17.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["pm_customer_service", "survey"],
    "data": [
        "security/pm_survey_security.xml",
        "security/ir.model.access.csv",
        "data/pm_survey_item_data.xml",
        "views/pm_survey_menus.xml",
        "views/pm_survey_item_views.xml",
    ],
}
