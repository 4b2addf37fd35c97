/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The front desk's day on a desktop, in Chinese, as the demo agent (issue 21):
// logs in and lands on 待受理, acknowledges the owner's repair request, which
// opens its repair order; picks the category and a technician of the team (no
// agent or director offered) and dispatches; back on the request, replies to
// the owner. Later the return visit waits in 回访 with the owner's phone. The
// technician's and the owner's steps in between are the Python test's
// (test_desk_journey.py).
import {offeredNames, pickAndDispatchSteps} from "@pm_repair/../tests/tours/pm_repair_tour_steps";
import {addLoggedInTour} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";

const SUBJECT = "卫生间水管漏水";
const REPLY = "您好，已派王强师傅上门维修。";
// the front desk and the director: never offered as technicians
const NOT_OFFERED = ["李娜", "周敏", "张伟", "刘芳"];

addLoggedInTour("pm_desk_journey_tour", "pm_agent", () => [
    {
        content: "Lands on the queue of requests to acknowledge",
        trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('待受理')",
    },
    {
        content: "The owner's request waits there, as the owner reads it",
        trigger: `.o_list_view .o_data_row:contains('${SUBJECT}'):contains('待受理')`,
    },
    {
        content: "Open the request",
        trigger: `.o_list_view .o_data_row:contains('${SUBJECT}') td.o_data_cell:contains('${SUBJECT}')`,
        run: "click",
    },
    {
        content: "Acknowledge",
        trigger: ".o_form_view button[name='action_acknowledge']",
        run: "click",
    },
    {
        content: "The repair order opens, filled from the request",
        trigger: ".o_form_view .o_field_widget[name='description'] textarea",
        run(helpers) {
            if (!helpers.anchor.value.includes(SUBJECT)) {
                throw new Error(`The order reads "${helpers.anchor.value}"`);
            }
        },
    },
    {
        content: "Choose the category",
        trigger: ".o_form_view .o_field_widget[name='category_id'] input",
        run: "edit 给水",
    },
    {
        content: "给水",
        trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(给水)",
        run: "click",
    },
    {
        content: "Open the technician picker",
        trigger: ".o_form_view .o_field_widget[name='technician_id'] input",
        run: "click",
    },
    {
        content: "The team's technicians are offered",
        trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains(王强)",
    },
    {
        content: "No agent or director is offered",
        trigger: ".o-autocomplete--dropdown-menu",
        run() {
            const names = offeredNames();
            const wrong = names.filter((name) => NOT_OFFERED.some((no) => name.includes(no)));
            if (wrong.length) {
                throw new Error(`The picker offers ${names.join(", ")}`);
            }
        },
    },
    ...pickAndDispatchSteps("王强"),
    {
        content: "Back to the request",
        trigger: ".o_breadcrumb .breadcrumb-item.o_back_button",
        run: "click",
    },
    {
        content: "The request's form",
        trigger: `.o_form_view .o_field_widget[name='subject']:contains('${SUBJECT}'), .o_form_view .o_field_widget[name='subject'] input`,
    },
    {
        content: "Write to the owner",
        trigger: ".o-mail-Chatter .o-mail-Chatter-sendMessage",
        run: "click",
    },
    {
        content: "The reply",
        trigger: ".o-mail-Chatter .o-mail-Composer-input",
        run: `edit ${REPLY}`,
    },
    {
        content: "Send",
        trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled",
        run: "click",
    },
    {
        content: "The reply is on the request",
        trigger: `.o-mail-Chatter .o-mail-Message:contains('${REPLY}')`,
    },
]);

// the work is done and accepted: the return visit waits in 服务 › 回访 with
// the owner's phone
registry.category("web_tour.tours").add("pm_desk_return_visit_tour", {
    steps: () => [
        {
            content: "Lands on the queue",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('待受理')",
        },
        {
            content: "Service",
            trigger: ".o_main_navbar .o_menu_sections button:contains('服务')",
            run: "click",
        },
        {
            content: "Return visits",
            trigger: ".o-dropdown--menu .dropdown-item:contains('回访')",
            run: "click",
        },
        {
            content: "The return visits list",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('回访')",
        },
        {
            content: "The owner's return visit, with the phone to call",
            trigger: `.o_list_view .o_data_row:contains('${SUBJECT}') .o_field_widget[name='partner_phone']:contains('+86')`,
        },
    ],
});
