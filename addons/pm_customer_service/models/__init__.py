from . import (
    pm_building,
    pm_property,
    pm_return_visit,
    pm_team,
    pm_unit,
    res_config_settings,
    res_partner,
    res_users,
)
