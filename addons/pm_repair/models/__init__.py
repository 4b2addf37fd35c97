from . import (
    pm_rainstorm,
    pm_repair_category,
    pm_repair_fee,
    pm_repair_order,
    pm_repair_order_portal,
    repair_rules,
    res_config_settings,
)
