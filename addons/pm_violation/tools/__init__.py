from . import violation_rules
