/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {addLoggedInTour} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {rpcBus} from "@web/core/network/rpc";

// the dashboard's spreadsheet draws its cells on a canvas: read what it shows
// from the spreadsheet model of the dashboard on screen (the dashboard action
// holds it in its loader)
function dashboardModel() {
    const stack = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (stack.length) {
        const node = stack.pop();
        const model = node.component?.loader?.getActiveDashboard?.()?.model;
        if (model) {
            return model;
        }
        stack.push(...Object.values(node.children || {}));
    }
    return null;
}

function shownCell(model, col, row) {
    const sheetId = model.getters.getActiveSheetId();
    return model.getters.getEvaluatedCell({sheetId, col, row}).formattedValue;
}

async function waitFor(check, what) {
    for (let i = 0; i < 100; i++) {
        const value = check();
        if (value) {
            return value;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Not shown: ${what}`);
}

// The director's day (issue 21): logs in, lands on the Service Centre
// dashboard, sees which rate misses its target, approves the visit plan waiting
// in the activities, opens the month's quality analysis PDF.
addLoggedInTour("pm_director_day_tour", "pm_director", () => [
    {
        content: "Lands on the Service Centre dashboard",
        trigger: ".o_spreadsheet_dashboard_action .o-grid",
    },
    {
        content: "A rate below its target is flagged on its own row",
        trigger: ".o_spreadsheet_dashboard_action .o-grid",
        async run() {
            const model = await waitFor(dashboardModel, "the dashboard");
            // rows 4..7 (0-based 3..6): rate name in A, status in F
            const flagged = await waitFor(() => {
                const rows = [3, 4, 5, 6].map((row) => [
                    shownCell(model, 0, row),
                    shownCell(model, 5, row),
                ]);
                const below = rows.filter(([, status]) => status.startsWith("▼"));
                return below.length ? below : null;
            }, "a rate below its target");
            if (!flagged.some(([name]) => name === "及时率")) {
                throw new Error(`Flagged: ${JSON.stringify(flagged)}`);
            }
            for (const [name, status] of flagged) {
                if (!status.includes("低于目标")) {
                    throw new Error(`${name}: ${status}`);
                }
            }
        },
    },
    {
        content: "Open the activities",
        // the clock of the activities (its label reads in Chinese)
        trigger: ".o_menu_systray i.fa-clock-o",
        run: "click",
    },
    {
        content: "The visit plan waits for the director",
        trigger: ".o-mail-ActivityGroup[data-model_name='pm.visit.plan']",
        run: "click",
    },
    {
        content: "Open the plan",
        trigger: ".o_data_row .o_data_cell:contains(装修季专项走访)",
        run: "click",
    },
    {
        content: "Approve it (the director's review)",
        trigger: ".o_form_view .o_statusbar_buttons button[name='action_review']",
        run: "click",
    },
    {
        content: "Reviewed",
        trigger: ".o_form_view .o_statusbar_status button[aria-current='step']:contains(已审核)",
    },
    {
        content: "Reporting",
        trigger: ".o_main_navbar .dropdown-toggle:contains(报表)",
        run: "click",
    },
    {
        content: "The monthly analyses",
        trigger: ".dropdown-item:contains(服务质量分析)",
        run: "click",
    },
    {
        // in the list of analyses, not the units listed in the plan's form
        content: "This month's analysis",
        trigger: ".o_list_view .o_data_row:first .o_data_cell[name='month_label']",
        run: "click",
    },
    {
        content: "Note the address of the PDF the button opens",
        trigger: ".o_form_view button[name='action_download_pdf']",
        run() {
            rpcBus.addEventListener("RPC:RESPONSE", ({detail}) => {
                if (detail.result?.type === "ir.actions.act_url") {
                    window.pmOpened = detail.result.url;
                }
            });
        },
    },
    {
        content: "Download the PDF",
        trigger: ".o_form_view button[name='action_download_pdf']",
        run: "click",
    },
    {
        content: "The PDF opens",
        trigger: ".o_form_view",
        async run() {
            const url = await waitFor(() => window.pmOpened, "the PDF's address");
            const response = await fetch(url);
            const head = new Uint8Array(await response.arrayBuffer()).slice(0, 5);
            const magic = String.fromCharCode(...head);
            if (!response.ok || magic !== "%PDF-") {
                throw new Error(`Not a PDF: ${response.status} ${magic}`);
            }
        },
    },
]);
