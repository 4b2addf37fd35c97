# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields several models share are written once, in a mixin: the models inherit
them and do not define them again."""

from odoo.tests import tagged

from odoo.addons.pm_base.models.pm_common_area import PmCommonArea
from odoo.addons.pm_base.models.pm_property_record_mixin import (
    PmPropertyDerivedMixin,
    PmPropertyRecordMixin,
)

from ..models.pm_dispatch_rule import PmDispatchRule
from ..models.pm_kpi_target import PmKpiTarget
from ..models.pm_owner_visit_mixin import PmOwnerVisitMixin
from ..models.pm_rectification import PmRectification
from ..models.pm_return_visit import PmReturnVisit
from ..models.pm_sla_policy import PmSlaPolicy
from ..models.pm_visit import PmVisit
from .common import SharedFieldsCase


@tagged("post_install", "-at_install")
class TestSharedFields(SharedFieldsCase):
    def test_visits_and_return_visits(self):
        self.assertFieldsFromMixin(PmOwnerVisitMixin, [PmVisit, PmReturnVisit])
        # the shared fields still track their changes on both
        for model in ("pm.visit", "pm.return.visit"):
            self.assertTrue(self.env[model]._fields["visitor_id"].tracking, model)

    def test_property_records(self):
        self.assertFieldsFromMixin(
            PmPropertyRecordMixin, [PmVisit, PmReturnVisit, PmRectification]
        )
        for model in ("pm.visit", "pm.return.visit", "pm.rectification"):
            self.assertTrue(self.env[model]._fields["property_id"].tracking, model)
            self.assertEqual(self.env[model]._fields["name"].default(None), "/")

    def test_common_area_property(self):
        self.assertFieldsFromMixin(PmPropertyDerivedMixin, [PmCommonArea])
        building = self.env["pm.building"].create(
            {
                "name": "Shared B1",
                "code": "SHB-1",
                "property_id": self.env["pm.property"]
                .create({"name": "Shared", "code": "SHB", "total_floor_area": 100})
                .id,
            }
        )
        area = self.env["pm.common.area"].create(
            {"name": "Lobby", "building_id": building.id}
        )
        self.assertEqual(area.property_id, building.property_id)
        self.assertEqual(area.company_id, building.property_id.company_id)

    def test_rules_policies_and_targets_are_list_entries(self):
        for model_class in (PmDispatchRule, PmSlaPolicy, PmKpiTarget):
            self.assertListEntries(model_class)
            self.assertEqual(self.env[model_class._name]._order, "sequence, id")
