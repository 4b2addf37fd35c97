# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's journey through the screens (issue 21), on a phone in Chinese, as
the demo owner; the staff steps in between are taken by the least-privileged
demo users through the ORM. Also the repair pages' seams: messages posted from
the list, times on the property's clock, the plan next to the fee, money written
as money."""

import re
from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import (
    SCREENSHOT_DIR,
    RepairPortalCommon,
    keep_screenshot,
    screenshot_browser,
)

# PM_SCREENSHOT_DIR keeps screenshots of the owner's screens (390x844, zh_CN)
RATE_LINK_RE = re.compile(r'href="[^"]*(/my/cases/rate/[0-9a-f]{32}/5)"')


@tagged("post_install", "-at_install", "security")
class TestRepairOwnerPages(RepairPortalCommon):
    def _order(self, **values):
        return self.env["pm.repair.order"].create(
            {
                "property_id": self.property_a.id,
                "unit_id": self.unit_a.id,
                "partner_id": self.owner.id,
                "category_id": self.cat_water.id,
                "description": "Tap drips.",
                **values,
            }
        )

    def test_owner_posts_on_the_order_opened_from_the_list(self):
        order = self._order()
        self.authenticate("pm_p_owner", "pm_p_owner")
        self.assertIn(
            f'href="/my/repairs/{order.id}"', self.url_open("/my/repairs").text
        )
        self.assertEqual(self.url_open(f"/my/repairs/{order.id}").status_code, 200)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": order._name,
                "thread_id": order.id,
                "post_data": {
                    "body": "Please call before coming.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = order.message_ids.filtered(
            lambda m: "call before coming" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner)

    def test_page_and_pdf_read_shanghai_time(self):
        """An appointment at 09:00 in Shanghai (01:00 UTC) reads 09:00 on the
        owner's page and on the owner's copy of the work order; received at
        00:30 on 8 December and signed at 00:10 on the 9th (both the evening
        before in UTC), they read those days, written the Chinese way."""
        order = self._order(
            urgency="appointment",
            intake_date=datetime(2026, 12, 7, 16, 30),
            appointment_date=datetime(2026, 12, 8, 1, 0),
            state="return_visit",
            signed_by="Owner Wang",
            signed_on=datetime(2026, 12, 8, 16, 10),
        )
        self.portal_owner.lang = "zh_CN"
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/repairs/{order.id}").text
        self.assertIn("2026年12月08日 09:00", page)
        self.assertIn("2026年12月08日 00:30", page)
        signed = re.search(r'o_pm_signed_on">([^<]+)<', page).group(1)
        self.assertEqual(signed, "2026年12月09日 00:10")
        self.assertNotIn("01:00", page)
        self.assertNotIn("2026-12-07", page)
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="zh_CN")
            ._render_qweb_html("pm_repair.action_report_pm_repair_order", order.ids)[0]
            .decode()
        )
        self.assertIn("2026年12月08日 09:00", html)
        self.assertIn("2026年12月09日 00:10", html)
        self.assertNotIn("01:00", html)

    def test_quote_shows_the_plan_and_money_reads_as_money(self):
        """The quote card shows the planned work next to the fee; the owner's
        acceptance in the chatter writes the amount with its currency."""
        order = self._order(
            state="quoted",
            quote_state="sent",
            plan="Replace the tap cartridge.",
            diagnosis="Cartridge worn out.",
            line_ids=[
                (
                    0,
                    0,
                    {
                        "name": "Cartridge",
                        "uom": "piece",
                        "quantity": 1,
                        "price_unit": 80,
                    },
                )
            ],
        )
        self.authenticate("pm_p_owner", "pm_p_owner")
        page = self.url_open(f"/my/repairs/{order.id}").text
        card = page.split("o_pm_quote_card")[1].split("o_pm_quote_accept")[0]
        self.assertIn("Replace the tap cartridge.", card)
        self.assertIn("80.00", card)
        self.assertNotIn("Cartridge worn out", page)
        res = self.url_open(
            f"/my/repairs/{order.id}/quote",
            data={
                "csrf_token": self._csrf(f"/my/repairs/{order.id}"),
                "decision": "accept",
            },
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303)
        message = order.message_ids.filtered(
            lambda m: "accepted the quote" in (m.body or "")
        )
        self.assertRegex(message.body, rf"{order.currency_id.symbol}(&nbsp;|\s)?80\.00")
        self.assertNotIn("80.0.", message.body)


@tagged("post_install", "-at_install")
class TestOwnerJourney(HttpCase):
    """Issue 21, the owner's journey (acceptance), 390x844, zh_CN, as the demo
    owner pm_owner."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.owner_user = ref("pm_customer_service.res_users_portal_owner_demo")
        cls.owner = cls.owner_user.partner_id
        cls.agent = ref("pm_customer_service.res_users_agent_demo")
        cls.technician = ref("pm_customer_service.res_users_technician_demo")
        cls.property = ref("pm_customer_service.pm_property_demo")
        cls.category = ref("pm_repair.pm_repair_category_water")

    def _screenshot(self, url, name, login="pm_owner", lang="zh_CN"):
        """Keep what the owner sees at ``url`` (the whole page, 390 wide) in
        PM_SCREENSHOT_DIR, when set."""
        if not SCREENSHOT_DIR:
            return
        with screenshot_browser(self) as browser:
            self.authenticate(login, login, browser=browser)
            if not login:
                # a visitor's phone asks for Chinese
                url = f"/{lang}{url}"
            browser.navigate_to(self.base_url() + url, wait_stop=True)
            # the page's services started (leaving earlier aborts their requests)
            browser._wait_ready("!!(window.odoo && odoo.__WOWL_DEBUG__)")
            # let the chatter load its messages (or say there are none)
            browser._wait_ready(
                "!document.querySelector('.o_portal_chatter') || "
                "!!document.querySelector('#chatterRoot')?.shadowRoot?.querySelector("
                "'.o-mail-Message, .o-mail-Thread-empty span')"
            )
            metrics = browser._websocket_request("Page.getLayoutMetrics")
            height = int(metrics["cssContentSize"]["height"])
            shot = browser._websocket_request(
                "Page.captureScreenshot",
                params={
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": 390,
                        "height": height,
                        "scale": 1,
                    },
                },
            )
            keep_screenshot(shot, name)

    def _owner_page(self, url):
        self.authenticate("pm_owner", "pm_owner")
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        return res.text

    def test_owner_journey(self):
        Case = self.env["pm.case"]
        self._screenshot("/my/cases/new?request_type=repair", "1_form")
        lobby = self.env.ref("pm_customer_service.pm_common_area_b1_lobby_demo")
        qr = lobby._pm_qr_url().split("/my/", 1)[1]
        self._screenshot(f"/my/{qr}", "1_visitor_form", login=None)

        # the owner asks for a repair from 我的报修, with a photo and a slot
        self.start_tour("/my", "pm_owner_journey_request", login="pm_owner")
        case = Case.search([("subject", "=", "厨房水龙头漏水")])
        self.assertEqual(len(case), 1)
        self.assertEqual(
            (case.request_type, case.partner_id, case.channel),
            ("repair", self.owner, "portal"),
        )
        self.assertTrue(case.to_acknowledge, "waits in 待受理")
        self.assertEqual(case.attachment_ids.mapped("name"), ["tap.png"])
        self.assertEqual(case.attachment_ids.res_id, case.id)
        self.assertEqual(case.appointment_window, "morning")
        # the owner said what needs repairing
        self.assertEqual(case.repair_category_id, self.category)
        # 09:00 on the property's clock
        local = self.property._pm_local(case.appointment_date)
        self.assertEqual((local.hour, local.minute), (9, 0))
        self._screenshot("/my/repairs", "2_repairs_list")
        self._screenshot("/my/cases", "2_requests_list")

        # the front desk acknowledges and replies (pm_agent)
        as_agent = case.with_user(self.agent)
        action = as_agent.action_acknowledge()
        # 受理 made the order of the request at once (the owner chose the kind)
        order = (
            self.env["pm.repair.order"].with_user(self.agent).browse(action["res_id"])
        )
        self.assertEqual(case.repair_order_ids, order)
        as_agent.message_post(
            body="您好，师傅明天上午九点上门。",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

        # the owner opens the request from the list and answers
        self.start_tour("/my/cases", "pm_owner_journey_reply", login="pm_owner")
        answer = case.message_ids.filtered(lambda m: "我上午在家" in (m.body or ""))
        self.assertEqual(len(answer), 1, "the owner's answer is posted on the request")
        self.assertEqual(answer.author_id, self.owner)
        self.assertFalse(answer.is_internal)
        self._screenshot(case.access_url, "3_request_page")

        # the front desk makes the order of the case (pm_agent); it is
        # dispatched to the technician, who arrives and quotes a paid repair
        order.technician_id = self.technician
        self.assertEqual((order.case_id, order.category_id), (case, self.category))
        self.assertEqual(order.unit_id, case.unit_id)
        self.assertEqual(order.appointment_date, case.appointment_date)
        order.action_dispatch()
        as_tech = order.with_user(self.technician)
        as_tech.action_take()
        # the QR code at the unit does not stamp a visit booked for another day
        # (the owner chose tomorrow morning) ...
        stamped, waiting = as_tech.env["pm.repair.order"]._pm_arrive_at_place(
            order.unit_id
        )
        self.assertFalse(stamped)
        self.assertIn(order, waiting)
        # ... the owner is at home this morning (their answer): the technician
        # stamps the arrival with the printed order's QR code (the unit's code
        # on the booked day: the technician's journey)
        self.assertEqual(as_tech._pm_scan_arrival(), "stamped")
        as_tech.write({"diagnosis": "阀芯磨损。"})
        as_tech.action_diagnose()
        as_tech.write(
            {
                "plan": "更换水龙头阀芯。",
                "line_ids": [
                    (
                        0,
                        0,
                        {"name": "阀芯", "uom": "个", "quantity": 1, "price_unit": 80},
                    )
                ],
            }
        )
        as_tech.action_propose_plan()
        self.assertEqual((order.state, order.quote_state), ("quoted", "sent"))
        # the quote email is among the messages of the owner's page
        self.assertTrue(
            order.website_message_ids.filtered(lambda m: "80.00" in (m.body or ""))
        )
        self._screenshot(order.access_url, "4_quote_page")

        # the owner accepts the quote on the order's page
        self.start_tour(order.access_url, "pm_owner_journey_quote", login="pm_owner")
        self.assertEqual(order.quote_state, "accepted")
        # the owner's acceptance in the chatter writes the money as money
        accepted = order.message_ids.filtered(
            lambda m: m.author_id == self.owner and "80" in (m.body or "")
        )
        self.assertEqual(len(accepted), 1)
        self.assertRegex(accepted.body, r"¥(&nbsp;|\s)?80\.00")

        # the technician completes; the owner signs on the order's page
        as_tech.action_done()
        self.start_tour(order.access_url, "pm_owner_journey_sign", login="pm_owner")
        self.assertEqual(order.state, "return_visit")
        self.assertEqual(order.signed_partner_id, self.owner)
        self.assertTrue(order.signature)
        self._screenshot(order.access_url, "5_signed_order")

        # one thread (R-THREAD-1): the order done and accepted resolves its
        # case; its return visit is the order's
        case.invalidate_recordset()
        self.assertEqual(case.state, "return_visit")
        self.assertEqual(case.resolved_date, order.done_date)
        self.assertEqual(order.state, "return_visit")
        self._screenshot(case.access_url, "6_request_resolved")

        # the owner rates from the link of the queued email, without logging in
        mails = self.env["mail.mail"].search(
            [("model", "=", "pm.case"), ("res_id", "=", case.id)]
        )
        links = [
            m for m in (RATE_LINK_RE.search(x.body_html or "") for x in mails) if m
        ]
        self.assertTrue(links, "the resolution email carries the rating links")
        self.start_tour(links[0].group(1), "pm_owner_journey_rate")
        self.assertEqual(case.satisfaction, "5")

        # one thread for the owner: the owner's words are on the request, the
        # order is the request's
        self.assertEqual(order.case_id, case)
        owner_messages = self.env["mail.message"].search(
            [("author_id", "=", self.owner.id), ("model", "=", "pm.case")]
        )
        self.assertIn(answer, owner_messages)
        self.assertEqual(
            case.message_partner_ids & self.owner, self.owner, "the owner follows it"
        )

        # every time the owner reads is on the property's clock (Asia/Shanghai)
        self.owner_user.invalidate_recordset()
        case_page = self._owner_page(case.access_url)
        prop = self.property.with_context(lang="zh_CN")
        self.assertIn(prop._pm_local_text(case.intake_date), case_page)
        self.assertIn(
            prop._pm_local_text(case.appointment_date, date_only=True), case_page
        )
        self.assertIn("09:00-12:00", case_page)
        order_page = self._owner_page(order.access_url)
        for value in (order.intake_date, order.appointment_date, order.signed_on):
            self.assertIn(prop._pm_local_text(value), order_page)
        self.assertIn(" 09:00", prop._pm_local_text(order.appointment_date))
        self.assertNotIn("Powered by", case_page + order_page)
