from . import test_repair_category
