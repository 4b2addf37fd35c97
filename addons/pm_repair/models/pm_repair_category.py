# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PmRepairCategory(models.Model):
    """Kind of repair (R-REP-1); decides who pays and how the owner is called back."""

    _name = "pm.repair.category"
    _description = "Repair Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_type = fields.Selection(
        selection=lambda self: self.env["pm.team"]._fields["team_type"].selection,
        string="Responsible Team Type",
        default="engineering",
        help="Work orders of this category are dispatched to a team of this type.",
    )
    paid_in_unit = fields.Boolean(
        string="Paid Inside Units",
        default=True,
        help="A fault inside an owner's unit is paid service; in a common area it is "
        "always free.",
    )
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text()

    _sql_constraints = [
        (
            "code_uniq",
            "unique(code)",
            "The code of a repair category must be unique.",
        ),
    ]
