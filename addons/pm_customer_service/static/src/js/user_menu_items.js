// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The user menu of service staff holds their preferences and log out: Odoo's
// support and the odoo.com account are for the administrators who run the system,
// and so is the switch of Odoo's onboarding tours (in the debug menu since 19.0).
// Staff read their menu in Chinese: the items Odoo 19.0 ships without a Chinese
// text say it in this addon's words.
import { markup } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// the user menu shows the items whose show() allows; the debug menu leaves out
// the items its factories do not make
function hiddenMenuItem(item) {
    return (env) => {
        const element = item(env);
        const show = element.show;
        return { ...element, show: () => user.isSystem && (!show || show()) };
    };
}

function leftOutDebugItem(item) {
    return (context) => (user.isSystem ? item(context) : null);
}

const ADMIN_ONLY = [
    [registry.category("user_menuitems"), new Set(["support", "odoo_account"]), hiddenMenuItem],
    // added when the tour service starts, after this file runs
    [
        registry.category("debug").category("default"),
        new Set(["onboardingItem"]),
        leftOutDebugItem,
    ],
];

function adminOnly(category, key, restrict) {
    const item = category.get(key);
    if (item.pmAdminOnly) {
        return;
    }
    const restricted = restrict(item);
    restricted.pmAdminOnly = true;
    category.add(key, restricted, { force: true });
}

for (const [category, keys, restrict] of ADMIN_ONLY) {
    for (const key of keys) {
        if (category.contains(key)) {
            adminOnly(category, key, restrict);
        }
    }
    category.addEventListener("UPDATE", ({ detail }) => {
        if (detail.operation === "add" && keys.has(detail.key)) {
            adminOnly(category, detail.key, restrict);
        }
    });
}

// the shortcuts item shows its name and its keys: its name is the first span
function shortcutsText(element) {
    // outside the template literal, where the export of the terms finds it
    const name = _t("Shortcuts");
    const described = String(element.description).replace(
        /<span>[^<]*<\/span>/,
        String(markup`<span>${name}</span>`)
    );
    return { ...element, description: markup(described) };
}

const RETRANSLATED = {
    preferences: (element) => ({ ...element, description: _t("My Preferences") }),
    shortcuts: shortcutsText,
};

const userMenuItems = registry.category("user_menuitems");
for (const [key, retranslate] of Object.entries(RETRANSLATED)) {
    if (userMenuItems.contains(key)) {
        const item = userMenuItems.get(key);
        userMenuItems.add(key, (env) => retranslate(item(env)), { force: true });
    }
}
