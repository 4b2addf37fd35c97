# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools.misc import file_open

from .common import PmCommon

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestImportTemplates(PmCommon):
    """The shipped templates load through Odoo's standard import as they are."""

    def _import(self, model, path, file_type, context=None):
        with file_open(path, "rb") as f:
            content = f.read()
        wizard = self.env["base_import.import"].create(
            {"res_model": model, "file": content, "file_type": file_type}
        )
        wizard = wizard.with_context(**(context or {}))
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "date_format": "%Y-%m-%d",
            "float_decimal_separator": ".",
            "float_thousand_separator": ",",
        }
        preview = wizard.parse_preview(options)
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = [
            (match or [None])[-1] and "/".join(match)
            for match in (
                preview["matches"].get(i) for i in range(len(preview["headers"]))
            )
        ]
        self.assertTrue(
            all(fields), f"unmapped columns: {preview['headers']} -> {fields}"
        )
        result = wizard.execute_import(fields, preview["headers"], options)
        self.assertFalse(result["messages"], result["messages"])
        return self.env[model].browse(result["ids"])

    def _buildings(self):
        prop = self.env["pm.property"].create(
            {"name": "Import", "code": "IMP", "total_floor_area": 1000}
        )
        # the templates refer to building LSG-B1: move the demo one aside
        self.env["pm.building"].search([("code", "=", "LSG-B1")]).code = "LSG-B1-D"
        self.env.flush_all()
        return self.env["pm.building"].create(
            {"name": "B1", "code": "LSG-B1", "property_id": prop.id}
        )

    def test_unit_templates(self):
        self._buildings()
        names = ("王伟", "李娜", "李强", "租户A")
        # owners are matched by name: keep the demo's namesakes out of the way
        self.env["res.partner"].search([("name", "in", names)]).name = "Namesake"
        self.env["res.partner"].create([{"name": n} for n in names])
        for ext in ("xlsx", "csv"):
            units = self._import(
                "pm.unit",
                f"pm_base/static/xls/pm_unit_import.{ext}",
                "text/csv" if ext == "csv" else XLSX,
            )
            self.assertEqual(len(units), 3)
            self.assertEqual(
                units.mapped("name"), ["LSG-B1-101", "LSG-B1-102", "LSG-B1-201"]
            )
            u201 = units.filtered(lambda u: u.number == "201")
            self.assertEqual(u201.area, 150.0)
            self.assertEqual(u201.state, "occupied")
            self.assertEqual(str(u201.move_in_date), "2022-10-15")
            self.assertEqual(sorted(u201.owner_ids.mapped("name")), ["李娜", "李强"])
            self.assertEqual(u201.tenant_ids.name, "租户A")
            units.unlink()

    def test_owner_templates(self):
        building = self._buildings()
        self.env["pm.unit"].create(
            [
                {"building_id": building.id, "number": n, "area": 80}
                for n in ("101", "201")
            ]
        )
        self.assertIn(
            "/pm_base/static/xls/pm_owner_import.xlsx",
            [
                t["template"]
                for t in self.env["res.partner"]
                .with_context(pm_owner_import=True)
                .get_import_templates()
            ],
        )
        partners = self._import(
            "res.partner",
            "pm_base/static/xls/pm_owner_import.xlsx",
            XLSX,
        )
        self.assertEqual(len(partners), 3)
        wang = partners.filtered(lambda p: p.name == "王伟")
        self.assertEqual(wang.pm_owned_unit_ids.name, "LSG-B1-101")
        self.assertTrue(wang.pm_is_owner)
        tenant = partners.filtered(lambda p: p.name == "租户A")
        self.assertTrue(tenant.pm_is_tenant)
        self.assertEqual(tenant.pm_rented_unit_ids.name, "LSG-B1-201")
