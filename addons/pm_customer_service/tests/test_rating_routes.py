# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's own rating pages (``/rate/<token>/...`` of the rating module) and Odoo's
other ways of writing a rating, tried on the owner's requests: the product's rules
of the rating links hold on each of them (R-OWNER-1, R-FLOW-2, R-RV-1)."""

import json
from datetime import time, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.pm_base.tools import clock

from .test_portal_rating import CSRF_ANY_RE, RatingLinkCommon

# what the product's page says, in Chinese
STAFF_ZH = "此处仅由业主作答"
OTHER_OWNER_ZH = "此链接属于其他业主的事项。"
EXPIRED_ZH = "此链接已过期"
DONE_ZH = "您的评价已经记录"
INVALID_ZH = "此链接无效"
COMMENT_NEEDED_ZH = "请告诉我们仍存在的问题，以便我们处理。"
THANKS_ZH = "谢谢：您的评价"


@tagged("post_install", "-at_install", "security")
class TestOdooRatingRoutes(RatingLinkCommon):
    """A rating token of a request opened or posted on Odoo's URLs is answered by
    the product's rating link: the owner only, before it expires, once, a
    dissatisfied answer with what is wrong, and the return visit recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._chinese_env()
        (cls.owner | cls.owner_2 | cls.user_agent.partner_id).write({"lang": "zh_CN"})
        cls.property_a.tz = "Asia/Shanghai"

    # Odoo's rating pages, as the rating module's emails link them
    def _odoo_page(self, token, rate):
        return self.url_open(f"/rate/{token}/{rate}")

    def _odoo_submit(self, token, rate, feedback=""):
        """Odoo's rating form as a browser posts it (``rate``, ``feedback``), with
        the CSRF token of the session's page."""
        page = self.url_open(f"/rate/{token}/{min(max(rate, 1), 5)}")
        csrf = CSRF_ANY_RE.search(page.text).group(1)
        return self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": str(rate), "feedback": feedback, "csrf_token": csrf},
        )

    def _rating(self, token):
        return self.env["rating.rating"].search([("access_token", "=", token)])

    def _state(self, case):
        """What an answer changes: the case, its ratings, its messages, its
        return visits."""
        self.env.invalidate_all()
        return {
            "case": (case.state, case.satisfaction, case.reopen_count),
            "ratings": [
                (r.id, r.rating, r.consumed, r.feedback or "", r.partner_id.id)
                for r in case.rating_ids
            ],
            "messages": [
                (m.id, m.author_id.id, str(m.body), m.rating_value)
                for m in case.message_ids
            ],
            "visits": [
                (v.id, v.state, v.method, v.satisfaction, v.result or "")
                for v in case.return_visit_ids
            ],
        }

    def _answer_outcome(self, case):
        """An answer's outcome, comparable between two cases."""
        self.env.invalidate_all()
        rating = case.rating_ids
        return {
            "case": (case.state, case.satisfaction, case.reopen_count),
            "rating": (
                rating.rating,
                rating.consumed,
                rating.feedback,
                rating.partner_id,
            ),
            "visits": [
                (v.state, v.method, v.satisfaction, v.result, v.remarks)
                for v in case.return_visit_ids
            ],
            "owner_messages": [
                str(m.body) for m in case.message_ids if m.author_id == self.owner
            ],
            "rating_message_author": rating.message_id.author_id,
        }

    # ------------------------------------------------------------
    # ODOO'S ROUTES
    # ------------------------------------------------------------

    def test_staff_session(self):
        """An agent opening or posting the owner's token on Odoo's URLs gets the
        product's refusal: staff never answer for the owner."""
        case = self._resolved_case()
        token = self._token(case)
        before = self._state(case)
        self.authenticate(self.user_agent.login, self.user_agent.login)
        self._assert_refused(self._odoo_page(token, 5), "staff")
        res = self._odoo_submit(token, 5, "Fine")
        self._assert_refused(res, "staff")
        self.assertIn(STAFF_ZH, res.text)
        self.assertEqual(self._state(case), before)
        self.assertFalse(self._rating(token).consumed)

    def test_other_owners_session(self):
        case = self._resolved_case()
        token = self._token(case)
        before = self._state(case)
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        self._assert_refused(self._odoo_page(token, 1), "other_owner")
        res = self._odoo_submit(token, 1, "hijack")
        self._assert_refused(res, "other_owner")
        self.assertIn(OTHER_OWNER_ZH, res.text)
        self.assertEqual(self._state(case), before)

    def test_expired_token_anonymous(self):
        """The email went out at 09:00 (Shanghai); 31 days later at 09:00 there its
        link has expired (30 days), on Odoo's URLs too."""
        case = self._resolved_case()
        token = self._token(case)
        rating = self._rating(token)
        tz = case.property_id.tz
        sent_day = clock.local_today(tz, rating.create_date)
        sent = clock.to_utc(sent_day, tz, time(9))
        self.env.cr.execute(
            "UPDATE rating_rating SET create_date = %s WHERE id = %s", [sent, rating.id]
        )
        rating.invalidate_recordset(["create_date"])
        before = self._state(case)
        with freeze_time(clock.to_utc(sent_day + timedelta(days=29), tz, time(9))):
            res = self._odoo_page(token, 5)
            self.assertEqual(res.status_code, 200)
            self.assertIn("o_pm_rate_form", res.text)
        with freeze_time(clock.to_utc(sent_day + timedelta(days=31), tz, time(9))):
            self._assert_refused(self._odoo_page(token, 5), "expired")
            res = self._odoo_submit(token, 5, "Fine")
            self._assert_refused(res, "expired")
            self.assertIn(EXPIRED_ZH, res.text)
        self.assertEqual(self._state(case), before)

    def test_replay_on_closed_case(self):
        """The owner answered 5 through the link and the case closed: the same
        token posted again with 1 on Odoo's URL changes nothing."""
        case = self._resolved_case()
        token = self._token(case)
        self.assertEqual(self._post(case, "5", "All good").status_code, 200)
        self.assertEqual(case.state, "closed")
        before = self._state(case)
        self.assertEqual(before["ratings"][0][1:3], (5.0, True))
        self._assert_refused(self._odoo_page(token, 1), "done")
        res = self._odoo_submit(token, 1, "Changed my mind")
        self._assert_refused(res, "done")
        self.assertIn(DONE_ZH, res.text)
        self.assertEqual(self._state(case), before)

    def test_unused_token_dissatisfied(self):
        """Dissatisfied on Odoo's URL: the product asks what is wrong first; then
        the case reopens and the return visit records the answer, as with the
        product's link (the owner logged in)."""
        case = self._resolved_case()
        token = self._token(case)
        visit = case.return_visit_ids
        self.assertEqual(visit.state, "planned")
        before = self._state(case)
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self._odoo_submit(token, 1)
        self.assertEqual(res.status_code, 400)
        self.assertIn(COMMENT_NEEDED_ZH, res.text)
        self.assertEqual(self._state(case), before)
        # the product's link still takes the answer
        res = self.url_open(self._link(case, "1"))
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_rate_form", res.text)
        res = self._odoo_submit(token, 1, "Still stops at floor 3")
        self.assertEqual(res.status_code, 200)
        self.assertIn(THANKS_ZH, res.text)
        self.env.invalidate_all()
        self.assertEqual(
            (case.state, case.satisfaction, case.reopen_count), ("processing", "1", 1)
        )
        self.assertEqual(
            (visit.state, visit.method, visit.satisfaction),
            ("done", "letter", "1"),
        )
        self.assertEqual(visit.result, "Still stops at floor 3")
        rating = self._rating(token)
        self.assertEqual((rating.rating, rating.consumed), (1.0, True))
        self.assertEqual(rating.message_id.author_id, self.owner)
        # now the link is used
        self._assert_refused(self.url_open(f"/my/cases/rate/{token}/1"), "done")

    def test_owner_gets_the_same_outcome(self):
        """The owner's answer on Odoo's URLs is the product link's answer: same
        page, same case, rating, return visit and message."""
        via_link, via_odoo = self._resolved_case(), self._resolved_case()
        res = self._post(via_link, "5", "Works now")
        self.assertIn("o_pm_rate_thanks", res.text)
        token = self._token(via_odoo)
        page = self._odoo_page(token, 5)
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.url.endswith(f"/my/cases/rate/{token}/5"))
        self.assertIn("o_pm_rate_form", page.text)
        self.assertIn('value="5" checked', page.text)
        self.assertIn("很满意", page.text)
        res = self._odoo_submit(token, 5, "Works now")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_rate_thanks", res.text)
        self.assertEqual(self._answer_outcome(via_odoo), self._answer_outcome(via_link))
        self.assertEqual(via_odoo.state, "closed")
        self.assertEqual(via_odoo.return_visit_ids.state, "done")
        # Odoo's thank-you address shows the product's page of the used link
        res = self.url_open(f"/rate/{token}/submit_feedback")
        self._assert_refused(res, "done")

    def test_odd_levels_and_tokens_give_the_product_page(self):
        """No server error and no page of Odoo's for a level Odoo's routes do not
        know; a token of another service record is no rating link."""
        case = self._resolved_case()
        token = self._token(case)
        before = self._state(case)
        res = self._odoo_page(token, 7)
        self.assertEqual(res.status_code, 404)
        self.assertIn('data-refusal="invalid"', res.text)
        self.assertIn(INVALID_ZH, res.text)
        res = self._odoo_submit(token, 9, "odd")
        self.assertEqual(res.status_code, 404)
        self.assertIn('data-refusal="invalid"', res.text)
        self.assertEqual(self._state(case), before)
        # a rating token of another service record (a property)
        other = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("pm.property"),
                "res_id": self.property_a.id,
                "partner_id": self.owner.id,
            }
        )
        messages = self.property_a.message_ids
        res = self._odoo_page(other.access_token, 5)
        self.assertEqual(res.status_code, 404)
        self.assertIn('data-refusal="invalid"', res.text)
        res = self._odoo_submit(other.access_token, 5)
        self.assertEqual(res.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual((other.rating, other.consumed), (0.0, False))
        self.assertEqual(self.property_a.message_ids, messages)

    # ------------------------------------------------------------
    # ODOO'S OTHER WAYS TO WRITE A RATING
    # ------------------------------------------------------------

    def test_portal_chatter_rating_value(self):
        """The portal chatter's star rating (``rating_value`` of
        ``/mail/message/post``) writes no rating of a request."""
        case = self._resolved_case()
        before = self._state(case)
        self.authenticate("pm_p_owner", "pm_p_owner")
        params = {
            "thread_model": "pm.case",
            "thread_id": case.id,
            "post_data": {
                "body": "One star",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "rating_value": 1,
            },
        }
        with self.assertLogs("odoo.http", "WARNING") as logs:
            res = self.url_open(
                "/mail/message/post",
                data=json.dumps({"params": params}),
                headers={"Content-Type": "application/json"},
            )
        self.assertIn("登记业主决定", logs.output[0])
        self.assertEqual(res.status_code, 200)
        error = res.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("登记业主决定", error["message"])
        self.assertEqual(self._state(case), before)

    def test_staff_model_methods(self):
        """What staff can call over RPC: Odoo's ``rating_apply``, a message with a
        rating, writing, resetting or creating the rating records of a request."""
        case = self._resolved_case()
        token = self._token(case)
        rating = self._rating(token)
        before = self._state(case)
        as_agent = case.with_user(self.user_agent)
        with self.assertRaises(UserError):
            as_agent.rating_apply(1, token=token, feedback="Owner said so")
        with self.assertRaises(UserError):
            as_agent.message_post(body="One star", rating_value=1)
        with self.assertRaises(AccessError):
            rating.with_user(self.user_agent).write({"rating": 1, "consumed": True})
        with self.assertRaises(AccessError):
            rating.with_user(self.user_agent).reset()
        with self.assertRaises(AccessError):
            self.env["rating.rating"].with_user(self.user_agent).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("pm.case"),
                    "res_id": case.id,
                    "partner_id": self.owner.id,
                    "rating": 1,
                    "consumed": True,
                }
            )
        self.assertEqual(self._state(case), before)
        # the product's link still takes the owner's answer
        self.assertEqual(self._post(case, "4", token=token).status_code, 200)
        self.assertEqual(case.satisfaction, "4")
        # the answer stays the owner's: staff rewrite it no more than before
        with self.assertRaises(AccessError):
            self._rating(token).with_user(self.user_agent).write({"rating": 1})
