from . import pm_survey_answer_wizard
