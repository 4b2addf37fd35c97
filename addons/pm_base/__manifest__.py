# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Property Service Base",
    "summary": "Master data and the shared kernel of the property customer-service "
    "addons: properties, units, teams, clocks, rates, settings, guards, approvals "
    "and escalation",
    "version": "18.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["mail", "portal", "resource"],
    "data": [],
    "assets": {
        "web.assets_backend": [
            "pm_base/static/src/js/pm_rate_formatter.js",
        ],
    },
}
