# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owner SMS links and figures (issue 23): a link in an SMS is a short link of
the company's own site that leads where the full link leads; each owner SMS
sent or failed is counted under its property, by month of the property's
clock, on the director's dashboard."""

import json
from datetime import date
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .test_sms_channel import MONDAY_10, PmSmsCommon

OWNER_DASHBOARD = "pm_channel.spreadsheet_dashboard_pm_owner_sms"


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsShortLinks(PmSmsCommon, HttpCase):
    def _resolved(self, case, code="SMS_100000005"):
        if code:
            self._map("resolved", code)
        full = case.get_base_url() + case.sudo().get_portal_url()
        queued = self.Template._pm_queue_event(
            case,
            "resolved",
            case.partner_id,
            {"case_number": case.name, "rating_link": full},
        )
        return full, queued

    @freeze_time(MONDAY_10)
    def test_short_link_sent_and_redirects(self):
        server = self._configure("aliyun")
        case = self._create_case()
        full, queued = self._resolved(case)
        self.assertIn("access_token=", full)
        self.assertEqual(len(queued), 1)
        self._run_queue()
        self.assertEqual(server.rejected, [])
        [call] = [c for c in server.calls if c["template"] == "SMS_100000005"]
        link = call["params"][0]["link"]
        base = case.get_base_url()
        # the company's own site, a short path, within the provider's limit
        self.assertTrue(link.startswith(f"{base}/r/"), link)
        self.assertLessEqual(len(link), 35)
        self.assertNotIn("access_token", link)
        tracker = self.env["link.tracker"].sudo().search([("url", "=", full)])
        self.assertEqual(len(tracker), 1)
        self.assertEqual(link, f"{base}/r/{tracker.code}")
        # the chatter shows what the owner got: the short link
        self.assertIn(link, queued.mail_message_id.body)
        # a logged-out owner opening it: sent on to the full link ...
        path = urlsplit(link).path
        res = self.url_open(path, allow_redirects=False)
        self.assertIn(res.status_code, (301, 302, 303))
        self.assertEqual(res.headers["Location"], full)
        # ... and lands where the full link lands: the request's page
        landed = self.url_open(path)
        direct = self.url_open(full)
        self.assertEqual(landed.status_code, 200)
        self.assertEqual(landed.url, direct.url)
        self.assertIn(case.name, landed.text)
        self.assertEqual(urlsplit(landed.url).path, f"/my/cases/{case.id}")
        # the same full link again: the same short link, no second tracker
        _full, again = self._resolved(case, code=None)
        self.assertEqual(json.loads(again.pm_template_params)["link"], link)
        self.assertEqual(
            self.env["link.tracker"].sudo().search_count([("url", "=", full)]), 1
        )

    @freeze_time(MONDAY_10)
    def test_tencent_gets_the_short_link_too(self):
        server = self._configure("tencent")
        case = self._create_case()
        self._map("resolved", "2000005").param_ids = [
            (5, 0, 0),
            (0, 0, {"sequence": 1, "name": "1", "value": "case_number"}),
            (0, 0, {"sequence": 2, "name": "2", "value": "rating_link"}),
        ]
        full = case.get_base_url() + case.sudo().get_portal_url()
        self.Template._pm_queue_event(
            case,
            "resolved",
            case.partner_id,
            {"case_number": case.name, "rating_link": full},
        )
        self._run_queue()
        [call] = [c for c in server.calls if c["template"] == "2000005"]
        tracker = self.env["link.tracker"].sudo().search([("url", "=", full)])
        self.assertEqual(
            call["params"], [case.name, f"{case.get_base_url()}/r/{tracker.code}"]
        )

    @freeze_time(MONDAY_10)
    def test_value_too_long_is_recorded(self):
        """A site address so long that its short link passes Alibaba Cloud's 35
        characters per variable: the SMS is not sent, the reason is recorded on
        it and told to the staff in the chatter."""
        server = self._configure("aliyun")
        case = self._create_case()
        self.env["ir.config_parameter"].sudo().set_param(
            "web.base.url", "https://owners.lakeside-garden-property-service.example.cn"
        )
        _full, sms = self._resolved(case)
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.pm_failure_reason, "template")
        self.assertIn("35", sms.pm_error_message)
        self.assertIn("link", sms.pm_error_message)
        self._run_queue()
        self.assertFalse([c for c in server.calls if c["template"] == "SMS_100000005"])
        notes = case.message_ids.filtered(
            lambda m: "35" in (m.body or "") and "短信" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("变量", notes.body)
        self.assertNotIn("阿里云短信 表示", notes.body)


@tagged("pm_channel", "post_install", "-at_install")
class TestSmsCounts(PmSmsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_director.pm_property_ids = [
            (4, cls.property_a.id),
            (4, cls.property_b.id),
        ]
        cls.property_b.tz = "Asia/Shanghai"
        # the front desk records requests of both properties
        cls.user_agent.pm_property_ids = [(4, cls.property_b.id)]

    def _send_now(self, case, when):
        """The queue sends the SMS of ``case`` (only) at ``when`` (UTC)."""
        with freeze_time(when):
            self.env["sms.sms"].sudo().browse(self._sms(case).ids)._send()
        self.env.invalidate_all()

    def test_sent_and_failed_by_property_and_month(self):
        """SMS sent and failed per property per month of the property's clock:
        15:30 UTC on 30 November is 23:30 in Shanghai, still November; 16:30
        UTC is 1 December there. Sent messages Odoo deletes are counted."""
        server = self._configure("aliyun")
        self._map("case_received", "SMS_100000001")
        with freeze_time("2026-11-30 15:00:00"):
            nov_sent = self._create_case()
            nov_failed = self._create_case()
            dec_sent = self._create_case()
            other = self._create_case(
                property_id=self.property_b.id,
                unit_id=self.unit_b.id,
                team_id=False,
                user_id=False,
            )
        self.assertEqual(self._sms(nov_sent).pm_property_id, self.property_a)
        self.assertEqual(self._sms(other).pm_property_id, self.property_b)
        # 23:30 in Shanghai on 30 November: one refused, one sent
        server.fail["13800138000"] = ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        self._send_now(nov_failed, "2026-11-30 15:30:00")
        server.fail.clear()
        self._send_now(nov_sent, "2026-11-30 15:30:00")
        # the others after midnight in Shanghai: December
        with freeze_time("2026-11-30 16:30:00"):
            self._run_queue()
        self.assertTrue(self._sms(dec_sent).to_delete)
        self.env.invalidate_all()
        # Odoo's garbage collection of sent messages leaves the counts
        self.env["sms.sms"].sudo().search([("to_delete", "=", True)]).unlink()
        # as the director reads them, grouped in the database
        groups = (
            self.env["pm.sms.outcome"]
            .with_user(self.user_director)
            ._read_group(
                [],
                ["property_id", "date:month"],
                ["sent_count:sum", "failed_count:sum"],
            )
        )
        figures = {
            (prop.name, month.strftime("%Y-%m")): (sent, failed)
            for prop, month, sent, failed in groups
        }
        self.assertEqual(
            figures,
            {
                (self.property_a.name, "2026-11"): (1, 1),
                (self.property_a.name, "2026-12"): (1, 0),
                ("Property B", "2026-12"): (1, 0),
            },
        )
        self.assertEqual(
            self.env["pm.sms.outcome"]
            .sudo()
            .search([("state", "=", "sent"), ("date", "<", date(2026, 12, 1))])
            .property_id,
            self.property_a,
        )
        # one row per message
        self.assertEqual(self.env["pm.sms.outcome"].sudo().search_count([]), 4)

    def test_dashboard_and_pivot(self):
        """The director's dashboard of owner SMS loads its pivot of the counts
        by property and month; the technician does not see it."""
        dashboard = self.env.ref(OWNER_DASHBOARD)
        self.assertEqual(
            dashboard.dashboard_group_id,
            self.env.ref("pm_customer_service.spreadsheet_dashboard_group_pm"),
        )
        self.assertIn(self.env.ref("pm_base.group_pm_director"), dashboard.group_ids)
        self.authenticate(self.user_director.login, self.user_director.login)
        res = self.url_open(f"/spreadsheet/dashboard/data/{dashboard.id}")
        self.assertEqual(res.status_code, 200)
        data = res.json()["snapshot"]
        pivot = data["pivots"]["1"]
        self.assertEqual(pivot["model"], "pm.sms.outcome")
        self.assertEqual(pivot["rows"], [{"fieldName": "property_id"}])
        self.assertEqual(pivot["columns"][0]["fieldName"], "date")
        self.assertEqual(pivot["columns"][0]["granularity"], "month")
        self.assertEqual(
            [m["fieldName"] for m in pivot["measures"]], ["sent_count", "failed_count"]
        )
        self.assertEqual(data["sheets"][0]["cells"]["A3"]["content"], "=PIVOT(1)")
        # the pivot view the menu opens, as the director
        action = self.env.ref("pm_channel.pm_sms_outcome_action")
        self.assertTrue(action.view_mode.startswith("pivot"))
        arch = (
            self.env["pm.sms.outcome"]
            .with_user(self.user_director)
            .get_views([(False, "pivot")])["views"]["pivot"]["arch"]
        )
        self.assertIn('name="property_id"', arch)
        self.assertIn('interval="month"', arch)
        self.assertFalse(
            self.env["spreadsheet.dashboard"]
            .with_user(self.user_technician)
            .search([("id", "=", dashboard.id)])
        )
