from . import pm_case_deadline_wizard
from . import pm_rectification_report_wizard
from . import pm_owner_decision
from . import pm_case_supervisor_wizard
