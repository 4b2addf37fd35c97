from . import (
    test_approval,
    test_complaint,
    test_complaint_security,
    test_dispatch,
    test_escalation,
    test_escalation_close,
    test_hot_rows,
    test_one_kernel_guard,
    test_intake,
    test_location_qr,
    test_visitor_race,
    test_mail_senders,
    test_kpi_board,
    test_import_templates,
    test_download_reports,
    test_master_data,
    test_migration_19,
    test_portal,
    test_portal_hardening,
    test_property_clock,
    test_reappointment_cap,
    test_portal_owner_reach,
    test_portal_pages,
    test_portal_rating,
    test_portal_rules,
    test_quality_report,
    test_rating_routes,
    test_rectification,
    test_return_visit,
    test_sample_calls,
    test_sample_rules,
    test_security,
    test_security_invariants,
    test_shared_fields,
    test_sla_rules,
    test_staff_workspace,
    test_translation,
    test_visit,
)
from . import test_portal_queries
from . import test_staff_journeys
from . import test_portal_upload_size
from . import test_case_takeover
from . import test_quality_report_kept
from . import test_quality_report_person
from . import test_edit_versions
from . import test_visit_escalation
from . import test_first_reply
from . import test_short_clocks
from . import test_loops_close
from . import test_case_from_visit
from . import test_targets
