from . import pm_repair_category
