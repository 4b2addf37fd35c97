# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.pm_base.models.pm_property_record_mixin import (
    PmPropertyDerivedMixin,
)
from odoo.addons.pm_customer_service.tests.common import SharedFieldsCase

from ..models.pm_survey_item import PmSurveyItem
from ..models.pm_survey_opinion import PmSurveyOpinion
from ..models.pm_survey_symposium import PmSurveySymposium


@tagged("security")
class TestSurveyItem(TransactionCase):
    def test_service_items(self):
        items = self.env["pm.survey.item"].search([])
        # R-SUR-6 names these service items
        self.assertLessEqual(
            {
                "security",
                "cleaning",
                "parking",
                "repair",
                "greening",
                "customer_service",
            },
            set(items.mapped("code")),
        )
        self.assertEqual(
            self.env.ref("pm_survey.pm_survey_item_cleaning").team_type, "cleaning"
        )

    def test_groups_reach_the_survey_app(self):
        agent = new_test_user(self.env, "pm_s_agent", groups="pm_base.group_pm_agent")
        self.assertTrue(agent.has_group("survey.group_survey_user"))
        self.assertFalse(agent.has_group("survey.group_survey_manager"))
        manager = new_test_user(
            self.env, "pm_s_manager", groups="pm_base.group_pm_manager"
        )
        self.assertTrue(manager.has_group("survey.group_survey_manager"))
        item = self.env.ref("pm_survey.pm_survey_item_parking")
        self.assertEqual(item.with_user(agent).name, "Parking")
        with self.assertRaises(AccessError):
            item.with_user(agent).name = "Car park"
        item.with_user(manager).name = "Car park"
        tech = new_test_user(
            self.env, "pm_s_tech", groups="pm_base.group_pm_technician"
        )
        with self.assertRaises(AccessError):
            item.with_user(tech).read(["name"])


@tagged("post_install", "-at_install")
class TestSurveySharedFields(SharedFieldsCase):
    def test_items_are_catalog_entries(self):
        self.assertCatalogEntries(PmSurveyItem)

    def test_opinions_and_symposiums_follow_their_campaign(self):
        self.assertFieldsFromMixin(
            PmPropertyDerivedMixin, [PmSurveyOpinion, PmSurveySymposium]
        )
