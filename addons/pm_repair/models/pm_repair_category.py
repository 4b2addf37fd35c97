# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.pm_base.tools.vocabulary import RETURN_VISIT_METHODS, TEAM_TYPES

RETURN_VISIT_RULES = [
    ("after_days", "Days After Completion"),
    ("after_rainstorm", "After the Next Heavy Rainstorm"),
]


class PmRepairCategory(models.Model):
    """Kind of repair (R-REP-1); decides who pays and how the owner is called back."""

    _name = "pm.repair.category"
    _description = "Repair Category"
    _inherit = ["pm.catalog.mixin"]

    team_type = fields.Selection(
        selection=TEAM_TYPES,
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
    require_after_photo = fields.Boolean(
        string="After Photo Required",
        help="An order of this category is completed only with a photo taken "
        "after the work.",
    )
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text()
    # R-REP-RV: how the owner is called back after a repair of this kind
    return_visit_rule = fields.Selection(
        RETURN_VISIT_RULES,
        required=True,
        default="after_days",
        help="Days After Completion: the return visit is due that many days after "
        "the owner accepted the repair (1 = next day). After the Next Heavy "
        "Rainstorm: the visit is planned when staff record a heavy rainstorm on the "
        "property, due that many days after the rainstorm.",
    )
    return_visit_delay_days = fields.Integer(
        string="Return Visit Delay (days)", default=1
    )
    return_visit_method = fields.Selection(
        # a static list, so that its labels are translated (a callable is not)
        RETURN_VISIT_METHODS,
        default="phone",
        required=True,
    )

    _code_uniq = models.Constraint(
        "unique(code)",
        "The code of a repair category must be unique.",
    )

    @api.constrains("return_visit_delay_days")
    def _check_return_visit_delay_days(self):
        for category in self:
            if category.return_visit_delay_days < 0:
                raise ValidationError(
                    _(
                        "The return visit delay of category %s cannot be negative.",
                        category.name,
                    )
                )
