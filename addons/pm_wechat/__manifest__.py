# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "物业微信公众号 / WeChat Official Account",
    "summary": "Owners signed in to the portal from the company's WeChat Official "
    "Account and told of their requests by WeChat template messages",
    "version": "19.0.1.0.0",
    "category": "Services/Property Service",
    "author": "PM Service Team",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["pm_channel"],
    "external_dependencies": {"python": ["wechatpy"]},
    "data": [
        "security/ir.model.access.csv",
        "security/pm_wechat_rules.xml",
        "data/ir_cron_data.xml",
        "views/pm_wechat_template_views.xml",
        "views/pm_wechat_message_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/wechat_bind_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "pm_wechat/static/tests/tours/pm_wechat_menu_tour.js",
        ],
    },
}
