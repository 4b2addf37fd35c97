from . import (
    test_equipment_rules,
    test_equipment_integrity,
    test_equipment_repair,
    test_equipment_security,
)
