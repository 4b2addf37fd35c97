# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SurveyCommon


@tagged("pm_survey", "security", "-at_install", "post_install")
class TestSurveySecurity(SurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign_a = cls._running_campaign()
        cls.unit_b.state = "occupied"
        cls.campaign_b = cls.env["pm.survey.campaign"].create(
            {
                "property_id": cls.property_b.id,
                "date_start": "2024-03-01",
                "date_end": "2024-03-12",
            }
        )

    def test_staff_see_their_properties(self):
        Campaign = self.env["pm.survey.campaign"]
        domain = [("id", "in", (self.campaign_a | self.campaign_b).ids)]
        self.assertEqual(
            Campaign.with_user(self.user_agent).search(domain), self.campaign_a
        )
        self.assertEqual(
            Campaign.with_user(self.user_director).search(domain), self.campaign_a
        )
        self.assertEqual(
            Campaign.with_user(self.user_quality).search(domain),
            self.campaign_a | self.campaign_b,
        )
        with self.assertRaises(AccessError):
            self.campaign_b.with_user(self.user_agent).read(["name"])
        forms = self.env["pm.survey.distribution"].with_user(self.user_agent)
        self.assertEqual(
            forms.search(
                [("campaign_id", "in", (self.campaign_a | self.campaign_b).ids)]
            ),
            self.campaign_a.distribution_ids,
        )

    def test_agent_creates_campaign_on_own_property_only(self):
        campaign = (
            self.env["pm.survey.campaign"]
            .with_user(self.user_agent)
            .create(
                {
                    "property_id": self.property_a.id,
                    "date_start": "2024-09-01",
                    "date_end": "2024-09-12",
                }
            )
        )
        self.assertEqual(len(campaign.item_line_ids), 6)
        with self.assertRaises(AccessError):
            self.env["pm.survey.campaign"].with_user(self.user_agent).create(
                {
                    "property_id": self.property_b.id,
                    "date_start": "2024-09-01",
                    "date_end": "2024-09-12",
                }
            )

    def test_technician_has_no_campaign_access(self):
        with self.assertRaises(AccessError):
            self.campaign_a.with_user(self.user_technician).read(["name"])
        with self.assertRaises(AccessError):
            self.campaign_a.with_user(self.user_agent).unlink()

    def test_multi_company(self):
        other = self.env["pm.property"].create(
            {
                "name": "Other Co Property",
                "code": "OC",
                "total_floor_area": 1000,
                "company_id": self.company_2.id,
            }
        )
        self.user_manager.write({"company_ids": [(4, self.company_2.id)]})
        campaign = (
            self.env["pm.survey.campaign"]
            .with_company(self.company_2)
            .create(
                {
                    "property_id": other.id,
                    "date_start": "2024-03-01",
                    "date_end": "2024-03-12",
                }
            )
        )
        self.assertEqual(campaign.company_id, self.company_2)
        quality = self.env["pm.survey.campaign"].with_user(self.user_quality)
        self.assertNotIn(campaign, quality.search([]))
        manager = (
            self.env["pm.survey.campaign"]
            .with_user(self.user_manager)
            .with_context(allowed_company_ids=[self.company.id])
        )
        self.assertNotIn(campaign, manager.search([]))
        self.assertIn(
            campaign,
            manager.with_context(
                allowed_company_ids=[self.company.id, self.company_2.id]
            ).search([]),
        )

    def test_symposium_record(self):
        """R-SUR-10: date, attendees, topics, follow-ups."""
        symposium = (
            self.env["pm.survey.symposium"]
            .with_user(self.user_agent)
            .create(
                {
                    "name": "Parking at night",
                    "campaign_id": self.campaign_a.id,
                    "attendee_ids": [(6, 0, (self.owner | self.owners[0]).ids)],
                    "topics": "<p>Night parking</p>",
                    "opinion_ids": [(0, 0, {"name": "More night patrols"})],
                }
            )
        )
        self.assertEqual(symposium.property_id, self.property_a)
        self.assertEqual(symposium.attendee_count, 2)
        self.assertEqual(symposium.opinion_ids.property_id, self.property_a)
        self.assertEqual(symposium.opinion_ids.symposium_id, symposium)
