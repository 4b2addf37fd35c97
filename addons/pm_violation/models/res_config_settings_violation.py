# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.pm_base.tools import settings

from ..tools.violation_rules import PREFIX


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # days to rectify a violation of each kind, after the day it was found
    pm_violation_deadline_days_decoration = settings.field(
        PREFIX + "deadline_days_decoration", "Decoration Violations (days)"
    )
    pm_violation_deadline_days_common_area = settings.field(
        PREFIX + "deadline_days_common_area", "Occupied Common Areas (days)"
    )
    pm_violation_deadline_days_pet = settings.field(
        PREFIX + "deadline_days_pet", "Pet Violations (days)"
    )
    pm_violation_deadline_days_parking = settings.field(
        PREFIX + "deadline_days_parking", "Parking Violations (days)"
    )
    pm_violation_deadline_days_other = settings.field(
        PREFIX + "deadline_days_other", "Other Violations (days)"
    )
