from . import pm_repair_owner_decision
