/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {backToListSteps} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";

const SUBJECT = "Balcony drain blocked WeChat tour";

/** On the list of requests the menu opened: the owner's request, opened. */
function myRequestSteps() {
    return [
        {content: "Signed in, on the list of requests", trigger: `.o_portal_my_doc_table a:contains('${SUBJECT}')`},
        {content: "Open the request", trigger: `.o_portal_my_doc_table td.text-break a:contains('${SUBJECT}')`, run: "click", expectUnloadPage: true},
        {content: "The request's page", trigger: `.o_pm_portal_case h5:contains('${SUBJECT}')`},
        ...backToListSteps(SUBJECT),
    ];
}

// On a phone, logged out, an owner whose WeChat is bound opens the account's
// menu: WeChat signs them in, their requests are shown.
registry.category("web_tour.tours").add("pm_wechat_menu_bound_tour", {
    steps: () => myRequestSteps(),
});

// The first time: WeChat's sign-in leads to the binding page, the owner proves
// their mobile number with the SMS code and lands on their requests.
registry.category("web_tour.tours").add("pm_wechat_menu_bind_tour", {
    steps: () => [
        {content: "The binding page", trigger: "form.o_pm_wechat_bind input[name='number']", run: "edit 138 0000 0000"},
        {content: "Get a code", trigger: "form.o_pm_wechat_bind button.btn-primary", run: "click", expectUnloadPage: true},
        {content: "The code sent to the masked number", trigger: "form.o_pm_wechat_bind p:contains('138****0000')"},
        // the test knows the code the SMS carries
        {content: "Type the code", trigger: "form.o_pm_wechat_bind input[name='code']", run: "edit 135790"},
        {content: "Bind and sign in", trigger: "form.o_pm_wechat_bind button.btn-primary:not([name])", run: "click", expectUnloadPage: true},
        ...myRequestSteps(),
    ],
});
