# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The front desk's day through the screens (issue 21, acceptance), on a
desktop in Chinese, as the demo agent pm_agent: lands on 待受理 (R-LAND-1),
acknowledges the owner's repair request into its repair order, picks the
category and a technician of the team (R-PICK-1) and dispatches, replies to the
owner on the request; once the technician finished and the owner accepted
(R-THREAD-1), the return visit waits in 回访 with the owner's phone. The
owner sends the request through the portal's form; the technician's and the
owner's later steps are taken through the ORM as the demo technician and owner."""

from odoo.tests import HttpCase, tagged

from odoo.addons.pm_customer_service.tests.portal_common import (
    CSRF_RE,
    FORM_KEY_RE,
)

from .common import SCREENSHOT_DIR, SIGNATURE, keep_screenshot, screenshot_browser

# PM_SCREENSHOT_DIR keeps screenshots of the agent's screens (desktop, zh_CN)
SUBJECT = "卫生间水管漏水"
REPLY = "您好，已派王强师傅上门维修。"


@tagged("post_install", "-at_install")
class TestDeskJourney(HttpCase):
    browser_size = "1366x768"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("pm_customer_service.res_users_agent_demo")
        cls.technician = ref("pm_customer_service.res_users_technician_demo")
        cls.director = ref("pm_customer_service.res_users_director_demo")
        cls.owner_user = ref("pm_customer_service.res_users_portal_owner_demo")
        cls.owner = cls.owner_user.partner_id
        cls.unit = ref("pm_customer_service.pm_unit_demo_lsg-b1_101")
        cls.category = ref("pm_repair.pm_repair_category_water")

    def _screenshot(self, url, name, ready):
        """Keep what the agent sees at ``url`` in PM_SCREENSHOT_DIR, when set."""
        if not SCREENSHOT_DIR:
            return
        with screenshot_browser(self) as browser:
            self.authenticate("pm_agent", "pm_agent", browser=browser)
            browser.navigate_to(self.base_url() + url, wait_stop=True)
            browser._wait_ready(f"!!document.querySelector({ready!r})")
            shot = browser._websocket_request("Page.captureScreenshot")
            keep_screenshot(shot, f"desk_{name}")

    def _owner_request(self):
        """The owner's repair request, sent by the owner through the portal's
        request form (no category: 不确定), waiting for the front desk."""
        self.authenticate("pm_owner", "pm_owner")
        form = self.url_open("/my/cases/new?request_type=repair")
        self.assertEqual(form.status_code, 200)
        res = self.url_open(
            "/my/cases/submit",
            data={
                "csrf_token": CSRF_RE.search(form.text).group(1),
                "form_key": FORM_KEY_RE.search(form.text).group(1),
                "unit_id": self.unit.id,
                "request_type": "repair",
                "subject": SUBJECT,
                "description": f"{SUBJECT}，地面都是水。",
            },
            allow_redirects=False,
        )
        self.assertEqual(res.status_code, 303, res.text[:300])
        self.logout()
        case = self.env["pm.case"].search([("subject", "=", SUBJECT)])
        self.assertEqual(len(case), 1)
        self.assertEqual((case.partner_id, case.channel), (self.owner, "portal"))
        self.assertIn(self.owner, case.message_partner_ids, "the owner follows it")
        return case

    def test_desk_day(self):
        case = self._owner_request()
        self.assertTrue(case.to_acknowledge)
        self.assertFalse(case.repair_category_id)
        self.assertTrue(self.owner.phone)
        queue = self.env.ref("pm_customer_service.pm_case_action_to_acknowledge")
        self._screenshot("/odoo", "1_landing", ".o_list_view .o_data_row")
        self._screenshot(
            f"/odoo/action-{queue.id}/{case.id}", "2_request", ".o-mail-Chatter"
        )

        # the agent logs in, acknowledges, dispatches and replies (the screens)
        self.start_tour("/web/login", "pm_desk_journey_tour", login=None, timeout=120)
        case.invalidate_recordset()
        self.assertFalse(case.to_acknowledge)
        order = case.repair_order_ids
        self.assertEqual(len(order), 1, "one order for the owner's request")
        self.assertEqual(
            (order.case_id, order.source, order.category_id, order.unit_id),
            (case, "portal", self.category, self.unit),
        )
        self.assertEqual(order.partner_id, self.owner)
        self.assertEqual(order.state, "dispatched")
        self.assertEqual(order.technician_id, self.technician)
        self.assertEqual(order.dispatch_method, "staff")
        self.assertEqual(order.create_uid, self.agent)
        # R-PICK-1: the picker offered the team's technicians only
        offered = order.technician_candidate_ids
        self.assertIn(self.technician, offered)
        self.assertFalse(offered & (self.agent | self.director))
        self.assertTrue(
            all(user.has_group("pm_base.group_pm_technician") for user in offered),
            offered.mapped("name"),
        )
        # the reply reached the owner: a message, not an internal note
        reply = case.message_ids.filtered(lambda m: REPLY in (m.body or ""))
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.message_type, "comment")
        self.assertFalse(reply.is_internal)
        self.assertFalse(reply.subtype_id.internal)
        self.assertEqual(reply.author_id, self.agent.partner_id)
        self.assertIn(reply, case.with_user(self.owner_user).website_message_ids)
        self.assertIn(self.owner, reply.notified_partner_ids | case.message_partner_ids)

        # the technician takes the order, arrives by the unit's QR code,
        # diagnoses and finishes; the owner signs on the portal
        as_tech = order.with_user(self.technician)
        as_tech.action_take()
        stamped, _waiting = (
            self.env["pm.repair.order"]
            .with_user(self.technician)
            ._pm_arrive_at_place(self.unit)
        )
        self.assertEqual(stamped, order)
        as_tech.diagnosis = "水管接头老化。"
        as_tech.action_diagnose()
        as_tech.plan = "更换水管接头。"
        as_tech.action_propose_plan()
        as_tech.action_done()
        order.with_user(self.owner_user)._pm_portal_decide(
            self.owner,
            "accept",
            {"partner": self.owner, "name": self.owner.name, "signature": SIGNATURE},
        )
        self.assertEqual(order.state, "return_visit")
        # R-THREAD-1: the request resolves with its order
        case.invalidate_recordset()
        self.assertEqual(case.state, "return_visit")
        self.assertTrue(case.resolved_date)
        visit = self.env["pm.return.visit"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(visit), 1, "one return visit, the order's")
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.partner_phone, self.owner.phone)
        # the agent's to call, never the owner who signed
        self.assertEqual(visit.visitor_id, self.agent)

        # the agent finds it in 服务 › 回访, with the owner's phone
        self.start_tour("/odoo", "pm_desk_return_visit_tour", login="pm_agent")
        visits = self.env.ref("pm_customer_service.pm_return_visit_action")
        self._screenshot(
            f"/odoo/action-{visits.id}", "3_return_visits", ".o_list_view .o_data_row"
        )
