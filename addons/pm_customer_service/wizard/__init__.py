from . import pm_case_deadline_wizard
from . import pm_rectification_report_wizard
from . import pm_visit_plan_reject
from . import pm_owner_decision
