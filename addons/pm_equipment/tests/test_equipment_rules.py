# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime as dt

from odoo.tests import BaseCase

from odoo.addons.pm_customer_service.tests.common import assert_table

from ..tools import equipment_rules as rules

START, STOP = dt(2026, 3, 1), dt(2026, 4, 1)
MARCH = 31 * 86400
HOUR = 3600


class TestEquipmentRules(BaseCase):
    def test_span(self):
        assert_table(
            self,
            rules.span,
            [
                (START, STOP, None, None, (START, STOP)),
                (START, STOP, dt(2025, 1, 1), None, (START, STOP)),
                # put in service mid-month, scrapped mid-month
                (START, STOP, dt(2026, 3, 10), None, (dt(2026, 3, 10), STOP)),
                (START, STOP, None, dt(2026, 3, 20), (START, dt(2026, 3, 20))),
                # not in use during the month
                (START, STOP, dt(2026, 4, 1), None, None),
                (START, STOP, None, dt(2026, 3, 1), None),
            ],
        )

    def test_downtime(self):
        assert_table(
            self,
            rules.downtime_seconds,
            [
                ([], START, STOP, 0),
                ([(dt(2026, 3, 5, 8), dt(2026, 3, 5, 10))], START, STOP, 2 * HOUR),
                # across the start and the end of the period: only its part
                ([(dt(2026, 2, 28, 22), dt(2026, 3, 1, 2))], START, STOP, 2 * HOUR),
                ([(dt(2026, 3, 31, 22), dt(2026, 4, 1, 2))], START, STOP, 2 * HOUR),
                # still stopped: until the end of the period
                ([(dt(2026, 3, 31, 20), None)], START, STOP, 4 * HOUR),
                # two overlapping stops count once, apart ones both
                (
                    [
                        (dt(2026, 3, 5, 8), dt(2026, 3, 5, 12)),
                        (dt(2026, 3, 5, 10), dt(2026, 3, 5, 14)),
                        (dt(2026, 3, 6, 8), dt(2026, 3, 6, 9)),
                    ],
                    START,
                    STOP,
                    7 * HOUR,
                ),
                # outside the period
                ([(dt(2026, 2, 5), dt(2026, 2, 6))], START, STOP, 0),
            ],
        )

    def test_integrity(self):
        one_day_down = [(dt(2026, 3, 10), dt(2026, 3, 11))]
        assert_table(
            self,
            rules.integrity,
            [
                ([], START, STOP, (0, 0)),
                ([(dt(2025, 1, 1), None, [])], START, STOP, (MARCH, MARCH)),
                (
                    [(dt(2025, 1, 1), None, one_day_down), (None, None, [])],
                    START,
                    STOP,
                    (2 * MARCH - 86400, 2 * MARCH),
                ),
                # scrapped equipment counts until its scrap date only
                (
                    [(None, dt(2026, 3, 11), one_day_down)],
                    START,
                    STOP,
                    (9 * 86400, 10 * 86400),
                ),
                # not yet in use: nothing counted
                ([(dt(2026, 5, 1), None, [])], START, STOP, (0, 0)),
            ],
        )

    def test_integrity_rate(self):
        assert_table(
            self,
            rules.integrity_rate,
            [
                (0, 0, None),
                (MARCH, MARCH, 100.0),
                # 4 equipment, one down 8 hours of March: 99.73 %
                (4 * MARCH - 8 * HOUR, 4 * MARCH, 99.73),
                # 1 % of the time down is exactly the target
                (99, 100, 99.0),
                (9899, 10000, 98.99),
            ],
        )
