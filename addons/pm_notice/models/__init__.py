from . import pm_notice, pm_notice_read, pm_survey_analysis
