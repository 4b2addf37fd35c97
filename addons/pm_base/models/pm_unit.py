# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import settings

MOVE_IN_FUTURE_DAYS_PARAM = "pm_customer_service.move_in_max_future_days"


class PmUnit(models.Model):
    """A unit (房屋/单元) of a building, with its owners and tenants."""

    _name = "pm.unit"
    _description = "Unit"
    _inherit = ["mail.thread", "pm.location.qr.mixin"]
    _order = "property_id, building_id, floor, number, id"
    _rec_names_search = ["name", "number"]
    _pm_qr_key = "unit"

    # location
    name = fields.Char(
        compute="_compute_name", store=True, readonly=True, index="trigram"
    )
    building_id = fields.Many2one(
        "pm.building", required=True, index=True, ondelete="restrict", tracking=True
    )
    property_id = fields.Many2one(
        related="building_id.property_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="building_id.company_id", store=True, index=True, precompute=True
    )
    floor = fields.Integer(help="Floor number; negative for basements.")
    number = fields.Char(
        string="Unit Number", required=True, help="Room number, unique per building."
    )
    area = fields.Float(string="Area (m²)", digits=(16, 2), required=True)
    active = fields.Boolean(default=True)
    # occupancy
    state = fields.Selection(
        [
            ("vacant", "Vacant"),
            ("occupied", "Occupied"),
            ("renovating", "Renovating"),
        ],
        string="Occupancy",
        default="vacant",
        required=True,
        index=True,
        tracking=True,
    )
    move_in_date = fields.Date(
        string="Move-in Date", tracking=True, help="Date the owner moved in."
    )
    owner_ids = fields.Many2many(
        "res.partner",
        "pm_unit_owner_rel",
        "unit_id",
        "partner_id",
        string="Owners",
        tracking=True,
    )
    tenant_ids = fields.Many2many(
        "res.partner",
        "pm_unit_tenant_rel",
        "unit_id",
        "partner_id",
        string="Tenants",
    )
    warranty_end_date = fields.Date(
        help="End of the housing-quality warranty of this unit; empty means the "
        "building's."
    )
    note = fields.Text()

    _number_building_uniq = models.Constraint(
        "unique(building_id, number)",
        "A unit number must be unique within its building.",
    )

    @api.depends("building_id.code", "number")
    def _compute_name(self):
        # building codes are unique per company: so are unit names, which imports use
        for unit in self:
            unit.name = f"{unit.building_id.code or ''}-{unit.number or ''}"

    @api.constrains("area")
    def _check_area(self):
        for unit in self:
            if unit.area <= 0:
                raise ValidationError(
                    _(
                        "The area of unit %(unit)s must be positive (got %(area)s m²).",
                        unit=unit.display_name,
                        area=unit.area,
                    )
                )

    @api.constrains("move_in_date")
    def _check_move_in_date(self):
        max_days = self._move_in_max_future_days()
        for unit in self:
            # R-TZ-1: counted from today at the unit's property
            limit = unit.property_id.sudo()._pm_today() + timedelta(days=max_days)
            if unit.move_in_date and unit.move_in_date > limit:
                raise ValidationError(
                    _(
                        "The move-in date %(date)s of unit %(unit)s is more than "
                        "%(days)s days in the future.",
                        date=unit.move_in_date,
                        unit=unit.display_name,
                        days=max_days,
                    )
                )

    @api.constrains("owner_ids", "tenant_ids", "company_id")
    def _check_partner_company(self):
        for unit in self:
            foreign = (unit.owner_ids | unit.tenant_ids).filtered(
                lambda p, u=unit: p.company_id and p.company_id != u.company_id
            )
            if foreign:
                raise ValidationError(
                    _(
                        "%(partners)s belong to company %(company)s and cannot be "
                        "owner or tenant of unit %(unit)s of company %(unit_company)s.",
                        partners=", ".join(foreign.mapped("display_name")),
                        company=foreign[0].company_id.name,
                        unit=unit.display_name,
                        unit_company=unit.company_id.name,
                    )
                )

    @api.model
    def _move_in_max_future_days(self):
        return settings.get(self.env, MOVE_IN_FUTURE_DAYS_PARAM)

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": _("Import Template for Units"),
                "template": "/pm_base/static/xls/pm_unit_import.xlsx",
            },
            {
                "label": _("Import Template for Units (CSV)"),
                "template": "/pm_base/static/xls/pm_unit_import.csv",
            },
        ]
