from . import pm_complaint_deadline_wizard
from . import pm_rectification_report_wizard
from . import pm_owner_decision
