# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "物业业主通知渠道 / Owner Channels",
    "summary": "Owners told of their requests by SMS through Odoo's SMS queue, on "
    "Alibaba Cloud SMS or Tencent Cloud SMS, and signed in with their mobile number",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "sms",
        "link_tracker",
        "spreadsheet_dashboard",
        "pm_customer_service",
        "pm_repair",
        "pm_survey",
    ],
    "external_dependencies": {
        "python": [
            "alibabacloud-dysmsapi20170525",
            "tencentcloud-sdk-python-sms",
        ]
    },
    "data": [
        "security/ir.model.access.csv",
        "security/pm_channel_rules.xml",
        "views/pm_sms_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "security/pm_login_code_security.xml",
        "views/phone_login_templates.xml",
        "views/phone_login_settings_views.xml",
        "views/pm_sms_outcome_views.xml",
        "data/spreadsheet_dashboard_data.xml",
        "data/mail_template_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "pm_channel/static/tests/tours/pm_phone_login_tour.js",
        ],
    },
}
