/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The owner's journey on a phone, in Chinese, as the demo owner: ask for a repair
// with a photo and an appointment, answer the front desk's reply from the list,
// accept the quote, sign the finished repair, rate it from the emailed link. The
// staff steps between these tours are the Python test's (test_owner_journey.py).
import {acceptQuoteSteps, backToListSteps, photoShownStep, photoStep, rateFromEmailSteps, requestTextSteps} from "@pm_customer_service/../tests/tours/pm_tour_steps";
import {registry} from "@web/core/registry";

const CHATTER = "#chatterRoot:shadow";

// the owner asks for a repair from 我的报修 and lands on the request, waiting
registry.category("web_tour.tours").add("pm_owner_journey_request", {
    url: "/my",
    steps: () => [
        {content: "My repairs", trigger: ".o_pm_portal_tile a[href='/my/repairs']", run: "click", expectUnloadPage: true},
        {content: "New repair request", trigger: "a.o_pm_new_repair", run: "click", expectUnloadPage: true},
        {content: "The request form, repair chosen", trigger: ".o_pm_case_form #pm_request_type_repair:checked"},
        {content: "The repair's wording", trigger: ".o_pm_case_new_title:contains('新建报修'):not(:contains('新建报事'))"},
        {content: "What needs repairing: the water supply", trigger: "select[name='repair_category_id']", run: "selectByLabel 给水"},
        ...requestTextSteps("厨房水龙头漏水", "水龙头一直滴水，关不紧。"),
        {
            content: "Appointment: the day after the first day offered",
            trigger: "input[name='appointment_day'][min]",
            run(helpers) {
                const day = new Date(`${helpers.anchor.min}T00:00:00Z`);
                day.setUTCDate(day.getUTCDate() + 1);
                helpers.anchor.value = day.toISOString().slice(0, 10);
                helpers.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {content: "Appointment: the morning", trigger: "select[name='appointment_window']", run: "select morning"},
        photoStep("A photo of the fault", "tap.png"),
        {content: "Submit", trigger: "button.o_pm_case_submit:contains('提交报修')", run: "click", expectUnloadPage: true},
        {content: "Submitted, waiting for the service centre", trigger: ".o_pm_sent_notice:contains('等待服务中心受理')"},
        {content: "Waiting", trigger: ".o_pm_case_status:contains('待受理')"},
        photoShownStep("tap.png"),
        {content: "The appointment", trigger: ".o_pm_appointment:contains('09:00-12:00')"},
        {content: "The messages are loaded", trigger: `${CHATTER} .o-mail-Thread`},
        {content: "Back to my repairs", trigger: ".o_portal_submenu a[href='/my/home']", run: "click", expectUnloadPage: true},
        {content: "My repairs", trigger: ".o_pm_portal_tile a[href='/my/repairs']", run: "click", expectUnloadPage: true},
        {content: "The request waits there", trigger: ".o_pm_repair_requests a:contains('厨房水龙头漏水')"},
    ],
});

// the front desk acknowledged and replied: the owner answers from the list page
registry.category("web_tour.tours").add("pm_owner_journey_reply", {
    url: "/my/cases",
    steps: () => [
        {content: "Open the request from the list", trigger: "a:contains('厨房水龙头漏水')", run: "click", expectUnloadPage: true},
        {content: "Acknowledged", trigger: ".o_pm_case_status:not(:contains('待受理'))"},
        {content: "The reply", trigger: `${CHATTER} .o-mail-Message:contains('师傅明天上午九点上门')`},
        {content: "No English in the messages", trigger: `${CHATTER} .o-mail-Thread:not(:contains('Today at')):not(:contains('conversation is empty'))`},
        {content: "Write the answer", trigger: `${CHATTER} .o-mail-Composer-input`, run: "edit 好的，我上午在家。"},
        {content: "Send", trigger: `${CHATTER} .o-mail-Composer-send:enabled`, run: "click"},
        {content: "The answer is posted", trigger: `${CHATTER} .o-mail-Message:contains('好的，我上午在家')`},
        {
            content: "Its time reads on the property's clock (Asia/Shanghai)",
            trigger: `${CHATTER} .o-mail-Message:contains('好的，我上午在家') .o-mail-Message-date`,
            run(helpers) {
                const clock = new Intl.DateTimeFormat("en-GB", {
                    timeZone: "Asia/Shanghai",
                    hour: "2-digit",
                    minute: "2-digit",
                    hourCycle: "h23",
                });
                const now = Date.now();
                const times = [now, now - 60000].map((t) => clock.format(new Date(t)));
                const text = helpers.anchor.textContent;
                if (!times.some((time) => text.includes(time))) {
                    throw new Error(`The message time "${text}" is not ${times[0]} in Shanghai`);
                }
            },
        },
        {content: "No error", trigger: ".o_pm_chatter_error.d-none:not(:visible)"},
        ...backToListSteps("厨房水龙头漏水"),
    ],
});

// the technician quoted a paid repair: the owner reads the plan and the fee and
// accepts on the order's page
registry.category("web_tour.tours").add("pm_owner_journey_quote", {
    steps: () => [
        {content: "The planned work", trigger: ".o_pm_quote_card .o_pm_quote_plan:contains('更换水龙头阀芯')"},
        {content: "The fee", trigger: ".o_pm_quote_card:contains('¥')"},
        // the page has finished loading (its messages) before the owner leaves it
        {content: "The messages are loaded", trigger: `${CHATTER} .o-mail-Thread`},
        ...acceptQuoteSteps(),
        {content: "The messages are loaded", trigger: `${CHATTER} .o-mail-Thread`},
    ],
});

// the repair is finished: the owner signs with a finger on the phone, on the
// order's page
registry.category("web_tour.tours").add("pm_owner_journey_sign", {
    steps: () => [
        {content: "The page is loaded", trigger: `${CHATTER} .o-mail-Thread`},
        {content: "Accept and sign", trigger: ".o_pm_sign_card .o_pm_sign_button", run: "click"},
        {
            content: "Sign with a finger",
            trigger: ".modal .o_web_sign_signature",
            run(helpers) {
                const canvas = helpers.anchor;
                const box = canvas.getBoundingClientRect();
                const at = (x, y) => ({
                    clientX: box.left + box.width * x,
                    clientY: box.top + box.height * y,
                    bubbles: true,
                    cancelable: true,
                    pointerId: 1,
                    pointerType: "touch",
                    isPrimary: true,
                    buttons: 1,
                    pressure: 0.5,
                });
                canvas.dispatchEvent(new PointerEvent("pointerdown", at(0.2, 0.5)));
                canvas.dispatchEvent(new PointerEvent("pointermove", at(0.5, 0.3)));
                canvas.dispatchEvent(new PointerEvent("pointermove", at(0.8, 0.6)));
                // the finger lifted: no button pressed any more (19.0's signature
                // pad ignores a pointerup that still reports one)
                canvas.ownerDocument.dispatchEvent(new PointerEvent("pointerup", {...at(0.8, 0.6), buttons: 0, pressure: 0}));
            },
        },
        {content: "Send the signature", trigger: ".modal .o_portal_sign_submit:enabled", run: "click", expectUnloadPage: true},
        {content: "Signed", trigger: ".o_pm_signed_on"},
        {content: "The messages are loaded", trigger: `${CHATTER} .o-mail-Thread`},
    ],
});

// the owner taps "very satisfied" in the email, without logging in
registry.category("web_tour.tours").add("pm_owner_journey_rate", {
    steps: () => [
        ...rateFromEmailSteps(5, "师傅很专业，谢谢！", ".o_pm_rate_thanks"),
    ],
});
