# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import (
    pm_committee,
    pm_meeting,
    pm_meeting_action,
    pm_property,
    pm_rectification,
    pm_survey_campaign,
)
