# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A record of a property names its property and company one way: the
property-bound mixin declares both, the models only add to them."""

from odoo.tests import TransactionCase


class TestPropertyBound(TransactionCase):
    def _inheriting(self, mixin):
        parent = self.env.registry[mixin]
        return [
            name
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, parent)
        ]

    def test_property_and_company_are_declared_once(self):
        mixin = self.env["pm.property.bound.mixin"]
        self.assertEqual(mixin._fields["property_id"].comodel_name, "pm.property")
        self.assertTrue(mixin._fields["property_id"].required)
        self.assertEqual(mixin._fields["property_id"].ondelete, "restrict")
        self.assertEqual(mixin._fields["company_id"].related, "property_id.company_id")
        bound = self._inheriting("pm.property.bound.mixin")
        self.assertGreaterEqual(len(bound), 9, bound)
        # every stored record whose company follows its own property takes the
        # pair from the mixin, none declares it again
        for name, Model in self.env.registry.items():
            if Model._abstract or not Model._auto:
                continue
            company = Model._fields.get("company_id")
            if company and company.related == "property_id.company_id":
                self.assertIn(name, bound, f"{name} declares its property again")
                self.assertTrue(Model._fields["property_id"].required, name)

    def test_unit_belongs_to_the_property(self):
        """The record mixin checks the unit it declares."""
        mixin = self.env["pm.property.record.mixin"]
        self.assertEqual(mixin._fields["unit_id"].comodel_name, "pm.unit")
        models = self._inheriting("pm.property.record.mixin")
        self.assertTrue(models)
        for name in models:
            self.assertEqual(
                self.env[name]._fields["unit_id"].domain,
                "[('property_id', '=', property_id)]",
                name,
            )

    def test_one_record_rule_pattern(self):
        """Every rule of the product that limits staff to properties reads the one
        visible set; none opens everything to a group."""
        rules = (
            self.env["ir.rule"]
            .search([])
            .filtered(
                lambda r: any(
                    xid.startswith(
                        ("pm_base.", "pm_customer_service.", "pm_repair.", "pm_survey.")
                    )
                    for xid in r.get_external_id().values()
                )
            )
        )
        self.assertGreater(len(rules), 20)
        for rule in rules:
            self.assertNotIn("pm_property_ids", rule.domain_force, rule.name)
            self.assertNotEqual(
                rule.domain_force.replace(" ", ""), "[(1,'=',1)]", rule.name
            )
        by_property = rules.filtered(
            lambda r: "property" in r.domain_force and r.groups
        )
        self.assertTrue(by_property)
        for rule in by_property:
            self.assertIn(
                "user.pm_visible_property_ids.ids", rule.domain_force, rule.name
            )

    def test_visible_properties(self):
        """Assigned staff see their properties, the quality department all of
        its companies'."""
        Property = self.env["pm.property"]
        first = Property.create({"name": "V1", "code": "V1", "total_floor_area": 100})
        second = Property.create({"name": "V2", "code": "V2", "total_floor_area": 100})
        agent = self.env["res.users"].create(
            {
                "name": "Visible Agent",
                "login": "pm_t_visible_agent",
                "group_ids": [(6, 0, [self.env.ref("pm_base.group_pm_agent").id])],
                "pm_property_ids": [(6, 0, first.ids)],
            }
        )
        quality = self.env["res.users"].create(
            {
                "name": "Visible Quality",
                "login": "pm_t_visible_quality",
                "group_ids": [(6, 0, [self.env.ref("pm_base.group_pm_quality").id])],
            }
        )
        self.assertEqual(agent.pm_visible_property_ids, first)
        self.assertLessEqual(first | second, quality.pm_visible_property_ids)
        self.assertEqual(
            Property.with_user(agent).search([("code", "in", ["V1", "V2"])]), first
        )
        self.assertEqual(
            Property.with_user(quality).search([("code", "in", ["V1", "V2"])]),
            first | second,
        )
