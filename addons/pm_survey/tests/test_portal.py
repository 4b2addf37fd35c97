# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.pm_customer_service.tests.portal_common import PortalCommon


@tagged("post_install", "-at_install", "security")
class TestSurveyPortal(PortalCommon):
    def test_survey_list(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        res = self.url_open("/my/surveys")
        self.assertEqual(res.status_code, 200)

    def test_survey_token_wildcards_refused(self):
        self.authenticate("pm_p_owner", "pm_p_owner")
        for token in (
            "%25",
            "*",
            "%25%25",
            "____",
            "00000000-0000-0000-0000-00000000000%25",
        ):
            res = self.url_open(f"/my/surveys/{token}", allow_redirects=False)
            self.assertEqual(res.status_code, 303, token)
            self.assertTrue(res.headers["Location"].endswith("/my/surveys"), token)
            self.assertNotIn("/survey/start", res.headers["Location"])
