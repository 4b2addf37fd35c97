# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    pm_owned_unit_ids = fields.Many2many(
        "pm.unit",
        "pm_unit_owner_rel",
        "partner_id",
        "unit_id",
        string="Owned Units",
    )
    pm_rented_unit_ids = fields.Many2many(
        "pm.unit",
        "pm_unit_tenant_rel",
        "partner_id",
        "unit_id",
        string="Rented Units",
    )
    pm_is_owner = fields.Boolean(
        string="Is an Owner", compute="_compute_pm_roles", store=True, index=True
    )
    pm_is_tenant = fields.Boolean(
        string="Is a Tenant", compute="_compute_pm_roles", store=True, index=True
    )

    @api.depends("pm_owned_unit_ids", "pm_rented_unit_ids")
    def _compute_pm_roles(self):
        for partner in self:
            partner.pm_is_owner = bool(partner.pm_owned_unit_ids)
            partner.pm_is_tenant = bool(partner.pm_rented_unit_ids)

    @api.model
    def get_import_templates(self):
        templates = super().get_import_templates()
        if self.env.context.get("pm_owner_import"):
            templates = [
                {
                    "label": _("Import Template for Owners"),
                    "template": "/pm_base/static/xls/pm_owner_import.xlsx",
                },
                {
                    "label": _("Import Template for Owners (CSV)"),
                    "template": "/pm_base/static/xls/pm_owner_import.csv",
                },
                *templates,
            ]
        return templates
