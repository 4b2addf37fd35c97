/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {backToListSteps, requestTextSteps} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";

// On a phone, logged out: the owner scans the QR code of the unit, signs in
// with the mobile number and the SMS code, and is back on the request form with
// the unit filled in; the request is submitted.
registry.category("web_tour.tours").add("pm_phone_login_qr_tour", {
    steps: () => [
        {content: "The phone sign-in, not the password page", trigger: "form.o_pm_phone_login input[name='number']", run: "edit 138 0000 0000"},
        {content: "Get a code", trigger: "form.o_pm_phone_login button.btn-primary", run: "click", expectUnloadPage: true},
        {content: "The code sent to the masked number", trigger: "form.o_pm_phone_login p:contains('138****0000')"},
        // the test knows the code the SMS carries (read back from the queue after the tour)
        {content: "Type the code", trigger: "form.o_pm_phone_login input[name='code']", run: "edit 246810"},
        {content: "Sign in", trigger: "form.o_pm_phone_login button.btn-primary:not([name])", run: "click", expectUnloadPage: true},
        {content: "Back on the request form, the scanned unit chosen", trigger: "form select[name='unit_id']:has(option[selected])"},
        {content: "Say what is needed", trigger: "label[for='pm_request_type_repair']", run: "click"},
        ...requestTextSteps("Door lock broken QR tour", "The lock of the front door does not turn."),
        {content: "Submit", trigger: "button.o_pm_case_submit", run: "click", expectUnloadPage: true},
        {content: "Submitted", trigger: ".o_pm_portal_case .o_pm_sent_notice"},
        ...backToListSteps("Door lock broken QR tour"),
    ],
});
