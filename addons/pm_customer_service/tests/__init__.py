from . import test_import_templates, test_master_data, test_security, test_translation
