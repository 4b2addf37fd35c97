from . import (
    pm_building,
    pm_property,
    pm_return_visit,
    pm_team,
    pm_unit,
    pm_visit,
    pm_visit_plan,
    res_config_settings,
    res_partner,
    res_users,
)
