/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The user menu of service staff holds their preferences and log out: Odoo's
// online documentation, Odoo's support, the odoo.com account and Odoo's onboarding
// tours are for the administrators who run the system.
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const userMenuItems = registry.category("user_menuitems");
const ADMIN_ONLY = new Set([
    "documentation",
    "support",
    "odoo_account",
    // added when the tour service starts, after this file runs
    "web_tour.tour_enabled",
]);

function adminOnly(key) {
    const item = userMenuItems.get(key);
    if (item.pmAdminOnly) {
        return;
    }
    const restricted = (env) => {
        const element = item(env);
        const show = element.show;
        return { ...element, show: () => user.isSystem && (!show || show()) };
    };
    restricted.pmAdminOnly = true;
    userMenuItems.add(key, restricted, { force: true });
}

for (const key of ADMIN_ONLY) {
    if (userMenuItems.contains(key)) {
        adminOnly(key);
    }
}
userMenuItems.addEventListener("UPDATE", ({ detail }) => {
    if (detail.operation === "add" && ADMIN_ONLY.has(detail.key)) {
        adminOnly(detail.key);
    }
});
