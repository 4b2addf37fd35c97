# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon

from .common import SurveyCommon


@tagged("post_install", "-at_install", "security")
class TestSurveyPortal(SurveyCommon, PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2024-03-02 02:00:00"):
            campaign = cls._running_campaign()
        line = campaign.distribution_ids.filtered(lambda d: d.unit_id == cls.unit_a)
        # Owner Wang also owns A-102: the other owner's form is one of Owner 2..5
        other = campaign.distribution_ids.filtered(
            lambda d: d.partner_id and d.partner_id != cls.owner
        )
        survey = campaign.survey_id.sudo()
        cls.answer = survey._create_answer(
            partner=cls.owner, check_attempts=False, pm_distribution_id=line.id
        )
        cls.other_answer = survey._create_answer(
            partner=other[0].partner_id,
            check_attempts=False,
            pm_distribution_id=other[0].id,
        )

    def test_owner_sees_and_opens_own_survey(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open("/my/surveys")
        self.assertEqual(res.status_code, 200)
        self.assertIn(f"/my/surveys/{self.answer.access_token}", res.text)
        self.assertNotIn(self.other_answer.access_token, res.text)
        res = self.url_open(
            f"/my/surveys/{self.answer.access_token}", allow_redirects=False
        )
        self.assertEqual(res.status_code, 303)
        self.assertIn(self.answer.access_token, res.headers["Location"])
        self.assertIn("/survey/start/", res.headers["Location"])

    def test_other_owners_survey_token_refused(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open(
            f"/my/surveys/{self.other_answer.access_token}", allow_redirects=False
        )
        self.assertEqual(res.status_code, 303)
        self.assertTrue(res.headers["Location"].endswith("/my/surveys"))

    def test_survey_token_wildcards_refused(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        prefix = self.answer.access_token[:8]
        for token in ("%25", "*", "%25%25", "____", f"{prefix}%25", f"{prefix}*"):
            res = self.url_open(f"/my/surveys/{token}", allow_redirects=False)
            self.assertEqual(res.status_code, 303, token)
            self.assertTrue(res.headers["Location"].endswith("/my/surveys"), token)

    def test_survey_not_logged_in(self):
        res = self.url_open(
            f"/my/surveys/{self.answer.access_token}", allow_redirects=False
        )
        self.assertIn("/web/login", res.headers["Location"])
