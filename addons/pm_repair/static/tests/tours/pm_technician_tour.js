/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {addLoggedInTour} from "@pm_customer_service/../tests/tours/pm_tour_steps";

// a 1x1 PNG: the photo after the work
const PHOTO =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

function cookie(name) {
    const found = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
    return found ? decodeURIComponent(found[1]) : "";
}

// The technician's day on the phone (issue 21): logs in, lands on 我的维修工单
// (today's orders first), signs for today's order, stamps the arrival by
// scanning the QR code printed at the unit, diagnoses, plans, adds the photo
// after the work and completes. The test gives the order's description and the
// unit's QR address in cookies (what the phone's camera would read).
addLoggedInTour("pm_technician_day_tour", "pm_technician", () => [
    {
        content: "Lands on my orders, today's first",
        trigger: ".o_pm_my_orders .o_kanban_record:first .o_pm_due .badge:contains(今天)",
    },
    {
        content: "Open today's order",
        trigger: ".o_pm_my_orders .o_kanban_record:contains(卫生间花洒漏水)",
        run: "click",
    },
    {
        content: "The next step is one big button: sign for the order",
        trigger: ".o_pm_next_step button[name='action_take']:visible",
        run: "click",
    },
    {
        content: "Now the form says how to stamp the arrival",
        trigger: ".o_pm_next_step .o_pm_scan_hint:visible",
    },
    {
        content: "What the owner and the desk recorded is read-only",
        trigger: ".o_field_widget[name='partner_id'].o_readonly_modifier",
    },
    {
        content: "Scan the QR code at the unit",
        trigger: ".o_form_view",
        run() {
            window.location.href = cookie("pm_tour_qr");
        },
        expectUnloadPage: true,
    },
    {
        content: "The arrival is stamped by the place",
        trigger: ".o_pm_repair_place_arrival .o_pm_arrival_stamped",
    },
    {
        content: "Back to the order",
        trigger: "a.o_pm_open_order",
        run: "click",
        expectUnloadPage: true,
    },
    {
        content: "Record the diagnosis",
        trigger: ".o_field_widget[name='diagnosis'] textarea",
        run: "edit 花洒软管老化开裂。",
    },
    {
        content: "Diagnosed",
        trigger: ".o_pm_next_step button[name='action_diagnose']:visible",
        run: "click",
    },
    {
        content: "Write the plan",
        trigger: ".o_field_widget[name='plan'] textarea",
        run: "edit 更换花洒软管，约二十分钟。",
    },
    {
        content: "Propose the plan",
        trigger: ".o_pm_next_step button[name='action_propose_plan']:visible",
        run: "click",
    },
    {
        content: "Work in progress",
        trigger: ".o_pm_next_step button[name='action_done']:visible",
    },
    {content: "Photos", trigger: ".o_notebook .nav-link:contains(照片)", run: "click"},
    {
        content: "Add the photo after the work",
        trigger: ".o_field_widget[name='photo_after_ids']",
        run() {
            const input = document.querySelector(
                ".o_field_widget[name='photo_after_ids'] input[type='file']"
            );
            const bytes = Uint8Array.from(atob(PHOTO), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "after.png", {type: "image/png"}));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", {bubbles: true}));
        },
    },
    {
        content: "The photo is there",
        trigger: ".o_field_widget[name='photo_after_ids'] .o_attachment:contains(after.png)",
    },
    {
        content: "Done",
        trigger: ".o_pm_next_step button[name='action_done']:visible",
        run: "click",
    },
    {
        content: "The owner accepts next",
        trigger: ".o_pm_next_step button[name='action_record_owner_decision']:visible",
    },
]);
