from . import test_notice, test_notice_portal, test_notice_report
