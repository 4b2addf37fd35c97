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
