from . import pm_survey_item
