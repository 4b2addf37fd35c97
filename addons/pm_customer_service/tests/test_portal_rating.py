# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import PortalCommon

# the page's form, or the layout's token for the page's scripts
CSRF_ANY_RE = re.compile(r'(?:name="csrf_token" value=|csrf_token: )"([^"]+)"')


class RatingLinkCommon(PortalCommon):
    """Resolved requests of owner Wang and the links of their rating emails."""

    def _resolved_case(self, request_type="help", **extra):
        case = self.env["pm.case"].create(
            self._case_vals(
                self.unit_a,
                self.owner,
                "Lift stops between floors",
                request_type=request_type,
                user_id=self.user_agent.id,
                stage_id=self.env.ref(
                    "pm_customer_service.pm_case_stage_processing"
                ).id,
                **extra,
            )
        )
        case.with_user(self.user_agent).action_resolve()
        self.assertEqual(case.state, "confirmation")
        return case

    def _link(self, case, level):
        links = {lvl: url for lvl, _label, url in case._pm_rating_links()}
        return links[level].replace(case.get_base_url(), "")

    def _token(self, case):
        return self._link(case, "5").split("/")[-2]

    def _post(self, case, level, comment="", token=None):
        token = token or self._token(case)
        page = self.url_open(f"/my/cases/rate/{token}/{level}")
        csrf = CSRF_ANY_RE.search(page.text).group(1)
        data = {"level": level, "comment": comment, "csrf_token": csrf}
        return self.url_open(f"/my/cases/rate/{token}/submit", data=data)

    def _assert_refused(self, res, refusal):
        """The rating page refused the vote, saying why (``refusal``)."""
        self.assertEqual(res.status_code, 403)
        self.assertIn(f'data-refusal="{refusal}"', res.text)


