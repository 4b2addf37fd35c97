# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_partner import _tz_get

from ..tools import clock, staff


class PmProperty(models.Model):
    """A managed property (项目/小区), the unit of responsibility of a service
    centre."""

    _name = "pm.property"
    _description = "Property"
    # the email alias of a property; pm_customer_service routes it to cases
    _inherit = ["mail.thread", "mail.activity.mixin", "mail.alias.mixin"]
    _order = "sequence, name, id"
    _rec_names_search = ["name", "code"]

    # identity
    name = fields.Char(required=True, tracking=True, translate=False)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short code used in references (e.g. case numbers) and imports.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        help="Address and contact details of the service centre.",
    )
    color = fields.Integer()
    # size
    total_floor_area = fields.Float(
        string="Total Floor Area (m²)",
        digits=(16, 2),
        required=True,
        tracking=True,
        help="Gross floor area under management; drives quotas such as the survey "
        "distribution rate.",
    )
    # people
    director_id = staff.user("Service Centre Director", tracking=True)
    user_ids = staff.users(
        "pm_property_res_users_rel",
        "property_id",
        "Assigned Staff",
        help="Staff who work on this property. Agents, technicians and directors only "
        "see the properties they are assigned to.",
    )
    team_id = fields.Many2one(
        "pm.team",
        string="Customer Service Team",
        domain="[('property_id', 'in', [id, False])]",
    )
    team_ids = fields.One2many("pm.team", "property_id", string="Service Teams")
    # the number owners call from the portal (tap to call)
    service_phone = fields.Char(
        help="Customer-service hotline shown to owners on the portal. Empty: the "
        "phone of the property's address, else the company's.",
    )
    # time
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working time used by deadlines that count working hours.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        required=True,
        default=lambda self: self.env.user.tz or clock.DEFAULT_TZ,
    )
    # structure
    building_ids = fields.One2many("pm.building", "property_id", string="Buildings")
    unit_ids = fields.One2many("pm.unit", "property_id", string="Units")
    building_count = fields.Integer(compute="_compute_counts")
    unit_count = fields.Integer(compute="_compute_counts")
    occupied_unit_count = fields.Integer(
        string="Occupied Units", compute="_compute_counts"
    )
    note = fields.Html()
    _code_company_uniq = models.Constraint(
        "unique(code, company_id)",
        "The property code must be unique within a company.",
    )

    def _compute_counts(self):
        buildings = dict(
            self.env["pm.building"]._read_group(
                [("property_id", "in", self.ids)], ["property_id"], ["__count"]
            )
        )
        units = {}
        occupied = {}
        for prop, state, count in self.env["pm.unit"]._read_group(
            [("property_id", "in", self.ids)], ["property_id", "state"], ["__count"]
        ):
            units[prop] = units.get(prop, 0) + count
            if state == "occupied":
                occupied[prop] = count
        for prop in self:
            prop.building_count = buildings.get(prop, 0)
            prop.unit_count = units.get(prop, 0)
            prop.occupied_unit_count = occupied.get(prop, 0)

    @api.constrains("total_floor_area")
    def _check_total_floor_area(self):
        for prop in self:
            if prop.total_floor_area <= 0:
                raise ValidationError(
                    _(
                        "The total floor area of property %(name)s must be positive "
                        "(got %(area)s m²).",
                        name=prop.name,
                        area=prop.total_floor_area,
                    )
                )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for prop in self:
            prop.display_name = (
                f"[{prop.code}] {prop.name}" if prop.code else prop.name or ""
            )

    @api.model_create_multi
    def create(self, vals_list):
        properties = super().create(vals_list)
        properties._sync_director_access()
        return properties

    def write(self, vals):
        if "company_id" in vals:
            self._check_company_move(vals["company_id"])
        res = super().write(vals)
        if {"director_id", "user_ids", "company_id"} & set(vals):
            self._sync_director_access()
        return res

    def _check_company_move(self, company_id):
        """A property changes company only by a manager, and only while nothing
        was recorded for it: its buildings, units, cases, orders, visits and
        campaigns would otherwise end up in a company their staff are not in."""
        moving = self.filtered(lambda p: p.company_id.id != company_id)
        if not moving or self.env.su:
            return
        if not self.env.user.has_group("pm_base.group_pm_manager"):
            raise AccessError(
                _("Only a manager can move a property to another company.")
            )
        for model_name, field_name in self._property_record_fields():
            Model = self.env[model_name].sudo().with_context(active_test=False)
            if Model.search_count([(field_name, "in", moving.ids)], limit=1):
                raise UserError(
                    _(
                        "Property %(property)s already has records (%(model)s): it "
                        "cannot move to another company. Create a new property in "
                        "that company instead.",
                        property=moving[0].display_name,
                        model=Model._description,
                    )
                )

    @api.model
    def _property_record_fields(self):
        """(model, field) of every stored record that belongs to a property."""
        found = []
        for model_name in self.env.registry:
            Model = self.env[model_name]
            if Model._abstract or Model._transient or not Model._auto:
                continue
            for name, field in Model._fields.items():
                if (
                    field.type == "many2one"
                    and field.comodel_name == self._name
                    and field.store
                ):
                    found.append((model_name, name))
        return found

    def _sync_director_access(self):
        """The director always belongs to the staff of the property, and record rules
        that read the staff list are cached: clear them when the list changes."""
        for prop in self.filtered(
            lambda p: p.director_id and p.director_id not in p.user_ids
        ):
            prop.user_ids = [fields.Command.link(prop.director_id.id)]
        self.env.registry.clear_cache()

    def _pm_now(self):
        """The current time on the property's wall clock (aware datetime): rules
        stated in local time follow the property, never the user or the server
        running them (R-TZ-1)."""
        self.ensure_one()
        return clock.local_now(self.tz, fields.Datetime.now())

    def _pm_today(self):
        """Today's date at the property (R-TZ-1)."""
        return self._pm_now().date()

    @api.model
    def _pm_today_domain(self, date_field, operator, property_field="property_id"):
        """A domain comparing ``date_field`` with today's date at each record's
        property (R-TZ-1), for searches on "overdue", "due" and the like.

        One SQL domain whatever the number of records: the properties are grouped
        by their time zone (a few zones at most) and the zones that share today's
        date by that date, giving ``[(property, 'in', ids), (date_field, operator,
        today)]`` clauses joined by OR.
        """
        groups = (
            self.sudo()
            .with_context(active_test=False)
            ._read_group([], ["tz"], ["id:array_agg"])
        )
        now = fields.Datetime.now()
        by_day = {}
        for tz, ids in groups:
            by_day.setdefault(clock.local_today(tz, now), []).extend(ids)
        return Domain.OR(
            [
                [(property_field, "in", ids), (date_field, operator, today)]
                for today, ids in sorted(by_day.items())
            ]
        )

    def _pm_utc(self, day):
        """The stored (naive UTC) datetime of the property's local midnight
        starting ``day``."""
        self.ensure_one()
        return clock.to_utc(day, self.tz)

    def _pm_local(self, value):
        """A stored (naive UTC) datetime on the property's wall clock."""
        self.ensure_one()
        if not value:
            return value
        return clock.local_time(value, self.tz)

    def _pm_local_text(self, value, date_only=False, short=False):
        """``value`` as an owner or a visitor reads it (R-TZ-2): a stored (naive
        UTC) datetime on the property's wall clock, a date as it is, written in
        the reader's language (2026年12月08日 09:00 in zh_CN).

        :param date_only: the local day only
        :param short: without the year (the times of a request's timeline)
        """
        lang = get_lang(self.env)
        return clock.owner_text(
            value,
            self[:1].tz,
            clock.reader_date_format(lang.code, lang.date_format),
            date_only=date_only,
            short=short,
        )

    def _pm_service_phone(self):
        """The number owners call: the property's hotline, else its address's
        phone, else the company's."""
        self.ensure_one()
        return (
            self.service_phone
            or self.partner_id.phone
            or self.company_id.phone
            or self.env.company.phone
            or ""
        )

    def _alias_get_creation_values(self):
        """Mail to a property's address lands on its own chatter; the service
        centre (pm_customer_service) turns it into cases instead."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("pm.property")
        values["alias_force_thread_id"] = self.id or False
        return values

    def action_view_units(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pm_base.pm_unit_action")
        action["domain"] = [("property_id", "=", self.id)]
        action["context"] = {"default_property_id": self.id}
        return action

    def action_view_buildings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "pm_base.pm_building_action"
        )
        action["domain"] = [("property_id", "=", self.id)]
        action["context"] = {"default_property_id": self.id}
        return action
