from . import (
    test_campaign_flow,
    test_distribution,
    test_numbers,
    test_portal,
    test_property_clock,
    test_rank_emails,
    test_reports,
    test_security,
    test_security_invariants,
    test_statistics,
    test_survey_item,
    test_survey_rules,
)
