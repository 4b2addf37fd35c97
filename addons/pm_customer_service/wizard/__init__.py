from . import pm_complaint_deadline_wizard
