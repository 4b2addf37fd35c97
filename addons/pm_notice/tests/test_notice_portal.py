# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import NoticeCommon


@tagged("post_install", "-at_install")
class TestNoticePortal(NoticeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.portal_owner, cls.portal_owner_li = Users.create(
            [
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "group_ids": [(6, 0, portal.ids)],
                }
                for login, partner in (
                    ("pm_n_owner", cls.owner),
                    ("pm_n_owner_li", cls.owner_li),
                )
            ]
        )

    def _unread_counter(self):
        res = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": ["pm_notice_unread_count"]}}),
            headers={"Content-Type": "application/json"},
        )
        return res.json()["result"]["pm_notice_unread_count"]

    def test_owner_opens_notice_marks_read(self):
        notice = self._published()
        draft = self._draft(name="Draft about the lifts")
        self.authenticate("pm_n_owner", "pm_n_owner")
        self.assertEqual(self._unread_counter(), 1)
        page = self.url_open("/my/notices")
        self.assertEqual(page.status_code, 200)
        self.assertIn(notice.name, page.text)
        self.assertNotIn(draft.name, page.text)
        res = self.url_open(f"/my/notices/{notice.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("8:00 to 14:00", res.text)
        self.assertIn(notice.number, res.text)
        self.url_open(f"/my/notices/{notice.id}")
        reads = self.env["pm.notice.read"].search([("notice_id", "=", notice.id)])
        self.assertEqual(reads.partner_id, self.owner)
        self.assertEqual(self._unread_counter(), 0)
        notice.invalidate_recordset()
        self.assertEqual(notice.read_count, 1)
        self.assertEqual(notice.read_rate_display, "25.00 %")
        # the agent reads the rate, and nobody else's property
        notice_agent = notice.with_user(self.user_agent)
        self.assertEqual(notice_agent.read_rate_display, "25.00 %")

    def test_other_property_owner_refused(self):
        notice = self._published()
        draft = self._draft()
        self.authenticate("pm_n_owner_li", "pm_n_owner_li")
        self.assertNotIn(notice.name, self.url_open("/my/notices").text)
        self.assertEqual(self._unread_counter(), 0)
        self.assertEqual(self.url_open(f"/my/notices/{notice.id}").status_code, 403)
        self.assertEqual(self.url_open(f"/my/notices/{draft.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/notices/999999").status_code, 404)
        self.assertFalse(
            self.env["pm.notice.read"].search([("partner_id", "=", self.owner_li.id)])
        )
        # the owner of property A does not see the draft either
        self.authenticate("pm_n_owner", "pm_n_owner")
        self.assertEqual(self.url_open(f"/my/notices/{draft.id}").status_code, 404)

    def test_building_notice_only_to_its_owners(self):
        notice = self._published(building_ids=[(6, 0, self.building_a2.ids)])
        self.authenticate("pm_n_owner", "pm_n_owner")
        self.assertEqual(self.url_open(f"/my/notices/{notice.id}").status_code, 403)

    def test_expired_notice_leaves_portal(self):
        """The day after its expiry day on the Shanghai clock, the notice is
        neither listed nor opened."""
        with freeze_time("2026-12-08 02:00:00"):
            notice = self._published(expiry_date="2026-12-10")
        self.authenticate("pm_n_owner", "pm_n_owner")
        with freeze_time("2026-12-10 15:50:00"):  # 23:50 in Shanghai
            self.assertIn(notice.name, self.url_open("/my/notices").text)
            self.assertEqual(self.url_open(f"/my/notices/{notice.id}").status_code, 200)
        with freeze_time("2026-12-10 16:10:00"):  # 12-11 00:10 in Shanghai
            self.assertNotIn(notice.name, self.url_open("/my/notices").text)
            self.assertEqual(self.url_open(f"/my/notices/{notice.id}").status_code, 404)
