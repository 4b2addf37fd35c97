/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The owner's messages on a request or repair page.
import {Composer} from "@mail/core/common/composer";
import {patch} from "@web/core/utils/patch";

// the messages' times read on the property's clock, as the rest of the
// page does, whatever the zone of the phone
const messages = document.querySelector(".o_pm_messages[data-pm-tz]");
if (messages) {
    luxon.Settings.defaultZone = messages.dataset.pmTz;
}

// When a message cannot be posted, the page says so (the alert above the
// messages, translated by the page's template) and the box keeps the text and
// stays usable, instead of a silent failure that leaves the owner waiting for an
// answer nobody received.
patch(Composer.prototype, {
    async processMessage(cb) {
        if (!this.env.inFrontendPortalChatter) {
            return super.processMessage(cb);
        }
        const alert = document.querySelector(".o_pm_chatter_error");
        alert?.classList.add("d-none");
        try {
            return await super.processMessage(cb);
        } catch {
            this.state.active = true;
            if (alert) {
                alert.classList.remove("d-none");
                alert.scrollIntoView({block: "center"});
            }
        }
    },
});
