# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "业主委员会与座谈会 / Owners' Committee and Meetings",
    "summary": "The owners' committee of a property, its meetings and the owners' "
    "symposiums: attendance, minutes approved by the director, follow-ups that "
    "become cases or rectifications, the signed minutes and the members' portal",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "depends": ["pm_customer_service", "pm_survey", "portal"],
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "data": [
        "security/ir.model.access.csv",
        "security/pm_committee_rules.xml",
        "data/ir_cron_data.xml",
        "views/pm_committee_views.xml",
        "views/pm_meeting_views.xml",
        "views/pm_meeting_action_views.xml",
        "views/pm_survey_campaign_views.xml",
        "views/pm_committee_menus.xml",
        "report/pm_meeting_reports.xml",
        "report/pm_meeting_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/pm_committee_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
}
