from . import (
    pm_survey_campaign,
    pm_survey_campaign_item,
    pm_survey_campaign_statistics,
    pm_survey_distribution,
    pm_survey_item,
    pm_survey_opinion,
    pm_survey_symposium,
    pm_survey_xlsx,
    res_config_settings,
    res_users,
    survey_question,
    survey_user_input,
)
