/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The client side of pm_base/tools/rates.py: a rate with nothing to measure (no
// value in a pivot or list group) is "—", never 0.
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";

export function formatPmRate(value, options = {}) {
    if (value === false || value === null || value === undefined || Number.isNaN(value)) {
        return "—";
    }
    return formatFloat(value, { ...options, digits: [5, 2] });
}

registry.category("formatters").add("pm_rate", formatPmRate);
