/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// a 1x1 PNG, the photo the owner attaches
const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

// On a phone: the owner submits a request, which waits for the front desk, and
// rates a resolved one on its page.
registry.category("web_tour.tours").add("pm_portal_owner_tour", {
    url: "/my",
    steps: () => [
        {content: "The requests tile counts the open ones", trigger: ".o_pm_portal_tile [data-placeholder_count='pm_case_count']:contains(/^\\d+$/)"},
        {content: "Open my requests", trigger: "a[href='/my/cases']", run: "click"},
        {content: "Start a new request", trigger: "a.o_pm_new_case", run: "click"},
        {content: "Say what is needed", trigger: "label[for='pm_request_type_repair']", run: "click"},
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
        {
            content: "Attach a photo",
            trigger: "input[name='attachments']",
            run(helpers) {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "leak.png", {type: "image/png"}));
                helpers.anchor.files = transfer.files;
            },
        },
        {content: "Submit", trigger: "button.o_pm_case_submit", run: "click"},
        {content: "Submitted, waiting", trigger: ".o_pm_portal_case .o_pm_sent_notice"},
        {content: "The photo is shown", trigger: ".o_pm_case_attachments img[alt='leak.png']"},
        {content: "Waiting for the front desk", trigger: ".o_pm_case_status:contains('Waiting')"},
        {content: "The progress", trigger: ".o_pm_progress .o_pm_step_current"},
        {content: "The service phone", trigger: ".o_pm_progress a.o_pm_call[href^='tel:']"},
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

// The front desk acknowledged the request and replied: the owner reads it.
registry.category("web_tour.tours").add("pm_portal_owner_reply_tour", {
    url: "/my/cases",
    steps: () => [
        {content: "Open the request", trigger: "a:contains('Water leaking in the kitchen')", run: "click"},
        {content: "Acknowledged", trigger: ".o_pm_case_status:not(:contains('Waiting'))"},
        {content: "The handler", trigger: ".o_pm_handler:contains('Agent A')"},
        {content: "The reply", trigger: "#chatterRoot:shadow .o-mail-Message:contains('A plumber comes at 3 pm.')"},
        {content: "Back to the list", trigger: ".o_portal_submenu a[href='/my/cases']", run: "click"},
        {content: "The list", trigger: "a:contains('Water leaking in the kitchen')"},
    ],
});

// The owner opens the "dissatisfied" link of the email, without logging in.
registry.category("web_tour.tours").add("pm_portal_owner_rate_tour", {
    steps: () => [
        {content: "Dissatisfied is chosen", trigger: "input#pm_rate_2:checked"},
        {
            content: "Say what is wrong",
            trigger: "textarea[name='comment']",
            run: "edit The ceiling still drips.",
        },
        {content: "Send", trigger: "button.o_pm_rate_submit", run: "click"},
        {content: "Reopened", trigger: ".o_pm_rate_thanks:contains('reopened')"},
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
