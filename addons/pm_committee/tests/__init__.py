# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import (
    test_meeting_cron,
    test_meeting_flow,
    test_meeting_pdf,
    test_meeting_portal,
    test_meeting_rules,
    test_symposium_carry_over,
)
