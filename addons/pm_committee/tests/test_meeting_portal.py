# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import CommitteeCommon


@tagged("post_install", "-at_install")
class TestMinutesPortal(CommitteeCommon, HttpCase):
    """The committee members read their property's approved minutes on the portal
    and comment on them; nobody else reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.portal_member, cls.portal_other, cls.portal_b = Users.create(
            [
                {
                    "login": login,
                    "password": login,
                    "partner_id": partner.id,
                    "group_ids": [(6, 0, portal.ids)],
                }
                for login, partner in (
                    ("pm_p_member", cls.owner_member),
                    ("pm_p_other", cls.owner_other),
                    ("pm_p_owner_b", cls.owner_b),
                )
            ]
        )

    def setUp(self):
        super().setUp()
        with freeze_time("2026-04-03 02:00:00"):
            self.meeting = self._approved_meeting(
                minutes="<p>The garage is too dark at night.</p>"
            )
            self.draft = self._meeting(name="Next month's meeting")

    def test_member_reads_the_minutes_and_comments(self):
        self.authenticate("pm_p_member", "pm_p_member")
        res = self.url_open("/my/meetings")
        self.assertEqual(res.status_code, 200)
        self.assertIn("Monthly committee meeting", res.text)
        self.assertNotIn("Next month", res.text)
        res = self.url_open(f"/my/meetings/{self.meeting.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn("too dark at night", res.text)
        self.assertIn("2026", res.text)
        self.assertIn("o_portal_chatter", res.text)
        pdf = self.url_open(f"/my/meetings/{self.meeting.id}/minutes.pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(self._portal_counter("pm_minutes_count"), 1)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "pm.meeting",
                "thread_id": self.meeting.id,
                "post_data": {
                    "body": "Please add the date of the lighting works.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.meeting.message_ids.filtered(
            lambda m: "lighting works" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.owner_member)

    def test_draft_minutes_are_not_shown(self):
        self.authenticate("pm_p_member", "pm_p_member")
        res = self.url_open(f"/my/meetings/{self.draft.id}")
        self.assertEqual(res.status_code, 403)

    def test_owner_of_another_property_and_non_member(self):
        for login in ("pm_p_owner_b", "pm_p_other"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                res = self.url_open(f"/my/meetings/{self.meeting.id}")
                self.assertEqual(res.status_code, 403)
                res = self.url_open(f"/my/meetings/{self.meeting.id}/minutes.pdf")
                self.assertEqual(res.status_code, 403)
                res = self.url_open("/my/meetings")
                self.assertNotIn("Monthly committee meeting", res.text)
                self.assertEqual(self._portal_counter("pm_minutes_count"), 0)

    def test_unknown_meeting(self):
        self.authenticate("pm_p_member", "pm_p_member")
        res = self.url_open("/my/meetings/999999")
        self.assertEqual(res.status_code, 404)

    def _portal_counter(self, counter):
        res = self.url_open(
            "/my/counters",
            data='{"params": {"counters": ["%s"]}}' % counter,
            headers={"Content-Type": "application/json"},
        )
        return res.json()["result"][counter]
