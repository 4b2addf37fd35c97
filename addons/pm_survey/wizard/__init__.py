from . import pm_survey_answer_wizard, pm_survey_reject_wizard
