/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("pm_portal_owner_tour", {
    url: "/my",
    steps: () => [
        {content: "Open my requests", trigger: "a[href='/my/cases']", run: "click"},
        {content: "Start a new request", trigger: "a.o_pm_new_case", run: "click"},
        {
            content: "Subject",
            trigger: "input[name='subject']",
            run: "edit Water leaking in the kitchen",
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit Water drips from the ceiling.",
        },
        {content: "Submit", trigger: "button.o_pm_case_submit", run: "click"},
        {content: "Request received", trigger: ".o_pm_portal_case .alert-success"},
        {content: "Back to my requests", trigger: ".o_portal_submenu a[href='/my/cases']", run: "click"},
        {content: "Open the resolved request", trigger: "a:contains('Pump noise tour')", run: "click"},
        {content: "Very satisfied", trigger: "label[for='pm_satisfaction_5']", run: "click"},
        {content: "Send the rating", trigger: "button.o_pm_confirm_submit", run: "click"},
        {content: "Rating recorded", trigger: ".o_pm_portal_case .alert-success"},
        // end on the list: the case page's chatter may still be loading its messages
        // when the tour stops, and the browser reports the interrupted request
        {content: "Back to the list", trigger: ".o_portal_submenu a[href='/my/cases']", run: "click"},
        {content: "The list", trigger: "a:contains('Pump noise tour')"},
    ],
});
