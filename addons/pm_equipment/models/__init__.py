# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import mail_notify
from . import maintenance_equipment
from . import maintenance_request
from . import pm_repair_order
from . import pm_kpi_target
from . import pm_equipment_integrity
from . import pm_quality_report
from . import pm_patrol
