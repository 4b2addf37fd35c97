/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {acceptQuoteSteps, commentStep} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";

// An owner who is not logged in opens the quote email's link on the phone and
// accepts the fee.
registry.category("web_tour.tours").add("pm_repair_quote_tour", {
    steps: () => [
        {content: "The quote waits for an answer", trigger: ".o_pm_quote_card"},
        ...acceptQuoteSteps(),
    ],
});

// The technician finished; the owner opens the link again and says it is not
// fixed, with a comment.
registry.category("web_tour.tours").add("pm_repair_not_fixed_tour", {
    steps: () => [
        {content: "The repair waits for the owner", trigger: ".o_pm_sign_card"},
        commentStep("Say what is still wrong", "The tap still drips at night."),
        {content: "Not fixed", trigger: "button.o_pm_not_fixed_submit", run: "click", expectUnloadPage: true},
        {content: "Sent back for rework", trigger: ".o_pm_rework_notice"},
    ],
});
