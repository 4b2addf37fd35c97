from . import (
    test_import_templates,
    test_master_data,
    test_rectification,
    test_return_visit,
    test_security,
    test_translation,
    test_visit,
)
