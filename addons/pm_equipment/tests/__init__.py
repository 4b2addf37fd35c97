from . import (
    test_equipment_rules,
    test_equipment_integrity,
    test_equipment_repair,
    test_equipment_patrol,
    test_equipment_dashboard,
    test_equipment_security,
)
