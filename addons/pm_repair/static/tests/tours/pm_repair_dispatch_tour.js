/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// R-PICK-1: the front desk opens a new order (desktop, zh_CN); the technician
// picker offers the technicians of the order's team only (no agent, director
// or administrator); the agent picks one and dispatches.
const OFFERED = ["陈军", "王强", "赵磊"];

function offeredNames() {
    return [
        ...document.querySelectorAll(
            ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)"
        ),
    ]
        .map((item) => item.textContent.trim())
        .sort();
}

registry.category("web_tour.tours").add("pm_repair_dispatch_tour", {
    steps: () => [
        {
            content: "The order waits for its technician",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='new']",
        },
        {
            content: "Open the technician picker",
            trigger: ".o_field_widget[name='technician_id'] input",
            run: "click",
        },
        {
            content: "The team's technicians are offered",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains(王强)",
        },
        {
            content: "Nobody else is offered",
            trigger: ".o-autocomplete--dropdown-menu",
            run() {
                const names = offeredNames();
                if (JSON.stringify(names) !== JSON.stringify([...OFFERED].sort())) {
                    throw new Error(`The picker offers ${names.join(", ")}`);
                }
            },
        },
        {
            content: "Pick a technician of the team",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(王强)",
            run: "click",
        },
        {
            content: "Dispatch",
            trigger: ".o_form_view button[name='action_dispatch']",
            run: "click",
        },
        {
            content: "The order is dispatched",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='dispatched']",
        },
    ],
});
