/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

const SUBJECT = ".o_form_view .o_field_widget[name='subject'] input";
// nothing left to save: the save and discard buttons are hidden
const SAVED = ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)";

// the case the form shows (/odoo/pm.case/<id>)
function caseId() {
    return Number(window.location.pathname.split("/").pop());
}

// Concurrent edits (issue 27): the agent edits a case in its form; the case
// changes meanwhile (another request); her save is refused with the error
// dialog; reloaded, she edits and acknowledges the case.
registry.category("web_tour.tours").add("pm_case_version_tour", {
    steps: () => [
        {content: "Edit the subject", trigger: SUBJECT, run: "edit 水龙头滴水"},
        {content: "Save", trigger: ".o_form_button_save", run: "click"},
        {content: "Saved", trigger: SAVED},
        {content: "Edit it again", trigger: SUBJECT, run: "edit 水龙头已更换"},
        {
            content: "Meanwhile the case changes in another request",
            trigger: ".o_form_view .o_form_button_save",
            async run() {
                await rpc("/web/dataset/call_kw/pm.case/write", {
                    model: "pm.case",
                    method: "write",
                    args: [[caseId()], {description: "业主补充：厨房水龙头一直滴水。"}],
                    kwargs: {},
                });
            },
        },
        {content: "Save", trigger: ".o_form_button_save", run: "click"},
        {
            content: "Refused: the case changed after the form loaded it",
            trigger: ".modal .modal-body:contains(请刷新页面)",
        },
        {content: "Close the message", trigger: ".modal .modal-footer .btn-primary", run: "click"},
        {content: "Discard the edit", trigger: ".o_form_button_cancel", run: "click"},
        {
            content: "Reload the page",
            trigger: `${SUBJECT}:value(水龙头滴水)`,
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            content: "The change made meanwhile is shown",
            trigger: ".o_form_view .o_field_widget[name='description'] textarea:value(业主补充：厨房水龙头一直滴水。)",
        },
        {content: "The refused edit was not saved", trigger: `${SUBJECT}:value(水龙头滴水)`},
        {content: "Edit the subject", trigger: SUBJECT, run: "edit 水龙头已修好"},
        {
            content: "Acknowledge (the button saves first)",
            trigger: ".o_form_view button[name='action_acknowledge']",
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: ".o_form_view:not(:has(button[name='action_acknowledge']))",
        },
        {content: "No error", trigger: `body:not(:has(.modal)) ${SAVED}`},
    ],
});