@tagged("post_install", "-at_install", "security")
class TestCaseRatingLinks(RatingLinkCommon):
    """One-tap rating links of the return-visit and closure emails (R-OWNER-1,
    R-FLOW-2, R-RV-1): tokens of Odoo's rating, five levels kept."""

    def test_resolution_email_carries_five_links(self):
        case = self._resolved_case()
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "pm.case"),
                ("res_id", "=", case.id),
                ("subject", "ilike", "how satisfied"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.owner)
        token = self._token(case)
        for level in ("5", "4", "3", "2", "1"):
            self.assertIn(f"/my/cases/rate/{token}/{level}", mail.body_html)
        self.assertNotIn("reply to this email", mail.body_html)
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual(rating.partner_id, self.owner)
        self.assertEqual((rating.res_model, rating.res_id), (case._name, case.id))
        self.assertFalse(rating.consumed)

    def test_opening_a_link_records_nothing(self):
        case = self._resolved_case()
        res = self.url_open(self._link(case, "4"))
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_rate_form", res.text)
        self.assertIn('value="4" checked', res.text)
        self.assertFalse(case.satisfaction)
        self.assertEqual(case.state, "confirmation")

    def test_satisfied_without_login_closes(self):
        """The link's answer is the return visit's result: satisfied closes."""
        case = self._resolved_case()
        visit = case.return_visit_ids
        self.assertEqual(visit.state, "planned")
        res = self._post(case, "3", "Fine now")
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_pm_rate_thanks", res.text)
        self.assertEqual(case.satisfaction, "3")
        self.assertEqual(case.state, "closed")
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.satisfaction, "3")
        self.assertEqual(visit.method, "letter")
        self.assertEqual(visit.result, "Fine now")
        rating = case.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.rating, 3.0)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.feedback, "Fine now")
        # the owner wrote it
        self.assertEqual(rating.message_id.author_id, self.owner)

    def test_dissatisfied_asks_comment_then_reopens_once(self):
        """R-FLOW-2: dissatisfied needs what is wrong and reopens; a second tap
        changes nothing."""
        case = self._resolved_case()
        res = self.url_open(self._link(case, "2"))
        self.assertIn("What is still wrong?", res.text)
        res = self._post(case, "2", "")
        self.assertEqual(res.status_code, 400)
        self.assertIn("Tell us what is still wrong", res.text)
        self.assertFalse(case.rating_ids.consumed)
        self.assertEqual(case.state, "confirmation")
        token = self._token(case)
        res = self._post(case, "2", "Still stops at floor 3", token=token)
        self.assertEqual(res.status_code, 200)
        self.assertIn("reopened", res.text)
        self.assertEqual(case.state, "processing")
        self.assertEqual(case.reopen_count, 1)
        self.assertEqual(case.satisfaction, "2")
        # replay: the used token
        res = self._post(case, "5", "", token=token)
        self.assertEqual(res.status_code, 403)
        self.assertIn('data-refusal="done"', res.text)
        self.assertEqual(case.reopen_count, 1)
        self.assertEqual(case.satisfaction, "2")
        self.assertEqual(
            self.env["rating.rating"].search([("access_token", "=", token)]).rating, 2.0
        )

    def test_second_round_gets_a_new_token(self):
        case = self._resolved_case()
        first = self._token(case)
        self._post(case, "1", "Not fixed", token=first)
        case.with_user(self.user_agent).action_resolve()
        second = self._token(case)
        self.assertNotEqual(first, second)
        res = self._post(case, "5", "", token=second)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(case.state, "closed")
        self.assertEqual(case.reopen_count, 1)

    def test_wrong_and_malformed_tokens(self):
        self._resolved_case()
        for token in ("0" * 32, "abc", "%25", "x" * 300):
            with self.subTest(token=token):
                res = self.url_open(f"/my/cases/rate/{token}/5")
                self.assertEqual(res.status_code, 404)
                self.assertIn('data-refusal="invalid"', res.text)

    def test_unknown_level(self):
        case = self._resolved_case()
        res = self.url_open(self._link(case, "5").replace("/5", "/9"))
        self.assertEqual(res.status_code, 404)
        res = self._post(case, "9")
        self.assertEqual(res.status_code, 404)
        self.assertFalse(case.satisfaction)

    def test_expired_token(self):
        case = self._resolved_case()
        token = self._token(case)
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        old = fields.Datetime.now() - timedelta(days=31)
        self.env.cr.execute(
            "UPDATE rating_rating SET create_date = %s WHERE id = %s", [old, rating.id]
        )
        rating.invalidate_recordset(["create_date"])
        self._assert_refused(self._post(case, "5", token=token), "expired")
        self.assertFalse(case.satisfaction)

    def test_case_not_resolved_refused(self):
        case = self._resolved_case()
        token = self._token(case)
        # staff sends it back (e.g. the owner called): no longer resolved
        case._reopen("Owner called")
        self._assert_refused(self._post(case, "5", token=token), "not_resolved")
        self.assertFalse(case.satisfaction)

    def test_other_owner_and_staff_refused(self):
        case = self._resolved_case()
        token = self._token(case)
        self.authenticate("pm_p_owner2", "pm_p_owner2")
        res = self._post(case, "1", "hijack", token=token)
        self._assert_refused(res, "other_owner")
        self.authenticate(self.user_agent.login, self.user_agent.login)
        self._assert_refused(self._post(case, "5", token=token), "staff")
        self.assertFalse(case.satisfaction)
        self.assertEqual(case.state, "confirmation")
        # the owner, logged in, may
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self._post(case, "4", token=token)
        self.assertEqual(res.status_code, 200)
        self.assertEqual(case.satisfaction, "4")

    def test_answered_on_the_page_then_link_says_recorded(self):
        case = self._resolved_case()
        token = self._token(case)
        case._pm_portal_confirm(self.owner, "5")
        self.assertEqual(case.state, "return_visit")
        res = self.url_open(f"/my/cases/rate/{token}/1")
        self.assertEqual(res.status_code, 403)
        self.assertIn('data-refusal="done"', res.text)

    def test_closure_email_links_reopen_a_closed_case(self):
        """A case closed without the owner's answer: the closure email asks for
        it, and a dissatisfied answer reopens the closed case."""
        self.env["pm.sla.policy"].search([]).write({"return_visit_required": False})
        case = self._resolved_case(request_type="consultation")
        case.with_user(self.user_agent).action_close()
        self.assertEqual(case.state, "closed")
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "pm.case"),
                ("res_id", "=", case.id),
                ("subject", "ilike", "is closed"),
            ]
        )
        self.assertEqual(len(mail), 1)
        token = self._token(case)
        self.assertIn(f"/my/cases/rate/{token}/1", mail.body_html)
        res = self._post(case, "1", "Nobody answered my question")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(case.state, "processing")
        self.assertEqual(case.reopen_count, 1)
        self.assertEqual(case.satisfaction, "1")

    def test_page_in_owner_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.owner.lang = "zh_CN"
        case = self._resolved_case()
        res = self.url_open(self._link(case, "5"))
        self.assertEqual(res.status_code, 200)
        self.assertIn("很满意", res.text)
