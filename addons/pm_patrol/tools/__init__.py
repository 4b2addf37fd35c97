# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.pm_base.tools import settings

from . import patrol_rules

PATROL = "pm_patrol."
# the patrol settings join the product's one registry of typed settings: minutes
# a round may start after its scheduled time and still be on time
settings.SETTINGS.setdefault(PATROL + "lateness_minutes", settings.Setting(int, 15))
