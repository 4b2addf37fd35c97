/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// What the tours share: logging in, filling in a request (its text, a photo),
// commenting, rating, accepting a quote and ending on a portal list.

import {registry} from "@web/core/registry";

// a 1x1 PNG: the photo a tour attaches
export const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

/** Log in on the login page as ``login`` (its password is its login). */
export function loginSteps(login) {
    return [
        {content: "Log in", trigger: "input[name='login']", run: `edit ${login}`},
        {trigger: "input[name='password']", run: `edit ${login}`},
        {trigger: ".oe_login_form button[type='submit']", run: "click", expectUnloadPage: true},
    ];
}

/** Add the tour ``name``: log in as ``login``, then take ``steps()``. */
export function addLoggedInTour(name, login, steps) {
    registry.category("web_tour.tours").add(name, {steps: () => [...loginSteps(login), ...steps()]});
}

/** Type the request's ``subject`` and ``description`` in the request form. */
export function requestTextSteps(subject, description) {
    return [
        {content: "Subject", trigger: "input[name='subject']", run: `edit ${subject}`},
        {content: "Description", trigger: "textarea[name='description']", run: `edit ${description}`},
    ];
}

/** Type ``text`` in the page's comment box. */
export function commentStep(content, text) {
    return {content, trigger: "textarea[name='comment']", run: `edit ${text}`};
}

/** Rate from the email's link: ``level`` is chosen, say ``comment``, send, see ``thanks``. */
export function rateFromEmailSteps(level, comment, thanks) {
    return [
        {content: `Rating ${level} is chosen`, trigger: `input#pm_rate_${level}:checked`},
        commentStep("Say a word", comment),
        {content: "Send", trigger: "button.o_pm_rate_submit", run: "click", expectUnloadPage: true},
        {content: "Recorded", trigger: thanks},
    ];
}

/** Attach PNG as ``filename`` to the form's photo input. */
export function photoStep(content, filename) {
    return {
        content,
        trigger: "input[name='attachments']",
        run(helpers) {
            const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], filename, {type: "image/png"}));
            helpers.anchor.files = transfer.files;
        },
    };
}

/** The request's page shows the photo attached as ``filename``. */
export function photoShownStep(filename) {
    return {content: "The photo is shown", trigger: `.o_pm_case_attachments img[alt='${filename}']`};
}

/** Accept the quote shown on a repair's page, see the answer recorded. */
export function acceptQuoteSteps() {
    return [
        {content: "Accept the quote", trigger: "button.o_pm_quote_accept", run: "click", expectUnloadPage: true},
        {content: "Answer recorded", trigger: ".o_pm_portal_repair .alert-success"},
    ];
}

/**
 * Back from a request to the list of requests, which shows ``subject``: a tour
 * ends there, as a request's chatter may still be loading when it stops.
 */
export function backToListSteps(subject) {
    return [
        {content: "Back to the list", trigger: ".o_portal_submenu a[href='/my/cases']", run: "click", expectUnloadPage: true},
        {content: "The list", trigger: `a:contains('${subject}')`},
    ];
}
