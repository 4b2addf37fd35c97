from . import (
    test_violation_cron,
    test_violation_journey,
    test_violation_report,
    test_violation_rules,
)
