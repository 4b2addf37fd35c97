# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.pm_notice import is_live
from .common import NoticeCommon

APPROVAL_ACTIVITY = "pm_base.mail_activity_type_pm_approval"


@tagged("post_install", "-at_install")
class TestNoticeRules(NoticeCommon):
    def test_is_live_table(self):
        """A notice is on the portal from its publication day to its expiry day,
        both included."""
        rows = [
            (None, None, date(2026, 12, 8), True),
            (date(2026, 12, 8), None, date(2026, 12, 7), False),
            (date(2026, 12, 8), None, date(2026, 12, 8), True),
            (date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 10), True),
            (date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 11), False),
            (None, date(2026, 12, 10), date(2026, 12, 9), True),
        ]
        for publish, expiry, today, expected in rows:
            with self.subTest(publish=publish, expiry=expiry, today=today):
                self.assertIs(is_live(publish, expiry, today), expected)


@tagged("post_install", "-at_install")
class TestNoticeApproval(NoticeCommon):
    def test_agent_drafts_director_approves(self):
        """Drafted by the agent, approved by the director (seed 003 §4.2.5.1);
        the director is asked by an activity; nobody else takes the steps."""
        notice = self._draft()
        self.assertTrue(notice.number.startswith("GG"))
        with self.assertRaises(AccessError):
            notice.with_user(self.user_technician).action_submit()
        notice.action_submit()
        self.assertEqual(notice.state, "submitted")
        self.assertEqual(notice.submit_user_id, self.user_agent)
        activity = notice.sudo().activity_search([APPROVAL_ACTIVITY])
        self.assertEqual(activity.user_id, self.user_director)
        for user in (self.user_agent, self.user_technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                notice.with_user(user).action_approve()
        self.assertEqual(notice.state, "submitted")
        notice.with_user(self.user_director).action_approve()
        self.assertEqual(notice.state, "approved")
        self.assertEqual(notice.approve_user_id, self.user_director)
        self.assertTrue(notice.approve_date)
        self.assertFalse(notice.sudo().activity_search([APPROVAL_ACTIVITY]))

    def test_director_sends_back(self):
        notice = self._draft()
        notice.action_submit()
        with self.assertRaises(AccessError):
            notice.with_user(self.user_agent)._pm_approval_reject("Too long")
        notice.with_user(self.user_director)._pm_approval_reject("Say which floors")
        self.assertEqual(notice.state, "draft")
        self.assertEqual(notice.reject_reason, "Say which floors")
        self.assertEqual(notice.submit_user_id, self.user_agent)
        # back in draft, the agent corrects it
        notice.body = "<p>Floors 1 to 6: the water is cut from 8:00 to 14:00.</p>"
        notice.action_submit()
        self.assertEqual(notice.state, "submitted")

    def test_empty_notice_not_submitted(self):
        notice = self._draft(body="<p></p>")
        with self.assertRaises(UserError):
            notice.action_submit()
        self.assertEqual(notice.state, "draft")

    def test_publish_only_approved_by_director(self):
        notice = self._draft()
        with self.assertRaises(UserError):
            notice.with_user(self.user_director).action_publish()
        notice.action_submit()
        with self.assertRaises(UserError):
            notice.with_user(self.user_director).action_publish()
        notice.with_user(self.user_director).action_approve()
        with self.assertRaises(AccessError):
            notice.action_publish()
        self.assertEqual(notice.state, "approved")
        notice.with_user(self.user_director).action_publish()
        self.assertEqual(notice.state, "published")
        self.assertEqual(notice.publish_user_id, self.user_director)

    def test_state_only_through_actions(self):
        notice = self._draft()
        for vals in ({"state": "published"}, {"approve_user_id": self.user_agent.id}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                notice.write(vals)
        with self.assertRaises(UserError):
            notice.write({"number": "X-1"})
        self.assertEqual(notice.state, "draft")

    def test_published_body_frozen(self):
        """Nobody edits the text once it is submitted, approved or published."""
        notice = self._draft()
        notice.action_submit()
        with self.assertRaises(UserError):
            notice.write({"body": "<p>Changed</p>"})
        notice.with_user(self.user_director).action_approve()
        notice.with_user(self.user_director).action_publish()
        for user in (self.user_agent, self.user_director, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                notice.with_user(user).write({"body": "<p>Changed</p>"})
            with self.subTest(user=user.login), self.assertRaises(UserError):
                notice.with_user(user).write({"name": "Other title"})
        self.assertIn("8:00 to 14:00", notice.body)


@tagged("post_install", "-at_install")
class TestNoticeAudience(NoticeCommon):
    def test_audience_of_property_and_buildings(self):
        notice = self._published()
        self.assertEqual(
            notice.audience_partner_ids,
            self.owner | self.tenant | self.owner_zhao | self.owner_qian,
        )
        self.assertEqual(notice.audience_count, 4)
        building = self._published(building_ids=[(6, 0, self.building_a2.ids)])
        self.assertEqual(building.audience_partner_ids, self.owner_qian)
        self.assertNotIn(self.owner_li, notice.audience_partner_ids)

    def test_buildings_of_the_property(self):
        with self.assertRaises(UserError):
            self._draft(building_ids=[(6, 0, self.building_b.ids)])

    def test_agent_works_on_own_property(self):
        with self.assertRaises(AccessError):
            self._draft(property_id=self.property_b.id)
        mine = self._draft()
        other = self.env["pm.notice"].create(
            {"name": "B", "property_id": self.property_b.id, "body": "<p>B</p>"}
        )
        self._assert_agent_reads_property_a_only(mine, other)

    def test_number_per_company(self):
        first, second = self._draft(), self._draft()
        self.assertEqual(int(second.number[-3:]), int(first.number[-3:]) + 1)
        prop_2 = self.env["pm.property"].create(
            {
                "name": "Other",
                "code": "PO",
                "company_id": self.company_2.id,
                "total_floor_area": 1000,
            }
        )
        other = self.env["pm.notice"].create(
            {"name": "O", "property_id": prop_2.id, "body": "<p>O</p>"}
        )
        self.assertEqual(other.number[-3:], "001")
        self.assertNotEqual(other.number, second.number)

    def test_read_rate(self):
        notice = self._published()
        self.assertEqual(notice.read_rate_display, "0.00 %")
        Read = self.env["pm.notice.read"]
        Read._pm_mark_read(notice, self.owner)
        Read._pm_mark_read(notice, self.owner)
        self.assertEqual(notice.read_count, 1)
        self.assertEqual(notice.read_rate_display, "25.00 %")
        empty_building = self.env["pm.building"].create(
            {"name": "A3", "code": "PA-3", "property_id": self.property_a.id}
        )
        nobody = self._published(building_ids=[(6, 0, empty_building.ids)])
        self.assertEqual(nobody.audience_count, 0)
        self.assertEqual(nobody.read_rate_display, "—")
        self.assertFalse(nobody.send_pending)


@tagged("post_install", "-at_install")
class TestNoticeSending(NoticeCommon):
    def test_one_email_per_owner_queued(self):
        """Publishing sends nothing itself; the job queues one email per
        recipient (R-MAIL-1), in batches, never twice, none to property B."""
        self.owner_qian.email = False
        mark = self._mail_mark()
        notice = self._published()
        _mails, per_partner = self._emails_since(mark)
        self.assertFalse(
            {p: n for p, n in per_partner.items() if p in notice.audience_partner_ids}
        )
        self.assertTrue(notice.send_pending)
        Notice = self.env["pm.notice"]
        Notice._cron_send(batch_size=2)
        self.assertTrue(notice.send_pending)
        Notice._cron_send(batch_size=2)
        self.assertFalse(notice.send_pending)
        Notice._cron_send(batch_size=2)
        mails, per_partner = self._emails_since(mark)
        people = self.owner | self.tenant | self.owner_zhao | self.owner_qian
        self.assertEqual(
            {p: n for p, n in per_partner.items() if p in people | self.owner_li},
            {self.owner: 1, self.tenant: 1, self.owner_zhao: 1},
        )
        mails = mails.filtered(lambda mail: mail.recipient_ids & people)
        self.assertEqual(len(mails), 3)
        self.assertNotIn(self.owner_li, per_partner)
        self.assertTrue(all(mail.state == "outgoing" for mail in mails))
        self.assertIn(notice.name, mails[0].subject)
        self.assertIn(f"/my/notices/{notice.id}", mails[0].body_html)

    @freeze_time("2026-12-07 16:30:00")  # 2026-12-08 00:30 in Shanghai
    def test_later_publication_day_waits(self):
        """Published with a later day, the notice is neither shown nor sent
        before that day on the property's clock."""
        notice = self._published(publish_date="2026-12-09")
        self.assertFalse(notice.is_live)
        mark = self._mail_mark()
        self.env["pm.notice"]._cron_send()
        self.assertFalse(self._emails_since(mark)[1])
        with freeze_time("2026-12-08 16:00:00"):  # 12-09 00:00 in Shanghai
            notice.invalidate_recordset(["is_live"])
            self.assertTrue(notice.is_live)
            self.env["pm.notice"]._cron_send()
        self.assertEqual(len(self._emails_since(mark)[1]), 4)

    @freeze_time("2026-12-08 02:00:00")
    def test_expiry_on_the_shanghai_clock(self):
        notice = self._published(expiry_date="2026-12-10")
        self.assertEqual(notice.publish_date, date(2026, 12, 8))
        with freeze_time("2026-12-10 15:59:00"):  # 23:59 in Shanghai
            notice.invalidate_recordset(["is_live"])
            self.assertTrue(notice.is_live)
        with freeze_time("2026-12-10 16:00:00"):  # 12-11 00:00 in Shanghai
            notice.invalidate_recordset(["is_live"])
            self.assertFalse(notice.is_live)

    def test_send_method_is_the_one_place(self):
        """``_pm_send_to_owners`` sends to the partners it is given and records
        them: what a channel router will take over."""
        notice = self._published()
        mark = self._mail_mark()
        notice._pm_send_to_owners(self.owner)
        self.assertEqual(dict(self._emails_since(mark)[1]), {self.owner: 1})
        self.assertEqual(notice.sent_partner_ids, self.owner)

    def test_owner_on_sms_gets_the_notice_by_sms(self):
        """R-CHANNEL-1: an owner reached by SMS gets the notice by SMS and no
        email, the others by email; one message each, and no message per owner
        in the notice's chatter."""
        # the administrator saves an SMS provider (queued only: nothing sent)
        self._set_settings(
            {
                "pm_sms_provider": "aliyun",
                "pm_sms_key_id": "LTAI-notice-test",
                "pm_sms_key_secret": "secret-of-the-notice-test",
                "pm_sms_sign_name": "湖畔物业",
                "pm_sms_region": "cn-hangzhou",
            }
        )
        self.env["pm.sms.template"].with_user(self.user_manager).with_context(
            default_event="notice"
        ).create({"event": "notice", "template_code": "SMS_200000001"})
        self.owner_zhao.phone = "+86 139 1234 5678"
        notice = self._published()
        chatter = len(notice.message_ids)
        mark = self._mail_mark()
        last_sms = (
            self.env["sms.sms"].sudo().search([], order="id desc", limit=1).id or 0
        )
        self.env["pm.notice"]._cron_send()
        _mails, per_partner = self._emails_since(mark)
        sms = self.env["sms.sms"].sudo().search([("id", ">", last_sms)])
        self.assertEqual(sms.partner_id, self.owner_zhao)
        self.assertEqual(sms.pm_event, "notice")
        self.assertIn(notice.name, sms.pm_template_params)
        self.assertNotIn(self.owner_zhao, per_partner)
        self.assertEqual(
            {p: n for p, n in per_partner.items() if p in notice.audience_partner_ids},
            {self.owner: 1, self.tenant: 1, self.owner_qian: 1},
        )
        self.assertEqual(len(notice.message_ids), chatter)
        self.assertEqual(notice.sent_partner_ids, notice.audience_partner_ids)


@tagged("post_install", "-at_install")
class TestSurveyToNotice(NoticeCommon):
    def _analysis(self, state):
        campaign = self.env["pm.survey.campaign"].create(
            {
                "property_id": self.property_a.id,
                "date_start": date(2024, 3, 1),
                "date_end": date(2024, 3, 12),
            }
        )
        analysis = self.env["pm.survey.analysis"].create(
            {"campaign_id": campaign.id, "state": state}
        )
        analysis.pdf_attachment_id = self.env["ir.attachment"].create(
            {
                "name": "analysis.pdf",
                "raw": b"%PDF-1.4",
                "mimetype": "application/pdf",
                "res_model": analysis._name,
                "res_id": analysis.id,
            }
        )
        return analysis

    def test_publish_results_as_notice(self):
        analysis = self._analysis("approved")
        with self.assertRaises(AccessError):
            analysis.with_user(self.user_technician).action_publish_as_notice()
        action = analysis.with_user(self.user_agent).action_publish_as_notice()
        notice = self.env["pm.notice"].browse(action["res_id"])
        self.assertEqual(notice.state, "draft")
        self.assertEqual(notice.survey_analysis_id, analysis)
        self.assertEqual(notice.property_id, self.property_a)
        self.assertIn(analysis.campaign_id.name, notice.name)
        # in the company's language; no answers yet: no rate, not 0 (R-RATE-1)
        self.assertIn("总体满意率：—", notice.body)
        self.assertIn("安保：—", notice.body)
        self.assertEqual(notice.attachment_ids.raw, b"%PDF-1.4")
        self.assertEqual(notice.attachment_ids.res_id, notice.id)
        self.assertEqual(analysis.notice_count, 1)
        # approved the same way
        notice.with_user(self.user_agent).action_submit()
        with self.assertRaises(AccessError):
            notice.with_user(self.user_agent).action_approve()
        notice.with_user(self.user_director).action_approve()
        notice.with_user(self.user_director).action_publish()
        self.assertEqual(notice.state, "published")

    def test_analysis_not_approved(self):
        analysis = self._analysis("submitted")
        with self.assertRaises(UserError):
            analysis.with_user(self.user_agent).action_publish_as_notice()
        self.assertFalse(analysis.notice_ids)
