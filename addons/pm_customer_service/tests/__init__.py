from . import (
    test_complaint,
    test_complaint_security,
    test_escalation,
    test_import_templates,
    test_master_data,
    test_portal,
    test_rectification,
    test_return_visit,
    test_security,
    test_sla_rules,
    test_translation,
    test_visit,
)
