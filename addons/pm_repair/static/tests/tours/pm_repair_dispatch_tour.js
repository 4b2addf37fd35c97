/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {offeredNames, pickAndDispatchSteps} from "@pm_repair/../tests/tours/pm_repair_tour_steps";
import {registry} from "@web/core/registry";

// R-PICK-1: the front desk opens a new order (desktop, zh_CN); the technician
// picker offers the technicians of the order's team only (no agent, director
// or administrator); the agent picks one and dispatches.
const OFFERED = ["陈军", "王强", "赵磊"];

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
                const names = offeredNames().sort();
                if (JSON.stringify(names) !== JSON.stringify([...OFFERED].sort())) {
                    throw new Error(`The picker offers ${names.join(", ")}`);
                }
            },
        },
        ...pickAndDispatchSteps("王强"),
    ],
});
