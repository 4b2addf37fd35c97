/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// What the front desk's repair tours share: reading the technician picker and
// dispatching an order to the technician picked.

/** The names the open technician picker offers (not its "Search More…"). */
export function offeredNames() {
    return [
        ...document.querySelectorAll(
            ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)"
        ),
    ].map((item) => item.textContent.trim());
}

/** Pick ``name`` in the open technician picker, dispatch, see it dispatched. */
export function pickAndDispatchSteps(name) {
    return [
        {
            content: `Pick ${name}`,
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains(${name})`,
            run: "click",
        },
        {
            content: "Dispatch",
            trigger: ".o_form_view button[name='action_dispatch']",
            run: "click",
        },
        {
            content: "The order is dispatched",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='dispatched']",
        },
    ];
}
