from . import (
    test_repair_category,
    test_repair_kpi,
    test_repair_dispatch,
    test_repair_hot_rows,
    test_repair_mail,
    test_portal,
    test_portal_hardening,
    test_portal_decisions,
    test_repair_arrival,
    test_repair_photos,
    test_portal_progress,
    test_owner_journey,
    test_property_clock,
    test_repair_order,
    test_repair_report,
    test_repair_return_visit,
    test_repair_rules,
    test_repair_security,
    test_security_invariants,
)
from . import test_repair_complaint
from . import test_technician_phone, test_technician_journey
from . import test_desk_journey
from . import test_portal_upload_size
from . import test_repair_takeover
from . import test_repair_versions
