from . import test_survey_item
