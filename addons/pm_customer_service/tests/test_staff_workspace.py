# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Service staff work in the property-service screens and read the company's
emails: no Odoo app store, #general channel, OdooBot onboarding or odoo.com links,
and emails whose button says what it opens, without "Powered by Odoo"."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import PmCaseCommon


@tagged("post_install", "-at_install")
class TestStaffWorkspace(PmCaseCommon):
    def _root_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        return {menus[menu_id]["xmlid"] for menu_id in menus["root"]["children"]}

    def test_no_app_store_for_staff(self):
        self.assertNotIn("base.menu_management", self._root_menus(self.user_manager))
        self.assertNotIn("base.menu_management", self._root_menus(self.user_agent))
        self.assertIn(
            "pm_customer_service.pm_root_menu", self._root_menus(self.user_agent)
        )
        admin = self.env.ref("base.user_admin")
        self.assertIn("base.menu_management", self._root_menus(admin))

    def test_no_general_channel(self):
        general = self.env.ref("mail.channel_all_employees")
        self.assertFalse(general.group_ids)
        agent = new_test_user(
            self.env, "pm_t_new_agent", groups="pm_base.group_pm_agent"
        )
        self.assertNotIn(agent.partner_id, general.channel_member_ids.partner_id)
        demo_staff = self.env.ref("pm_base.group_pm_technician").all_user_ids
        demo_staff -= self.env.ref("base.group_system").all_user_ids
        self.assertTrue(demo_staff)
        self.assertFalse(demo_staff.partner_id & general.channel_member_ids.partner_id)

    def test_no_odoobot_onboarding(self):
        odoobot = self.env.ref("base.partner_root")
        self.user_agent.with_user(self.user_agent)._on_webclient_bootstrap()
        self.assertEqual(self.user_agent.odoobot_state, "disabled")
        chats = self.env["discuss.channel"].search(
            [
                ("channel_type", "=", "chat"),
                ("channel_partner_ids", "in", self.user_agent.partner_id.ids),
            ]
        )
        self.assertFalse(chats.filtered(lambda c: odoobot in c.channel_partner_ids))

    def _notify(self, case, partner):
        # Odoo reads the recipients' language from the database
        self.env.flush_all()
        before = self.env["mail.mail"].search([], order="id desc", limit=1).id
        case.with_user(self.user_agent).message_post(
            body="Please have a look.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partner.ids,
        )
        mails = self.env["mail.mail"].search(
            [("id", ">", before), ("recipient_ids", "in", partner.ids)]
        )
        self.assertEqual(len(mails), 1)
        return str(mails.body_html)

    def test_email_button_and_footer(self):
        case = self._create_case()
        self.user_director.lang = "en_US"
        body = self._notify(case, self.user_director.partner_id)
        self.assertIn("View Case", body)
        self.assertNotIn("Powered by", body)
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("zh_CN not loaded")
        self.user_director.lang = "zh_CN"
        body = self._notify(case, self.user_director.partner_id)
        self.assertIn("查看报事", body)
        self.assertNotIn("视图", body)
        self.assertNotIn("Odoo", body)


@tagged("post_install", "-at_install")
class TestStaffUserMenu(HttpCase):
    """The user menu of staff keeps their preferences and log out; Odoo's support,
    odoo.com account and onboarding tours (a debug menu item since 19.0) stay with
    administrators."""

    CHECK = """
        const { registry } = odoo.loader.modules.get("@web/core/registry");
        const env = odoo.__WOWL_DEBUG__.root.env;
        const ids = registry.category("user_menuitems").getAll()
            .map((factory) => factory(env))
            .filter((item) => !item.show || item.show())
            .map((item) => item.id);
        const debugItems = registry.category("debug").category("default");
        if (debugItems.contains("onboardingItem")
                && debugItems.get("onboardingItem")({ env, accessRights: {} })) {
            ids.push("onboardingItem");
        }
        const odooItems = ["support", "account", "onboardingItem"];
        const shown = odooItems.filter((id) => ids.includes(id));
        const expected = %s;
        const same = JSON.stringify(shown) === JSON.stringify(expected);
        if (same && ids.includes("logout")) {
            console.log("test successful");
        } else {
            console.error(`user menu shows ${JSON.stringify(ids)}`);
        }
    """

    # a page that loads no chart: the landing dashboard would still be loading
    # its chart library when the check ends the browser
    URL = "/odoo/discuss"

    def test_user_menu(self):
        agent = new_test_user(
            self.env,
            "pm_t_menu_agent",
            groups="pm_base.group_pm_agent",
        )
        # the staff's menu is the administrators' less Odoo's items: the split
        # follows the settings group, and the backend bundle carries the change
        self.assertFalse(agent.has_group("base.group_system"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("base.group_system"))
        bundle = self.env["ir.qweb"]._get_asset_bundle(
            "web.assets_backend", css=False, js=True
        )
        self.assertTrue(
            any(
                (f.get("url") or "").endswith("/user_menu_items.js")
                for f in bundle.files
            )
        )
        # each browser check logs "test successful" only when the menu shows
        # exactly the expected items, and fails the test otherwise
        self.browser_js(
            self.URL,
            self.CHECK % "[]",
            ready="odoo.isReady",
            login="pm_t_menu_agent",
        )
        self.browser_js(
            self.URL,
            self.CHECK % '["support", "account", "onboardingItem"]',
            ready="odoo.isReady",
            login="admin",
        )

    def test_user_menu_reads_chinese(self):
        """The demo agent reads Chinese: no item of her menu is in English (19.0
        ships "My Preferences" and "Shortcuts" without their Chinese text)."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("zh_CN not loaded")
        self.assertEqual(
            self.env.ref("pm_customer_service.res_users_agent_demo").lang, "zh_CN"
        )
        self.browser_js(
            self.URL,
            """
            const { registry } = odoo.loader.modules.get("@web/core/registry");
            const env = odoo.__WOWL_DEBUG__.root.env;
            const texts = registry.category("user_menuitems").getAll()
                .map((factory) => factory(env))
                .filter((item) => item.description && (!item.show || item.show()))
                .map((item) => {
                    const element = document.createElement("div");
                    element.innerHTML = String(item.description);
                    // the keys of the shortcuts item are the keyboard's
                    return element.textContent.replace(/(CTRL|CMD)\\+K/, "").trim();
                });
            const english = texts.filter((text) => /[A-Za-z]/.test(text));
            if (texts.length && !english.length) {
                console.log("test successful");
            } else {
                console.error(`user menu reads ${JSON.stringify(texts)}`);
            }
            """,
            ready="odoo.isReady",
            login="pm_agent",
        )
