from . import (
    pm_quality_report,
    pm_violation,
    pm_violation_demo,
    res_config_settings_violation,
)
