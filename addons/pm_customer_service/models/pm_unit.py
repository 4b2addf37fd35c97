# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools import settings

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

    _sql_constraints = [
        (
            "number_building_uniq",
            "unique(building_id, number)",
            "A unit number must be unique within its building.",
        ),
    ]

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
                "template": "/pm_customer_service/static/xls/pm_unit_import.xlsx",
            },
            {
                "label": _("Import Template for Units (CSV)"),
                "template": "/pm_customer_service/static/xls/pm_unit_import.csv",
            },
        ]

    # ------------------------------------------------------------
    # DEMO
    # ------------------------------------------------------------

    @api.model
    def _create_demo_units(self, building_xmlids, floors, units_per_floor):
        """Fill demo buildings with units, owners and tenants in one batch.

        Deterministic: every unit gets the xml id
        ``pm_customer_service.pm_unit_demo_<building code>_<number>``.
        """
        self = self.with_context(lang=self.env["res.lang"]._pm_demo_lang())
        first = self.env.ref(building_xmlids[0])
        if self.search_count([("building_id", "=", first.id)], limit=1):
            return self.browse()  # already there: module update
        today = fields.Date.context_today(self)
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
        given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
        partner_vals, unit_vals, xmlids = [], [], []
        # continue numbering after earlier calls so that names stay distinct
        index = self.search_count([])
        for xmlid in building_xmlids:
            building = self.env.ref(xmlid)
            for floor in range(1, floors + 1):
                for pos in range(1, units_per_floor + 1):
                    number = f"{floor}{pos:02d}"
                    occupied = index % 10 not in (3, 7)
                    unit_vals.append(
                        {
                            "building_id": building.id,
                            "floor": floor,
                            "number": number,
                            "area": 89.5 + (pos % 3) * 30.25,
                            "state": "occupied" if occupied else "vacant",
                            "move_in_date": occupied
                            and today - timedelta(days=30 + (index * 17) % 1800),
                        }
                    )
                    name = (
                        surnames[index % 20]
                        # (index % 20, (7 * index + index // 20) % 20) is unique
                        # for the first 400 indexes
                        + given[(index * 7 + index // 20) % 20]
                        + (given[(index * 3 + 5) % 20] if index % 2 else "")
                    )
                    partner_vals.append(
                        {
                            "name": name,
                            "phone": f"+86 138 {index:04d} {(index * 37) % 10000:04d}",
                            "email": f"{building.code.lower()}.{number}@example.com",
                            "lang": "zh_CN"
                            if self.env["res.lang"]._lang_get("zh_CN")
                            else False,
                            "company_id": False,
                        }
                    )
                    xmlids.append(f"{building.code.lower()}_{number}")
                    index += 1
        owners = self.env["res.partner"].create(partner_vals)
        tenant_vals = [
            {"name": f"租户{i + 1:02d}", "phone": f"+86 139 0000 {i:04d}"}
            for i in range(0, len(unit_vals), 10)
        ]
        tenants = iter(self.env["res.partner"].create(tenant_vals))
        for i, (vals, owner) in enumerate(zip(unit_vals, owners, strict=True)):
            vals["owner_ids"] = [fields.Command.set(owner.ids)]
            if i % 10 == 0:
                vals["tenant_ids"] = [fields.Command.set(next(tenants).ids)]
        units = self.create(unit_vals)
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"pm_customer_service.pm_unit_demo_{xmlid}",
                    "record": unit,
                    "noupdate": True,
                }
                for xmlid, unit in zip(xmlids, units, strict=True)
            ]
            + [
                {
                    "xml_id": f"pm_customer_service.res_partner_owner_demo_{xmlid}",
                    "record": owner,
                    "noupdate": True,
                }
                for xmlid, owner in zip(xmlids, owners, strict=True)
            ]
        )
        return units
