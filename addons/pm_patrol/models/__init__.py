# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import pm_patrol_checkpoint
from . import pm_patrol_route
from . import pm_patrol_round
from . import pm_patrol_visit
from . import pm_kpi_target
from . import pm_quality_report
from . import res_config_settings
