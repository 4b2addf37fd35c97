from . import pm_rectification_report_wizard, pm_visit_plan_reject
