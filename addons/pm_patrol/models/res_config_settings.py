# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.pm_base.tools import settings

from ..tools import PATROL


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pm_patrol_lateness_minutes = settings.field(
        PATROL + "lateness_minutes",
        "Patrol Lateness Allowed (min)",
        help="Minutes a round may start after its scheduled time and still be "
        "on time.",
    )
