/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The user menu of service staff holds their preferences and log out: Odoo's
// online documentation, Odoo's support and the odoo.com account are for the
// administrators who run the system.
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const userMenuItems = registry.category("user_menuitems");

for (const key of ["documentation", "support", "odoo_account"]) {
    if (userMenuItems.contains(key)) {
        const item = userMenuItems.get(key);
        userMenuItems.add(
            key,
            (env) => ({ ...item(env), show: () => user.isSystem }),
            { force: true }
        );
    }
}
