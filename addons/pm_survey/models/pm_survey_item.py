# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from odoo.addons.pm_base.tools.vocabulary import TEAM_TYPES


class PmSurveyItem(models.Model):
    """A service item owners rate in satisfaction surveys (R-SUR-6), e.g. security or
    cleaning, and the team that answers for it (R-SUR-8)."""

    _name = "pm.survey.item"
    _description = "Survey Service Item"
    _inherit = ["pm.catalog.mixin"]

    team_type = fields.Selection(
        selection=TEAM_TYPES,
        string="Responsible Team Type",
        help="Dissatisfied answers on this item are followed up by a team of this "
        "type.",
    )
    description = fields.Text()

    _code_uniq = models.Constraint(
        "unique(code)",
        "The code of a service item must be unique.",
    )
