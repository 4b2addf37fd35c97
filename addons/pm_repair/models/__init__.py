from . import repair_rules
from . import pm_repair_category
from . import pm_repair_fee
from . import pm_repair_order
from . import pm_repair_order_portal
from . import pm_rainstorm
from . import pm_complaint
from . import res_config_settings
