/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {backToListSteps, photoShownStep, photoStep, rateFromEmailSteps, requestTextSteps} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";


// On a phone: the owner submits a request, which waits for the front desk, and
// rates a resolved one on its page.
registry.category("web_tour.tours").add("pm_portal_owner_tour", {
    url: "/my",
    steps: () => [
        {content: "The requests tile counts the open ones", trigger: ".o_pm_portal_tile [data-placeholder_count='pm_case_count']:contains(/^\\d+$/)"},
        {content: "Open my requests", trigger: "a[href='/my/cases']", run: "click", expectUnloadPage: true},
        {content: "Start a new request", trigger: "a.o_pm_new_case", run: "click", expectUnloadPage: true},
        {content: "Say what is needed", trigger: "label[for='pm_request_type_repair']", run: "click"},
        ...requestTextSteps("Water leaking in the kitchen", "Water drips from the ceiling."),
        photoStep("Attach a photo", "leak.png"),
        {content: "Submit", trigger: "button.o_pm_case_submit", run: "click", expectUnloadPage: true},
        {content: "Submitted, waiting", trigger: ".o_pm_portal_case .o_pm_sent_notice"},
        photoShownStep("leak.png"),
        {content: "Waiting for the front desk", trigger: ".o_pm_case_status:contains('Waiting')"},
        {content: "The progress", trigger: ".o_pm_progress .o_pm_step_current"},
        {content: "The service phone", trigger: ".o_pm_progress a.o_pm_call[href^='tel:']"},
        {content: "Back to my requests", trigger: ".o_portal_submenu a[href='/my/cases']", run: "click", expectUnloadPage: true},
        {content: "Open the resolved request", trigger: "a:contains('Pump noise tour')", run: "click", expectUnloadPage: true},
        {content: "Very satisfied", trigger: "label[for='pm_satisfaction_5']", run: "click"},
        {content: "Send the rating", trigger: "button.o_pm_confirm_submit", run: "click", expectUnloadPage: true},
        {content: "Rating recorded", trigger: ".o_pm_portal_case .alert-success"},
        // end on the list: the case page's chatter may still be loading its messages
        // when the tour stops, and the browser reports the interrupted request
        ...backToListSteps("Pump noise tour"),
    ],
});

// The front desk acknowledged the request and replied: the owner reads it.
registry.category("web_tour.tours").add("pm_portal_owner_reply_tour", {
    url: "/my/cases",
    steps: () => [
        {content: "Open the request", trigger: "a:contains('Water leaking in the kitchen')", run: "click", expectUnloadPage: true},
        {content: "Acknowledged", trigger: ".o_pm_case_status:not(:contains('Waiting'))"},
        {content: "The handler", trigger: ".o_pm_handler:contains('Agent A')"},
        {content: "The reply", trigger: "#chatterRoot:shadow .o-mail-Message:contains('A plumber comes at 3 pm.')"},
        ...backToListSteps("Water leaking in the kitchen"),
    ],
});

// The owner opens the "dissatisfied" link of the email, without logging in.
registry.category("web_tour.tours").add("pm_portal_owner_rate_tour", {
    steps: () => [
        ...rateFromEmailSteps(2, "The ceiling still drips.", ".o_pm_rate_thanks:contains('reopened')"),
    ],
});

// Posting fails (here the request is sent for a record that does not exist, as
// when the owner lost access meanwhile): the page says so, the text stays.
registry.category("web_tour.tours").add("pm_portal_chatter_error_tour", {
    steps: () => [
        {content: "The message box", trigger: "#chatterRoot:shadow .o-mail-Composer-input", run: "edit Is anybody there?"},
        {
            content: "The server will refuse the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run(helpers) {
                const send = XMLHttpRequest.prototype.send;
                XMLHttpRequest.prototype.send = function (body) {
                    if (typeof body === "string" && body.includes('"post_data"')) {
                        body = body.replace(/"thread_id":\d+/, '"thread_id":2147483647');
                        XMLHttpRequest.prototype.send = send;
                    }
                    return send.call(this, body);
                };
                helpers.anchor.click();
            },
        },
        {content: "The page says it was not sent", trigger: ".o_pm_chatter_error:visible"},
        {content: "The text is kept", trigger: "#chatterRoot:shadow .o-mail-Composer-input:value(Is anybody there?)"},
        {content: "The box is usable again", trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled"},
    ],
});
