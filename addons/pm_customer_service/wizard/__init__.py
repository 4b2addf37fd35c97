from . import pm_visit_plan_reject
