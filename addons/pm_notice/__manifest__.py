# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "物业公告与发文 / Notices and Documents",
    "summary": "Notices and open letters to the owners of a property: drafted, "
    "approved by the director, published on the owners' portal and by email, "
    "with read counts and a document register",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "depends": ["pm_customer_service", "pm_survey", "pm_channel"],
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "data": [
        "security/ir.model.access.csv",
        "security/pm_notice_rules.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/pm_notice_views.xml",
        "views/pm_notice_read_views.xml",
        "views/pm_survey_analysis_views.xml",
        "views/pm_notice_menus.xml",
        "report/pm_notice_reports.xml",
        "report/pm_notice_templates.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/pm_notice_demo.xml"],
}
